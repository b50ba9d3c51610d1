"""What the load generator asks for: ``python -m bench.targets OUT_DIR``.

Writes OUT_DIR/targets.json with the addresses of the seeded site's pages (1,000
articles, sections, tags, reporters, search queries, live banners) and a logged-in
session for each seeded reader. Sessions are built in the database with SessionStore,
as a login would leave them; run this with the server's SECRET_KEY, which signs them.
"""

import json
import os
import random
import sys
from pathlib import Path
from urllib.parse import quote

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
django.setup()

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.contrib.sessions.models import Session  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.urls import reverse  # noqa: E402
from taggit.models import Tag  # noqa: E402

from accounts.models import User  # noqa: E402
from ads.models import Placement  # noqa: E402
from articles.models import Article, Section  # noqa: E402
from comments.models import Comment  # noqa: E402
from demo import content  # noqa: E402
from demo.stories import tag_vocabulary  # noqa: E402
from reporters.models import Reporter  # noqa: E402

ARTICLES = 1000
SEARCHES = 1000


def search_queries(rng: random.Random) -> list[str]:
    """Words readers type: whole tags and firm names, their starts, and two-word queries."""
    words = tag_vocabulary()
    names = [
        name
        for pool in ("makers", "factories", "energy_firms")
        for name in content.PLACEHOLDERS[pool]
    ]
    queries = set(words)
    queries |= {word[:2] for word in words if len(word) >= 3}
    queries |= {name[: len(name) - 1] for name in names}
    while len(queries) < SEARCHES:
        queries.add(f"{rng.choice(words)} {rng.choice(words)}")
    queries = sorted(queries)
    rng.shuffle(queries)
    return queries[:SEARCHES]


def sessions() -> list[str]:
    """A session key for every seeded reader, as if each had logged in."""
    Session.objects.all().delete()
    backend = "django.contrib.auth.backends.ModelBackend"
    rows = []
    for user in User.objects.filter(username__startswith="reader").order_by("pk"):
        store = SessionStore()
        data = {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: backend,
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
        key = store._get_new_session_key()
        rows.append(
            Session(
                session_key=key,
                session_data=store.encode(data),
                expire_date=store.get_expiry_date(),
            )
        )
    Session.objects.bulk_create(rows, batch_size=2000)
    return [row.session_key for row in rows]


def main() -> None:
    out = Path(sys.argv[1])
    rng = random.Random("bench-targets")
    articles = list(Article.objects.published().order_by("-published_at")[:ARTICLES])
    hot = max(articles, key=lambda article: article.comment_count)
    typical = sorted(articles, key=lambda article: article.comment_count)[len(articles) // 2]
    tags = Tag.objects.annotate(n=Count("taggit_taggeditem_items")).order_by("-n")[:50]
    targets = {
        "home": "/",
        "articles": [article.get_absolute_url() for article in articles],
        "article_ids": [article.pk for article in articles],
        "hot_article": hot.get_absolute_url(),
        "hot_article_comments": Comment.objects.filter(article=hot).count(),
        "typical_article": typical.get_absolute_url(),
        "sections": [
            section.get_absolute_url() for section in Section.objects.filter(is_active=True)
        ],
        "tags": [reverse("articles:tag", args=[tag.slug]) for tag in tags],
        "reporters": [reporter.get_absolute_url() for reporter in Reporter.objects.active()],
        "searches": [f"/search/?q={quote(query)}" for query in search_queries(rng)],
        "placements": list(
            Placement.objects.live().banners().order_by("pk").values_list("pk", flat=True)
        ),
        "sessions": sessions(),
    }
    out.mkdir(parents=True, exist_ok=True)
    (out / "targets.json").write_text(json.dumps(targets, ensure_ascii=False, indent=1))
    print(
        f"  targets: {len(targets['articles'])} articles, {len(targets['searches'])} searches, "
        f"{len(targets['sessions'])} reader sessions, {len(targets['placements'])} live banners"
    )


if __name__ == "__main__":
    main()
