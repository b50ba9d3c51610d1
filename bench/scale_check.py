"""Ten times the data: ``python -m bench.scale_check`` (``make bench-scale``, about 12 minutes).

Issue 16's target: with 10,000 articles and 200,000 comments on PostgreSQL, no public page
more than 1.5 times slower than with 1,000 articles and 20,000 comments.

One throwaway PostgreSQL cluster (bench/harness.py). The benchmark's seeder (bench/seed.py,
with a vote row for every like) fills it to 1,000 published articles, 5,000 readers and
about 20 comments an article - one article in a hundred draws hundreds, with replies,
hidden and deleted ones among them; that database is copied as it stands, and the same
database is then grown to 10,000 articles and 200,000 comments. Two gunicorn servers
(2 sync workers each, DEBUG=0, the page cache and the cached parts of pages off, so that
every request does the database's work) serve the copy and the grown database; each page
is measured on the small one and then on the big one, page after page, with the
benchmark's wrk settings (-t2 -c16 -d10s after 2 s of unmeasured load), so that whatever
else runs on the machine weighs on both alike. SQL per page comes from bench/queries.py's
count (bench/scale_pages.py), and the 10,000-article plans go to bench/explain-scale.txt.

It prints the table (req/s at 1k and 10k, the slowdown, p50, p99, queries; ``!`` marks a
page more than 1.5 times slower) and writes it to bench/results.json under "scale_check",
keeping what the other modes wrote there.
"""

import argparse
import dataclasses
import json
import shutil
import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import datetime
from pathlib import Path

from bench.harness import (
    HOST,
    ROOT,
    Gunicorn,
    Postgres,
    free_port,
    get,
    production_env,
    stop_on_signals,
)
from bench.run import (
    FULL,
    LOGS,
    NOISY_PCT,
    Scenario,
    ServerConfig,
    gets,
    log,
    machine,
    measure,
    python,
    seed,
    server_env,
)

RESULTS = ROOT / "bench" / "results.json"
EXPLAIN = ROOT / "bench" / "explain-scale.txt"
POSTGRES_PORT = 55600  # the first port the cluster tries
SERVER_PORT = 8140  # and the servers
LIMIT = 1.5  # the issue's: no page more than this many times slower at ten times the data
SMALL, BIG = 1_000, 10_000
WORKERS = 2


def scenarios(pages: dict[str, dict]) -> list[Scenario]:
    """The load generator's scenario for each page of bench/scale_pages.py."""
    return [
        Scenario(name, gets(page["paths"], page["cookies"] or None), queries=name)
        for name, page in pages.items()
    ]


def slowdown(small: dict, big: dict) -> float | None:
    """How many times slower the big database served the page: the worse of throughput
    (req/s at 1k over req/s at 10k) and median latency (p50 at 10k over p50 at 1k). None
    when no request at all was answered at 10k within wrk's timeout (5 s): beyond measure."""
    if not big["requests"]:
        return None
    throughput = small["rps"] / max(big["rps"], 0.1)
    latency = big["p50_ms"] / max(small["p50_ms"], 0.01)
    return round(max(throughput, latency), 2)


def drain(server: Gunicorn, limit: float = 300) -> float:
    """Wait until both workers answer at once again: a page slower than wrk's timeout leaves
    requests queued after its run, which would otherwise be counted against the next page."""
    started = time.monotonic()
    while time.monotonic() - started < limit:
        asked = time.monotonic()
        try:
            [get(server.url, "/robots.txt") for _worker in range(server.workers)]
        except OSError:
            continue
        if time.monotonic() - asked < 1:
            break
    return time.monotonic() - started


def table(small: dict[str, dict], big: dict[str, dict], pages: dict[str, dict]) -> dict:
    """One row a page: both sizes' figures side by side, the slowdown and its verdict."""
    rows = {}
    for name, at_10k in big.items():
        at_1k = small[name]
        ratio = slowdown(at_1k, at_10k)
        rows[name] = {
            "url": pages[name]["url"],
            "addresses": len(pages[name]["paths"]),
            "rps_1k": at_1k["rps"],
            "rps_10k": at_10k["rps"],
            "slowdown": ratio,
            "over_limit": ratio is None or ratio > LIMIT,
            "requests_1k": at_1k["requests"],
            "requests_10k": at_10k["requests"],
            "p50_ms_1k": at_1k["p50_ms"],
            "p50_ms_10k": at_10k["p50_ms"],
            "p99_ms_1k": at_1k["p99_ms"],
            "p99_ms_10k": at_10k["p99_ms"],
            "queries_1k": at_1k.get("queries"),
            "queries_10k": at_10k.get("queries"),
            "errors": at_1k["errors"] + at_10k["errors"],
            "cpu_other_pct_1k": at_1k["cpu_other_pct"],
            "cpu_other_pct_10k": at_10k["cpu_other_pct"],
        }
    return rows


def format_table(rows: dict[str, dict]) -> str:
    header = (
        f"{'page':<26}{'req/s 1k':>9}{'req/s 10k':>10}{'slower':>8}  "
        f"{'p50 ms 1k/10k':>15}{'p99 ms 1k/10k':>15}{'queries':>9}{'errors':>7}{'others %':>10}"
    )
    lines = [header, "-" * len(header)]
    for name, r in rows.items():
        mark = "!" if r["over_limit"] else " "
        noisy = "*" if max(r["cpu_other_pct_1k"], r["cpu_other_pct_10k"]) > NOISY_PCT else " "
        ratio = "> 5 s" if r["slowdown"] is None else f"{r['slowdown']:.2f}"
        lines.append(
            f"{name:<26}{r['rps_1k']:>9.1f}{r['rps_10k']:>10.1f}{ratio:>7}{mark}  "
            f"{r['p50_ms_1k']:>7.1f}/{r['p50_ms_10k']:<7.1f}{r['p99_ms_1k']:>7.1f}/"
            f"{r['p99_ms_10k']:<7.1f}{str(r['queries_1k']) + '/' + str(r['queries_10k']):>9}"
            f"{r['errors']:>7}{r['cpu_other_pct_1k']:>6.0f}/{r['cpu_other_pct_10k']:.0f}{noisy}"
        )
    over = [name for name, r in rows.items() if r["over_limit"]]
    lines += [
        f"slower: the worse of req/s 1k / req/s 10k and p50 10k / p50 1k; ! above {LIMIT}; "
        "> 5 s: not one answer within wrk's timeout",
        f"others %: the machine's CPU taken by programs not of this run; * above {NOISY_PCT}%",
        f"Pages more than {LIMIT}x slower at 10,000 articles: "
        + (", ".join(over) if over else "none"),
    ]
    return "\n".join(lines)


def write_results(entry: dict, path: Path = RESULTS) -> None:
    """Under "scale_check", keeping every other mode's key as it was."""
    results = json.loads(path.read_text()) if path.exists() else {}
    results["scale_check"] = entry
    path.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n")


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def page_list(env: dict, tmp: Path, explain: Path | None = None) -> dict[str, dict]:
    args = ["-m", "bench.scale_pages", str(tmp)] + (["--explain", str(explain)] if explain else [])
    python(*args, env=env)
    return json.loads((tmp / "scale_pages.json").read_text())


def run_check(args: argparse.Namespace, stack: ExitStack) -> dict:
    started = time.monotonic()
    mode = dataclasses.replace(FULL, duration=args.duration, settle=args.settle)
    config = ServerConfig(args.workers, "sync", 1, pool=True)
    timings: dict[str, float] = {}
    tmp = Path(tempfile.mkdtemp(prefix="newsroom-scale."))
    stack.callback(shutil.rmtree, tmp, ignore_errors=True)
    LOGS.mkdir(exist_ok=True)
    (LOGS / "wrk.log").write_text("")

    postgres = Postgres(args.port)
    stack.callback(postgres.stop)
    env = production_env(postgres.start(), tmp)
    log(f"PostgreSQL {postgres.version} on port {postgres.port}")
    python("manage.py", "migrate", "--no-input", "-v0", env=env)
    python("manage.py", "collectstatic", "--no-input", "-v0", env=env)

    seed(args.small, env, tmp, timings, "--votes")
    small_pages = page_list(env, tmp)
    # The database as it is at the small size; the same one then grows.
    small_env = {**env, "DATABASE_URL": postgres.copy("newsroom_small")}
    big_targets = seed(args.big, env, tmp, timings, "--votes")
    big_pages = page_list(env, tmp, args.explain)
    counts = {
        size: postgres.execute(
            "SELECT (SELECT count(*) FROM articles_article WHERE status = 'published'),"
            " (SELECT count(*) FROM comments_comment), (SELECT count(*) FROM comments_commentvote)",
            database=database,
        )
        for size, database in (("1k", "newsroom_small"), ("10k", "newsroom"))
    }
    for size, (articles, comments, votes) in counts.items():
        log(f"  {size}: {articles:,} published articles, {comments:,} comments, {votes:,} votes")

    def serve(name: str, database_env: dict) -> Gunicorn:
        server = Gunicorn(
            {**server_env(database_env, config, page_cache=False), "FRAGMENT_CACHE_SECONDS": "0"},
            log_path=LOGS / f"gunicorn-scale-{name}.log",
            workers=config.workers,
            others=(postgres.pid,),
        )
        server.port = free_port(SERVER_PORT)
        server.url = f"http://{HOST}:{server.port}"
        stack.callback(server.stop)
        return server.start()

    log(f"\n== Each page at {args.small:,} and at {args.big:,} articles, nothing cached")
    small, big = serve("1k", small_env), serve("10k", env)
    load_before = load_average()
    small_results, big_results = {}, {}
    for small_page, big_page in zip(scenarios(small_pages), scenarios(big_pages), strict=True):
        small_page.name = f"{big_page.name} (1k)"
        for server in (small, big):
            if (waited := drain(server)) > 2:
                log(f"  ({server.log_path.stem}: {waited:.0f} s for the queued requests)")
        [small_results[big_page.name]] = measure(small, [small_page], mode).values()
        big_results.update(measure(big, [big_page], mode))
    small.stop()
    big.stop()
    for results, pages in ((small_results, small_pages), (big_results, big_pages)):
        for name, result in results.items():
            result["queries"] = pages[name]["queries"]
    rows = table(small_results, big_results, big_pages)
    timings["total_s"] = round(time.monotonic() - started, 1)
    return {
        "date": datetime.now().astimezone().isoformat(timespec="seconds"),
        "command": "make bench-scale (python -m bench.scale_check)",
        "machine": machine(f"PostgreSQL {postgres.version}"),
        "load_average_before_after": [load_before, load_average()],
        "setup": {
            "sizes": {
                size: {"published_articles": a, "comments": c, "comment_votes": v}
                for size, (a, c, v) in counts.items()
            },
            "hot_article_comments_10k": big_targets["hot_article_comments"],
            "server": config.describe() + ", DEBUG=0, PAGE_CACHE_SECONDS=0, "
            "FRAGMENT_CACHE_SECONDS=0",
            "wrk": f"-t2 -c16 -d{mode.duration}s after {mode.settle} s of unmeasured load, "
            "each page at 1k then at 10k",
            "databases": "one cluster: the 1,000-article database copied (CREATE DATABASE "
            "... TEMPLATE), then the same database grown to 10,000",
            "limit": LIMIT,
        },
        "timings": timings,
        "pages": rows,
        "over_limit": [name for name, r in rows.items() if r["over_limit"]],
        "seq_scans_10k": {n: p["seq_scans"] for n, p in big_pages.items() if p.get("seq_scans")},
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=SMALL, help=f"articles ({SMALL:,})")
    parser.add_argument("--big", type=int, default=BIG, help=f"articles ({BIG:,})")
    parser.add_argument("--duration", type=int, default=FULL.duration, help="s per wrk run")
    parser.add_argument("--settle", type=int, default=FULL.settle, help="s of unmeasured load")
    parser.add_argument("--workers", type=int, default=WORKERS)
    parser.add_argument("--port", type=int, default=POSTGRES_PORT, help="first port to try")
    parser.add_argument("--explain", type=Path, default=EXPLAIN, help="10k plans (PostgreSQL)")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install wrk")
    stop_on_signals()
    with ExitStack() as stack:
        entry = run_check(args, stack)
    log(
        f"\nTen times the data ({entry['date']}; load average before/after "
        f"{' / '.join(entry['load_average_before_after'])})"
    )
    log(format_table(entry["pages"]))
    write_results(entry, args.out)
    log(f'\nWrote {args.out} ("scale_check") and {args.explain}')


if __name__ == "__main__":
    main()
