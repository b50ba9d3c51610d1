"""Every public page a reader hits, at the seeded size: ``python -m bench.scale_pages DIR``.

Reads DIR/targets.json (bench/targets.py) and writes DIR/scale_pages.json: for each page of
the scale check (bench/scale_check.py) the addresses the load generator rotates over, the
Cookie headers of the readers it sends them as (the logged-in pages), and the SQL its first
address runs with the page cache and the cached parts off (bench/queries.py's count). With
``--explain FILE`` (PostgreSQL), those SELECTs are run again under EXPLAIN (ANALYZE, BUFFERS)
and written to FILE, as bench/explain.txt has the benchmark's.
"""

import argparse
import json
import os
from pathlib import Path
from urllib.parse import quote

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402

from accounts.models import User  # noqa: E402
from articles.models import Article, Section  # noqa: E402
from bench.queries import HOST, explain, measure_page  # noqa: E402
from web.pagination import PAGE_SIZE  # noqa: E402

# Words found in the most articles of the seeded archive (bench/search_speed.py has more).
COMMON_WORDS = ["로봇", "공장", "수출", "반도체", "산업"]
# The articles with the biggest threads, which the article and thread-page scenarios visit.
BIG_THREADS = 10
# A deep page of a listing: the 50th (1,000 articles later), or the last full page of a
# section with fewer. Not its last page: at 1,000 articles that held 3-19 articles (11 on
# average) against 20 at 10,000, and the table compared drawing half a page with a whole one.
DEEP_PAGE = 50
# Readers whose sessions the logged-in scenarios rotate over: those with the most comments.
LOGGED_IN_READERS = 100


def commenters(targets: dict) -> list[tuple[User, str]]:
    """The readers with the most comments, each with the session bench/targets.py made."""
    readers = User.objects.filter(username__startswith="reader").order_by("pk")
    by_pk = dict(zip(readers.values_list("pk", flat=True), targets["sessions"], strict=True))
    busiest = (
        User.objects.filter(pk__in=by_pk)
        .annotate(n=Count("comments"))
        .order_by("-n", "pk")[:LOGGED_IN_READERS]
    )
    return [(user, by_pk[user.pk]) for user in busiest]


def deep_pages() -> list[str]:
    """Each active section's DEEP_PAGE, or its last full page if it has fewer."""
    paths = []
    for section in Section.objects.filter(is_active=True):
        articles = Article.objects.published().in_section(section).count()
        page = max(1, min(DEEP_PAGE, articles // PAGE_SIZE))
        paths.append(f"{section.get_absolute_url()}?page={page}")
    return paths


def pages(targets: dict, readers: list[tuple[User, str]]) -> dict[str, dict]:
    """Each page's addresses, and the readers' cookies for the pages only they see."""
    big = Article.objects.published().order_by("-comment_count", "pk")[:BIG_THREADS]
    big_threads = [article.get_absolute_url() for article in big]
    cookies = [f"sessionid={session}" for _user, session in readers]
    sections = targets["sections"]
    anonymous = {
        "home": [targets["home"]],
        "section": sections,
        "section, deep page": deep_pages(),
        "tag": targets["tags"],
        "reporter": targets["reporters"],
        # The latest 1,000 and the biggest threads, a reader's mix.
        "article": targets["articles"] + big_threads,
        "article, biggest threads": big_threads,
        "comments ?cpage=2": [f"{url}?cpage=2" for url in big_threads],
        "search (common word)": [f"/search/?q={quote(word)}" for word in COMMON_WORDS],
        "corrections": ["/corrections/"],
        "most-read feed": ["/rss/clickTop.xml"],
        "RSS, all articles": ["/rss/allArticle.xml"],
        "RSS, a section": [f"{url}rss/" for url in sections],
        "sitemap.xml": ["/sitemap.xml"],  # the index
        "articles' sitemap": ["/sitemap-articles.xml"],  # its first page: the latest 1,000
        "news sitemap": ["/news-sitemap.xml"],
    }
    result = {name: {"paths": paths, "cookies": []} for name, paths in anonymous.items()}
    result["article (logged in)"] = {"paths": targets["articles"], "cookies": cookies}
    result["my comments (logged in)"] = {"paths": ["/comments/mine/"], "cookies": cookies}
    return result


def count_queries(found: dict[str, dict], readers: list[tuple[User, str]]) -> dict[str, dict]:
    """bench/queries.py's count for each page's first address (as its first reader)."""
    anonymous = Client(HTTP_HOST=HOST)
    reader = Client(HTTP_HOST=HOST)
    if readers:
        reader.force_login(readers[0][0])
    return {
        name: measure_page(page["paths"][0], reader if page["cookies"] else anonymous)
        for name, page in found.items()
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir", type=Path)
    parser.add_argument("--explain", type=Path)
    args = parser.parse_args(argv)
    targets = json.loads((args.dir / "targets.json").read_text())
    readers = commenters(targets)
    found = pages(targets, readers)
    measured = count_queries(found, readers)
    if args.explain and connection.vendor == "postgresql":
        for name, tables in explain(measured, args.explain).items():
            found[name]["seq_scans"] = sorted(set(tables))
    for name, page in found.items():
        page.update(
            url=measured[name]["url"],
            status=measured[name]["status"],
            queries=measured[name]["queries"],
            sql_ms=measured[name]["sql_ms"],
        )
    (args.dir / "scale_pages.json").write_text(json.dumps(found, ensure_ascii=False, indent=1))
    for name, page in found.items():
        scans = f"; seq scans: {page['seq_scans']}" if page.get("seq_scans") else ""
        print(
            f"  {name}: {len(page['paths'])} addresses, {page['queries']} queries "
            f"({page['sql_ms']} ms, HTTP {page['status']}){scans}"
        )


if __name__ == "__main__":
    main()
