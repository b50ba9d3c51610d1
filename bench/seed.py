"""A newsroom-sized dataset, written fast: ``python -m bench.seed --articles 10000``.

The demo's seeder (demo/seeding.py) at the benchmark's size: the demo's own stories and an
archive behind them up to the given number of published articles, 5,000 readers, ~20
comments a story (a few hot ones get hundreds) and 100 more banners. It tops the database
up, so the benchmark seeds 1,000, measures, then grows the same database to 10,000. The
soak seeds a few hundred with the same command and fewer readers.
"""

import argparse
import os
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
django.setup()

from django.db import connection  # noqa: E402

from accounts.models import User  # noqa: E402
from articles.models import Article  # noqa: E402
from comments.models import Comment  # noqa: E402
from demo.seeding import seed  # noqa: E402

READERS = 5000
COMMENTS_PER_ARTICLE = 20  # on average: 200,000 for 10,000 articles
BANNERS = 100


def analyze() -> None:
    """Production tables are analysed by autovacuum; do it now, not mid-measurement."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, required=True, help="published articles wanted")
    parser.add_argument("--readers", type=int, default=READERS, help=f"({READERS:,})")
    args = parser.parse_args(argv)
    started = time.monotonic()
    tally = seed(
        articles=args.articles,
        readers=args.readers,
        comments_per_article=COMMENTS_PER_ARTICLE,
        banners=BANNERS,
    )
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
