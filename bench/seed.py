"""A newsroom-sized dataset, written fast: ``python -m bench.seed --articles 10000``.

The demo's seeder (demo/seeding.py) at the benchmark's size: the demo's own stories and an
archive behind them up to the given number of published articles, 5,000 readers, ~20
comments a story (a few hot ones get hundreds) and 100 more banners. It tops the database
up, so the benchmark seeds 1,000, measures, then grows the same database to 10,000. The
soak seeds a few hundred with the same command and fewer readers. With ``--votes`` the
readers' likes behind each comment's count are written too, one row a like (the scale check,
bench/scale_check.py, measures pages that read them).
"""

import argparse
import itertools
import os
import random
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
django.setup()

from django.db import connection  # noqa: E402

from accounts.models import User  # noqa: E402
from articles.models import Article  # noqa: E402
from comments.models import Comment, CommentVote  # noqa: E402
from demo.seeding import seed  # noqa: E402

READERS = 5000
COMMENTS_PER_ARTICLE = 20  # on average: 200,000 for 10,000 articles
BANNERS = 100


def seed_votes() -> int:
    """A like from a reader for each of a comment's ``likes`` that has no vote row yet (the
    crowds of demo/comments.py set the count only); returns the number of new rows."""
    rng = random.Random("votes")
    readers = list(User.objects.filter(username__startswith="reader").values_list("pk", flat=True))
    if not readers:
        return 0
    liked = (
        Comment.objects.filter(likes__gt=0, votes__isnull=True)
        .order_by("pk")
        .values_list("pk", "likes")
    )
    created = 0
    rows = (
        CommentVote(comment_id=pk, user_id=user, value=CommentVote.Value.LIKE)
        for pk, likes in liked.iterator(chunk_size=5000)
        for user in rng.sample(readers, min(likes, len(readers)))
    )
    for batch in itertools.batched(rows, 5000):
        CommentVote.objects.bulk_create(batch, ignore_conflicts=True)
        created += len(batch)
    return created


def analyze() -> None:
    """Production tables are analysed by autovacuum; do it now, not mid-measurement."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, required=True, help="published articles wanted")
    parser.add_argument("--readers", type=int, default=READERS, help=f"({READERS:,})")
    parser.add_argument("--votes", action="store_true", help="a vote row for each like")
    args = parser.parse_args(argv)
    started = time.monotonic()
    tally = seed(
        articles=args.articles,
        readers=args.readers,
        comments_per_article=COMMENTS_PER_ARTICLE,
        banners=BANNERS,
    )
    if args.votes:
        tally["comment votes"] = seed_votes()
    print("  new: " + ", ".join(f"{count} {kind}" for kind, count in tally.items() if count))
    analyze()
    print(
        f"Seeded to {Article.objects.published().count()} published articles, "
        f"{Comment.objects.count()} comments, {User.objects.count()} users "
        f"in {time.monotonic() - started:.1f} s",
        flush=True,
    )


if __name__ == "__main__":
    main()
