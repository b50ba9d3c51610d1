"""SQL per request, counted in process: ``python -m bench.queries TARGETS OUT [--explain FILE]``.

Each page is fetched with Django's test Client against the seeded database and its
queries captured: once with every cache empty, then again with the page cache and the
cached parts of pages off (what a miss costs once the small caches - navigation, ad
slots, most-read - are warm: the number reported, and EXPLAINed), with the parts
cached (comment thread, related articles), and with the page cache on (a hit). With --explain
(PostgreSQL), the SELECTs of the hot pages are run again under
EXPLAIN (ANALYZE, BUFFERS) and written to FILE, and sequential scans of big tables
are flagged.
"""

import argparse
import json
import os
import re
import time
from pathlib import Path
from urllib.parse import unquote

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

from accounts.models import User  # noqa: E402

HOST = "127.0.0.1"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) NewsroomLoadTest/1"
# A table this big must be read through an index on the hot pages.
BIG_TABLE_ROWS = 5000
SEQ_SCAN = re.compile(r"Seq Scan on (\w+)")


def capture(client: Client, method: str, url: str, **kwargs) -> tuple[int, list[dict]]:
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, HTTP_USER_AGENT=BROWSER, **kwargs)
    return response.status_code, list(queries.captured_queries)


def measure_page(url: str, client: Client) -> dict:
    cache.clear()
    with override_settings(PAGE_CACHE_SECONDS=0, FRAGMENT_CACHE_SECONDS=0):
        _status, cold = capture(client, "get", url)
        status, miss = capture(client, "get", url)
    with override_settings(PAGE_CACHE_SECONDS=0):
        capture(client, "get", url)  # fills the cached parts (comment thread, related)
        _status, parts = capture(client, "get", url)
    capture(client, "get", url)  # fills the page cache
    _status, hit = capture(client, "get", url)
    return {
        "url": url,
        "status": status,
        "queries": len(miss),
        "queries_cold_caches": len(cold),
        "queries_parts_cached": len(parts),
        "queries_warm": len(hit),
        "sql_ms": round(sum(float(q["time"]) for q in miss) * 1000, 1),
        "sql": miss,
    }


def pages(targets: dict) -> dict[str, str]:
    short = next(url for url in targets["searches"] if len(unquote(url.split("q=")[1])) == 2)
    return {
        "home": targets["home"],
        "section": targets["sections"][0],
        "tag": targets["tags"][0],
        "article": targets["typical_article"],
        "article (hot, comment list)": targets["hot_article"],
        "reporter": targets["reporters"][0],
        "search": targets["searches"][0],
        "search (two letters)": short,
    }


def measure(targets: dict) -> dict[str, dict]:
    client = Client(HTTP_HOST=HOST)
    results = {name: measure_page(url, client) for name, url in pages(targets).items()}

    readers = User.objects.filter(username__startswith="reader").order_by("-pk")
    reader = Client(HTTP_HOST=HOST)
    reader.force_login(readers[0])
    url = targets["typical_article"]
    capture(reader, "get", url)
    status, sql = capture(reader, "get", url)
    results["article (logged in)"] = {"url": url, "status": status, "queries": len(sql)}

    url = f"/comments/articles/{targets['article_ids'][0]}/post/"
    for reader in readers[1:3]:  # the first post fills the small caches, the second counts
        poster = Client(HTTP_HOST=HOST)
        poster.force_login(reader)
        body = f"쿼리 수를 세는 댓글입니다. {time.time_ns()}"  # never a duplicate of an earlier run
        status, sql = capture(poster, "post", url, data={"body": body})
    results["comment post"] = {"url": url, "status": status, "queries": len(sql)}

    url = f"/ads/{targets['placements'][0]}/click/"
    status, sql = capture(Client(HTTP_HOST=HOST), "get", url)
    results["ad click"] = {"url": url, "status": status, "queries": len(sql)}

    # Beacons: counted in memory and written in batches, so usually no query at all.
    url = f"/articles/{targets['article_ids'][0]}/viewed/"
    status, sql = capture(Client(HTTP_HOST=HOST), "post", url)
    results["view beacon"] = {"url": url, "status": status, "queries": len(sql)}
    url = "/ads/impressions/"
    data = {"placement": [str(pk) for pk in targets["placements"][:3]]}
    status, sql = capture(Client(HTTP_HOST=HOST), "post", url, data=data)
    results["impression beacon"] = {"url": url, "status": status, "queries": len(sql)}
    return results


def explain(results: dict[str, dict], path: Path) -> dict[str, list[str]]:
    """EXPLAIN every SELECT of the measured pages; the big tables each page scans whole."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples::bigint FROM pg_class WHERE relkind = 'r' "
            "AND relnamespace = 'public'::regnamespace"
        )
        rows = dict(cursor.fetchall())
    big = {table for table, count in rows.items() if count >= BIG_TABLE_ROWS}
    flagged: dict[str, list[str]] = {}
    seen: set[str] = set()
    lines = [
        "EXPLAIN (ANALYZE, BUFFERS) of the SELECTs each page runs on a page-cache miss,",
        "captured from the seeded database by bench/queries.py.",
        "Tables: "
        + ", ".join(f"{t} {rows[t]:,}" for t in sorted(rows, key=rows.get, reverse=True)[:8]),
        "",
    ]
    for name, result in results.items():
        if "sql" not in result:
            continue
        lines += [
            "=" * 100,
            f"== {name}: {result['url']}  ({result['queries']} queries)",
            "=" * 100,
        ]
        for number, query in enumerate(result["sql"], start=1):
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
                plan = "\n".join(row[0] for row in cursor.fetchall())
            scans = sorted({t for t in SEQ_SCAN.findall(plan) if t in big})
            for table in scans:
                flagged.setdefault(name, []).append(table)
            repeat = " (same SQL as above)" if sql in seen else ""
            seen.add(sql)
            note = f"  !! Seq Scan on big table: {', '.join(scans)}" if scans else ""
            lines += [f"-- query {number}{repeat}{note}", sql, plan, ""]
    path.write_text("\n".join(lines) + "\n")
    return flagged


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("targets", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--explain", type=Path)
    args = parser.parse_args()
    results = measure(json.loads(args.targets.read_text()))
    if args.explain and connection.vendor == "postgresql":
        for name, tables in explain(results, args.explain).items():
            results[name]["seq_scans"] = sorted(set(tables))
    for result in results.values():
        result.pop("sql", None)
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=1))
    for name, result in results.items():
        extra = (
            f", {result['queries_parts_cached']} with its parts cached,"
            f" {result['queries_warm']} on a page-cache hit"
            if "queries_warm" in result
            else ""
        )
        scans = f"; seq scans: {result['seq_scans']}" if result.get("seq_scans") else ""
        print(f"  {name}: {result['queries']} queries (HTTP {result['status']}){extra}{scans}")


if __name__ == "__main__":
    main()
