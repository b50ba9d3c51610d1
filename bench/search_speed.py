"""Search at archive size, timed in process: ``python -m bench.search_speed --articles 10000``.

Tops the database up to the given number of published articles (the benchmark's seeder,
without readers or comments, which search never reads), then asks the search page for the
words readers type most - the ones found in the most articles, a two-syllable word found
inside compounds, a two-word query - with the page cache off, and prints each query's
median and 90th percentile time, its SQL time and how many articles it finds. The page is
fetched with Django's test Client, so the figures are the view's own work (SQL, ranking,
snippets, template) without HTTP or a worker in front.
"""

import argparse
import os
import re
import statistics
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402

from articles.models import Article  # noqa: E402
from demo.seeding import seed  # noqa: E402

# Common words of the seeded archive (demo/stories.py and its vocabulary), and 로봇, which
# is mostly found inside compounds (협동로봇, 로봇산업).
QUERIES = ["로봇", "공장", "수출", "스마트공장", "반도체", "전기차 배터리", "산업"]
RUNS = 15
COUNT = re.compile(r'class="search-count"[^>]*>\D*([\d,]+\+?)')


def timed(client: Client, query: str, page: int = 1) -> tuple[float, float, str, float]:
    """Milliseconds of the request, of its SQL (waiting for PostgreSQL) and of this
    process's CPU (Django's own work, which other programs on the machine do not lengthen);
    and the count the page shows."""
    with CaptureQueriesContext(connection) as queries:
        started, cpu = time.perf_counter(), time.process_time()
        response = client.get(reverse("articles:search"), {"q": query, "page": page})
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    if response.status_code != 200:
        raise SystemExit(f"The search page answered HTTP {response.status_code}")
    found = COUNT.search(response.content.decode())
    count = found.group(1).replace(",", "") if found else "?"
    sql = sum(float(q["time"]) for q in queries.captured_queries)
    return elapsed * 1000, sql * 1000, count, cpu * 1000


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--no-seed", action="store_true", help="measure the database as it is")
    parser.add_argument("queries", nargs="*", default=QUERIES)
    args = parser.parse_args(argv)
    if not args.no_seed:
        started = time.monotonic()
        seed(articles=args.articles)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        print(f"Seeded in {time.monotonic() - started:.0f} s", flush=True)
    published = Article.objects.published().count()
    print(f"{connection.vendor}, {published:,} published articles, {args.runs} runs a query")
    client = Client(HTTP_HOST="127.0.0.1")
    medians = []
    # Production's settings (DEBUG off: no template debugging, which costs a few ms a page),
    # but static files named as in development: no collectstatic manifest is needed.
    plain_static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    with override_settings(
        PAGE_CACHE_SECONDS=0, STORAGES={**settings.STORAGES, "staticfiles": plain_static}
    ):
        for query in args.queries:
            cache.clear()
            timed(client, query)  # the small caches (navigation, sidebar) fill
            runs = [timed(client, query) for _ in range(args.runs)]
            pages = sorted(run[0] for run in runs)
            sql = statistics.median(run[1] for run in runs)
            cpu = statistics.median(run[3] for run in runs)
            p50 = statistics.median(pages)
            p90 = pages[int(len(pages) * 0.9) - 1]
            deep = statistics.median(timed(client, query, page=5)[0] for _ in range(5))
            medians.append(p50)
            print(
                f"  {query}: p50 {p50:.1f} ms, p90 {p90:.1f} ms, SQL {sql:.1f} ms, "
                f"Django CPU {cpu:.1f} ms, "
                f"page 5 {deep:.1f} ms; {runs[0][2]} found",
                flush=True,
            )
    print(f"Median over the queries: {statistics.median(medians):.1f} ms")


if __name__ == "__main__":
    main()
