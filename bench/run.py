"""Newsroom under load: ``make bench`` (PostgreSQL, 10,000 articles) and ``make bench-quick``.

The full run starts a throwaway PostgreSQL cluster, seeds 1,000 articles and measures
the pages without the page cache, tops the same database up to 10,000 articles (200,000
comments, 5,000 readers, 100 banners) and measures every scenario: first on a server
with the anonymous page cache on, as in production, then on one with it off (a cache
miss on every request), beside the ceiling of the stack: the same article's HTML as a
static file served by the same gunicorn and WhiteNoise; then past one machine
(bench/scale_out.py): the misses read from a streaming replica, and two app servers on
one Redis. SQL per request and EXPLAIN plans come from bench/queries.py. It prints a
table and writes bench/results.json.

The quick run does the same on SQLite with 1,000 articles and short runs, without the
scale check and EXPLAIN. Everything started here is stopped here, failure or not.
"""

import argparse
import json
import math
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from bench.harness import (
    GUNICORN,
    PYTHON,
    ROOT,
    Gunicorn,
    Postgres,
    Redis,
    get,
    production_env,
    run,
    stop_on_signals,
)

BENCH = ROOT / "bench"
LUA = BENCH / "lua" / "scenario.lua"
LOGS = BENCH / "results"  # git-ignored: server logs and raw wrk output of the last run

# A run during which other programs took more of the CPU than this is marked noisy.
NOISY_PCT = 10

# Readers whose session the logged-in article scenario rotates over.
LOGGED_IN_READERS = 100

# How long the benchmark's servers keep whole pages and parts of pages (PAGE_CACHE_SECONDS,
# FRAGMENT_CACHE_SECONDS). Production keeps a page 60 s, which costs a steady site one
# render a minute per page and worker, spread over the minute. A warm-up is not steady: it
# renders every page within seconds, so with 60 s they all expired together about a minute
# later — inside the measured runs when the warm-up took 40 s or more (1,000 articles,
# three workers), and the "warm" article measured a stampede of renders (1,776 req/s and a
# p99 of 100 ms instead of 3,848). An hour outlasts every scenario; the pass after each
# run (hits_after_pct) shows that the cache still held the pages.
CACHE_SECONDS = 3600
# Share of a warm-up pass that must be page-cache hits.
WARM_HIT_SHARE = 0.995
# The check after a run: fewer hits than this, and pages expired or were evicted while
# measured (the warm-up stops at 99.5%, so a worker may still miss a page or two in 1,000).
HITS_AFTER_PCT = 99.0

# "Cold" is a page cache miss: measured as production has it, with the page's costly
# parts (comment thread, related articles) cached on their own, and with nothing cached.
TARGETS = {
    "warm article rps / static rps": (">=", 0.8),
    "cold article p50 / static p50": ("<=", 3.0),
    "cold article p99 ms (16 connections)": ("<", 100.0),
    "nothing cached: article p50 / static p50": ("<=", 3.0),
    "nothing cached: article p99 ms": ("<", 100.0),
    "10k/1k p50, worst page": ("<=", 1.5),
}


@dataclass(frozen=True)
class Mode:
    name: str
    database: str
    articles: int
    scale_from: int | None  # seed this many first and measure, for the 10k/1k ratios
    duration: int  # seconds per measured wrk run
    settle: int  # seconds of unmeasured load before each run
    redis: bool  # also measure the warm article with Redis as the shared cache
    results: Path
    explain: Path | None
    scale_out: bool = False  # also a read replica and two app servers (bench/scale_out.py)


FULL = Mode(
    "full",
    "postgresql",
    10_000,
    1_000,
    10,
    2,
    True,
    BENCH / "results.json",
    BENCH / "explain.txt",
    scale_out=True,
)
QUICK = Mode("quick", "sqlite", 1_000, None, 3, 1, False, LOGS / "quick.json", None)


@dataclass(frozen=True)
class ServerConfig:
    workers: int
    worker_class: str
    threads: int
    pool: bool  # psycopg's pool (DATABASE_POOL=1) rather than persistent connections

    def describe(self) -> str:
        kind = f"{self.worker_class} x{self.threads} threads" if self.threads > 1 else "sync"
        conn = "psycopg pool" if self.pool else "persistent connections (CONN_MAX_AGE=60)"
        return f"gunicorn {self.workers} workers ({kind}), {conn}"


# --- Processes -----------------------------------------------------------------------------


def log(message: str) -> None:
    print(message, flush=True)


def python(*args: str, env: dict, echo: bool = True) -> str:
    output = run([PYTHON, *args], env=env)
    if echo and output.strip():
        log(output.rstrip())
    return output


class CpuMeter:
    """How busy the machine was during a run, and how much of that was not ours.

    Other people's programs on a shared machine take cores from the server: a run with a
    high "other" share measured less than the machine can do.
    """

    def __init__(self, roots: list[int]) -> None:
        self.roots = roots  # gunicorn's master, PostgreSQL's postmaster: ours with children

    @staticmethod
    def machine() -> tuple[int, int]:
        fields = [
            int(value) for value in Path("/proc/stat").read_text().split("\n")[0].split()[1:9]
        ]
        idle = fields[3] + fields[4]
        return sum(fields) - idle, sum(fields)

    def ours(self) -> int:
        parents: dict[int, list[int]] = {}
        times: dict[int, int] = {}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # gone meanwhile
            pid = int(entry.name)
            parents.setdefault(int(fields[1]), []).append(pid)
            # utime, stime and the reaped children's cutime, cstime
            times[pid] = sum(int(value) for value in fields[11:15])
        total, todo = 0, [pid for pid in self.roots if pid in times]
        while todo:
            pid = todo.pop()
            total += times.get(pid, 0)
            todo += parents.get(pid, [])
        return total

    def __enter__(self) -> "CpuMeter":
        self.start = (*self.machine(), self.ours(), resource.getrusage(resource.RUSAGE_CHILDREN))
        return self

    def __exit__(self, *exc) -> None:
        busy, total, ours, children = self.start
        busy2, total2, ours2 = *self.machine(), self.ours()
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        tick = os.sysconf("SC_CLK_TCK")
        load_generator = (
            after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime
        ) * tick
        span = max(1, total2 - total)
        # The server's own processes' CPU (workers, master, database), in seconds: per
        # request, it says what a page costs under load, gunicorn's share included.
        self.ours_s = (ours2 - ours) / tick
        self.busy_pct = round(100 * (busy2 - busy) / span, 1)
        self.other_pct = round(
            max(0.0, 100 * (busy2 - busy - (ours2 - ours) - load_generator) / span), 1
        )


# --- Load ----------------------------------------------------------------------------------


@dataclass
class Scenario:
    name: str
    requests: list[tuple[str, str, str, str]]  # method, path, Cookie, form body
    unique: bool = False  # every request its own visitor and text (see scenario.lua)
    warm_pass: bool = False  # ask for every address until the caches hold it (warm())
    queries: str | None = None  # its page in bench/queries.py's results


def gets(paths: list[str], cookies: list[str] | None = None) -> list[tuple[str, str, str, str]]:
    return [
        ("GET", path, cookies[i % len(cookies)] if cookies else "", "")
        for i, path in enumerate(paths)
    ]


def wrk(
    server: Gunicorn, scenario: Scenario, duration: int, *, threads: int = 2, connections: int = 16
) -> dict:
    requests_file = LOGS / f"requests-{slug(scenario.name)}.tsv"
    requests_file.write_text("\n".join("\t".join(line) for line in scenario.requests) + "\n")
    env = {
        **os.environ,
        "BENCH_REQUESTS": str(requests_file),
        "BENCH_UNIQUE": "1" if scenario.unique else "0",
        "BENCH_THREADS": str(threads),
        "BENCH_RUN": str(time.time_ns()),
    }
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration}s",
        "--latency",
        "--timeout",
        "5s",
        "-s",
        str(LUA),
        server.url,
    ]
    output = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=duration + 60, check=True
    ).stdout
    with open(LOGS / "wrk.log", "a") as raw:
        raw.write(f"\n### {server.log_path.stem}: {scenario.name}\n{output}")
    return parse_wrk(output)


def parse_wrk(output: str) -> dict:
    data = json.loads(re.search(r"^BENCH-JSON (.*)$", output, re.M).group(1))
    # wrk's own summary lines, cross-checked against the script's counts.
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    sockets = sum(map(int, socket_errors.groups())) if socket_errors else 0
    status_errors = int(non_2xx.group(1)) if non_2xx else 0
    return {
        "rps": round(rps, 1),
        "p50_ms": round(data["p50_us"] / 1000, 2),
        "p90_ms": round(data["p90_us"] / 1000, 2),
        "p99_ms": round(data["p99_us"] / 1000, 2),
        "max_ms": round(data["max_us"] / 1000, 1),
        "requests": data["requests"],
        "errors": status_errors + sockets,
        "non_2xx_3xx": status_errors,
        "socket_errors": sockets,
        "statuses": data["statuses"],
        "kb_per_response": round(data["bytes"] / max(1, data["requests"]) / 1024, 1),
    }


def part_passes(workers: int) -> int:
    """Passes after which each worker has most likely rendered 99.5% of the pages itself.

    Whichever worker is free answers, so a pass gives each page to a given worker with
    a chance of 1/workers: 8 passes with two workers, 14 with three (a fixed 8 left a
    twentieth of the parts cold with three workers, rendered while measured)."""
    return math.ceil(math.log(1 - WARM_HIT_SHARE) / math.log(1 - 1 / workers)) if workers > 1 else 1


def warm(server: Gunicorn, paths: list[str]) -> float:
    """Every address, 16 at a time, over and over until every worker's caches hold it.

    Each worker has its own local-memory cache. A page-cache hit says so in its Age
    header: with the page cache on, passes go on until 99.5% of a pass are hits (once
    every worker has rendered every page, a pass takes a fraction of a second). Without
    it, only the parts of pages are cached, which no header shows: as many passes are
    made as give each worker 99.5% of the pages (``part_passes``).
    """
    started = time.monotonic()
    passes = 40 if server.page_cache else part_passes(server.workers)
    with ThreadPoolExecutor(16) as pool:
        for _ in range(passes):
            hits = hit_share(server, paths, pool)
            if server.page_cache and hits >= WARM_HIT_SHARE:
                break
        else:
            if server.page_cache:
                raise RuntimeError(f"After {passes} passes only {hits:.1%} were cache hits")
    return time.monotonic() - started


def hit_share(server: Gunicorn, paths: list[str], pool: ThreadPoolExecutor) -> float:
    """One pass over ``paths``: the share of answers that came from the page cache."""
    answers = list(pool.map(lambda path: get(server.url, path)[:2], paths))
    if any(status != 200 for status, _headers in answers):
        raise RuntimeError(f"Warm-up answers: {sorted({s for s, _h in answers})}")
    return sum("Age" in headers for _status, headers in answers) / len(paths)


def measure(server: Gunicorn, scenarios: list[Scenario], mode: Mode) -> dict[str, dict]:
    results = {}
    for scenario in scenarios:
        warm_up = 0.0
        paths = sorted({path for _m, path, _c, _b in scenario.requests})
        if scenario.warm_pass:
            warm_up = warm(server, paths)
        # A little unmeasured load first (templates, database buffers); not for writes,
        # which would only use up the readers' flood-control allowance.
        if mode.settle and not scenario.unique:
            wrk(server, scenario, mode.settle)
        with CpuMeter(server.roots) as cpu:
            result = wrk(server, scenario, mode.duration)
        result["cpu_busy_pct"], result["cpu_other_pct"] = cpu.busy_pct, cpu.other_pct
        if warm_up:
            result["warm_pass_s"] = round(warm_up, 1)
        if scenario.warm_pass and server.page_cache:
            # Whether the pages were still cached at the end: a share below the warm-up's
            # means they expired or were evicted while measured.
            with ThreadPoolExecutor(16) as pool:
                result["hits_after_pct"] = round(100 * hit_share(server, paths, pool), 1)
        result["queries_from"] = scenario.queries
        results[scenario.name] = result
        log(f"  {scenario.name:<32} {line(result)}")
    return results


def line(result: dict) -> str:
    statuses = ", ".join(f"{code}: {n}" for code, n in sorted(result["statuses"].items()))
    return (
        f"{result['rps']:>8.1f} req/s  p50 {result['p50_ms']:>7.2f} ms  "
        f"p99 {result['p99_ms']:>7.2f} ms  errors {result['errors']}  ({statuses})"
        + (
            f"  cpu busy {result['cpu_busy_pct']}%, others {result['cpu_other_pct']}%"
            if "cpu_busy_pct" in result
            else ""
        )
        + (f", hits after {result['hits_after_pct']}%" if "hits_after_pct" in result else "")
        + (
            f", server {result['server_cpu_ms']:.3f} ms CPU a request"
            if "server_cpu_ms" in result
            else ""
        )
    )


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


# --- The run -------------------------------------------------------------------------------


def page_scenarios(targets: dict) -> list[Scenario]:
    """The pages of the scale check, each measured on a server without the page cache."""
    return [
        Scenario("home", gets([targets["home"]]), queries="home"),
        Scenario("section", gets(targets["sections"]), queries="section"),
        Scenario("tag", gets(targets["tags"]), queries="tag"),
        Scenario("article", gets(targets["articles"]), warm_pass=True, queries="article"),
        Scenario("reporter", gets(targets["reporters"]), queries="reporter"),
        Scenario("search", gets(search_paths(targets)), queries="search"),
    ]


def search_paths(targets: dict) -> list[str]:
    return [f"/search/?q={quote(query)}" for query in targets["searches"]]


def csrf_tokens(server: Gunicorn, sessions: list[str]) -> list[tuple[str, str]]:
    """Each reader's CSRF cookie and form token, fetched once as their browser would."""

    def fetch(session: str) -> tuple[str, str]:
        _status, headers, body = get(server.url, "/csrf/", {"Cookie": f"sessionid={session}"})
        cookie = re.search(r"csrftoken=([^;]+)", headers.get("Set-Cookie", "")).group(1)
        return cookie, json.loads(body)["token"]

    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(fetch, sessions))


def cached_scenarios(targets: dict, tokens: list[tuple[str, str]]) -> list[Scenario]:
    """Every scenario, as production runs: anonymous pages from the page cache."""
    sessions = targets["sessions"]
    logged_in = [
        f"sessionid={session}; csrftoken={cookie}"
        for session, (cookie, _token) in zip(sessions[:LOGGED_IN_READERS], tokens, strict=False)
    ]
    text = quote("벤치마크 댓글입니다. 기사 잘 읽었습니다.")
    # One comment per reader in turn: 5,000 readers keep each one under the flood limit
    # (one comment per 15 s) as long as the site takes fewer than 5,000/15 a second.
    comments = [
        (
            "POST",
            f"/comments/articles/{targets['article_ids'][i % len(targets['article_ids'])]}/post/",
            f"sessionid={session}; csrftoken={cookie}",
            f"csrfmiddlewaretoken={token}&body={text}",
        )
        for i, (session, (cookie, token)) in enumerate(zip(sessions, tokens, strict=True))
    ]
    return [
        Scenario("home", gets([targets["home"]]), queries="home"),
        Scenario("section", gets(targets["sections"]), queries="section"),
        Scenario("reporter", gets(targets["reporters"]), queries="reporter"),
        Scenario("search", gets(search_paths(targets)), queries="search"),
        Scenario("article, one story", gets([targets["typical_article"]]), queries="article"),
        Scenario("article", gets(targets["articles"]), warm_pass=True, queries="article"),
        Scenario(
            "article (logged in)",
            gets(targets["articles"], logged_in),
            # A reader's page is made of the anonymous page's cached parts: the same
            # warm-up (and check) as the article's, whatever ran before.
            warm_pass=True,
            queries="article (logged in)",
        ),
        Scenario("comment post", comments, unique=True, queries="comment post"),
        Scenario(
            "ad click",
            gets([f"/ads/{pk}/click/" for pk in targets["placements"]]),
            unique=True,
            queries="ad click",
        ),
        # What every read costs besides the page, which a cache cannot answer: the browser
        # reports the read and the banners seen (static/js). Each from a new visitor, so
        # every one is counted.
        Scenario(
            "view beacon",
            [("POST", f"/articles/{pk}/viewed/", "", "") for pk in targets["article_ids"]],
            unique=True,
            queries="view beacon",
        ),
        Scenario(
            "impression beacon",
            [("POST", "/ads/impressions/", "", beacon) for beacon in impression_beacons(targets)],
            unique=True,
            queries="impression beacon",
        ),
    ]


def impression_beacons(targets: dict) -> list[str]:
    """Form bodies as ads.js sends them: the placements of a slot (a last field takes the
    counter scenario.lua appends)."""
    ids = targets["placements"]
    return [
        "&".join(f"placement={pk}" for pk in ids[start : start + 3]) + "&visitor="
        for start in range(0, len(ids), 3)
    ]


def server_env(env: dict, config: ServerConfig, *, page_cache: bool) -> dict:
    return {
        **env,
        "DATABASE_POOL": "1" if config.pool else "0",
        "PAGE_CACHE_SECONDS": str(CACHE_SECONDS) if page_cache else "0",
        "FRAGMENT_CACHE_SECONDS": str(CACHE_SECONDS),
    }


def seed(articles: int, env: dict, tmp: Path, timings: dict, *options: str) -> dict:
    """Seed to ``articles`` (``options``: more of bench.seed's); the targets of the site."""
    started = time.monotonic()
    log(f"\n== Seeding to {articles:,} articles")
    python("-m", "bench.seed", "--articles", str(articles), *options, env=env)
    timings[f"seed_to_{articles}_s"] = round(time.monotonic() - started, 1)
    python("-m", "bench.targets", str(tmp), env=env)
    return json.loads((tmp / "targets.json").read_text())


def query_counts(env: dict, tmp: Path, explain: Path | None) -> dict:
    out = tmp / "queries.json"
    args = ["-m", "bench.queries", str(tmp / "targets.json"), str(out)]
    if explain:
        args += ["--explain", str(explain)]
    python(*args, env=env)
    return json.loads(out.read_text())


def benchmark(mode: Mode, config: ServerConfig, stack: ExitStack) -> dict:
    started = time.monotonic()
    timings: dict[str, float] = {}
    tmp = Path(tempfile.mkdtemp(prefix="newsroom-bench."))
    stack.callback(shutil.rmtree, tmp, ignore_errors=True)
    LOGS.mkdir(exist_ok=True)
    (LOGS / "wrk.log").write_text("")

    if mode.database == "postgresql":
        postgres = Postgres()
        stack.callback(postgres.stop)
        database_url = postgres.start()
        database_version = f"PostgreSQL {postgres.version}"
        own = [postgres.pid]
        log(f"PostgreSQL {postgres.version} on port {postgres.port}")
    else:
        database_url = f"sqlite:///{tmp / 'bench.sqlite3'}"
        import sqlite3

        database_version = f"SQLite {sqlite3.sqlite_version}"
        own = []
    env = production_env(database_url, tmp)
    python("manage.py", "migrate", "--no-input", "-v0", env=env)
    python("manage.py", "collectstatic", "--no-input", "-v0", env=env)

    def serve(name: str, page_cache: bool, others: tuple = (), **extra: str) -> Gunicorn:
        server_env_ = {**server_env(env, config, page_cache=page_cache), **extra}
        server = gunicorn(name, server_env_, others)
        stack.callback(server.stop)
        return server.start()

    def gunicorn(name: str, server_env_: dict, others: tuple = ()) -> Gunicorn:
        return Gunicorn(
            server_env_,
            log_path=LOGS / f"gunicorn-{name}.log",
            workers=config.workers,
            worker_class=config.worker_class,
            threads=config.threads,
            others=(*own, *others),
        )

    scale: dict = {}
    if mode.scale_from:
        # A copy of the database at 1,000 articles, measured later side by side with the
        # 10,000, page by page in turn, so that whatever else runs on the machine weighs
        # on both alike.
        small_targets = seed(mode.scale_from, env, tmp, timings)
        scale["queries_small"] = query_counts(env, tmp, None)
        small_env = {**env, "DATABASE_URL": postgres.copy("newsroom_small")}

    targets = seed(mode.articles, env, tmp, timings)
    queries = query_counts(env, tmp, mode.explain)

    log(f"\n== {mode.articles:,} articles, page cache on ({config.describe()})")
    server = serve("cached", page_cache=True)
    t0 = time.monotonic()
    tokens = csrf_tokens(server, targets["sessions"])
    log(f"  CSRF tokens for {len(tokens)} readers ({time.monotonic() - t0:.1f} s)")
    groups = {"page cache on": measure(server, cached_scenarios(targets, tokens), mode)}
    # The ceiling: this article's HTML, as the cache serves it, as a static file.
    status, _headers, html = get(server.url, targets["typical_article"])
    if status != 200:
        raise RuntimeError(f"The article answered {status}")
    server.stop()
    static = Path(env["STATIC_ROOT"]) / "bench" / "article.html"
    static.parent.mkdir(exist_ok=True)
    static.write_bytes(html)  # before the next server starts: WhiteNoise indexes at start

    if mode.redis and shutil.which("redis-server"):
        # Each worker's local-memory cache fills on its own; one shared cache fills once.
        log("\n== The same, with Redis as the shared cache (REDIS_URL)")
        redis = Redis(tmp)
        stack.callback(redis.stop)
        redis.start()
        server = serve("cached-redis", page_cache=True, REDIS_URL=redis.url)
        scenarios = [
            Scenario("article", gets(targets["articles"]), warm_pass=True, queries="article")
        ]
        groups["page cache on, shared Redis cache"] = measure(server, scenarios, mode)
        server.stop()
        redis.stop()

    log(f"\n== {mode.articles:,} articles, page cache off")
    server = serve("uncached", page_cache=False)
    uncached = {}
    if mode.scale_from:
        log(f"   (each page also on a copy of the database at {mode.scale_from:,} articles)")
        small = gunicorn("small-uncached", server_env(small_env, config, page_cache=False))
        stack.callback(small.stop)
        small.start()
        scale["small"] = {}
        for big_page, small_page in zip(
            page_scenarios(targets), page_scenarios(small_targets), strict=True
        ):
            small_page.name = f"{small_page.name} ({mode.scale_from:,})"
            scale["small"][big_page.name] = next(iter(measure(small, [small_page], mode).values()))
            uncached.update(measure(server, [big_page], mode))
        small.stop()
    else:
        uncached.update(measure(server, page_scenarios(targets), mode))
    static = Scenario("static ceiling", gets(["/static/bench/article.html"]))
    groups["page cache off"] = {**uncached, **measure(server, [static], mode)}
    server.stop()

    log(f"\n== {mode.articles:,} articles, nothing cached (no page cache, no cached parts)")
    server = serve("nothing-cached", page_cache=False, FRAGMENT_CACHE_SECONDS="0")
    scenarios = [Scenario("article", gets(targets["articles"]), queries="article")]
    groups["nothing cached"] = measure(server, scenarios, mode)
    server.stop()

    if mode.scale_out and shutil.which("redis-server"):
        from bench.scale_out import scale_out_groups

        groups.update(
            scale_out_groups(
                primary=postgres, env=env, serve=serve, targets=targets, mode=mode, tmp=tmp
            )
        )

    timings["total_s"] = round(time.monotonic() - started, 1)

    return report(
        mode=mode,
        config=config,
        database_version=database_version,
        targets=targets,
        queries=queries,
        groups=groups,
        scale=scale,
        timings=timings,
        article_bytes=len(html),
    )


# --- Report --------------------------------------------------------------------------------


def machine(database_version: str) -> dict:
    import django

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return {
        "date": datetime.now().astimezone().isoformat(timespec="seconds"),
        "cores": os.cpu_count(),
        "cpu": cpu,
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "database": database_version,
        "gunicorn": run([GUNICORN, "--version"]).strip(),
        "wrk": wrk_version(),
    }


def wrk_version() -> str:
    result = subprocess.run(["wrk", "-v"], capture_output=True, text=True)
    return (result.stdout + result.stderr).splitlines()[0].split(" [")[0]


def with_queries(results: dict[str, dict], queries: dict[str, dict], group: str) -> dict:
    for result in results.values():
        page = queries.get(result.pop("queries_from") or "", {})
        result["queries"] = page.get("queries", 0)
        if group != "nothing cached" and "queries_parts_cached" in page:
            result["queries"] = page["queries_parts_cached"]  # as these servers run
        if "queries_warm" in page:
            result["queries_page_cache_hit"] = page["queries_warm"]
    return results


def report(
    *, mode, config, database_version, targets, queries, groups, scale, timings, article_bytes
) -> dict:
    for group, results in groups.items():
        with_queries(results, queries, group)
    cached, uncached = groups["page cache on"], groups["page cache off"]
    static = uncached["static ceiling"]
    ratios = {
        "warm article rps / static rps": round(cached["article"]["rps"] / static["rps"], 2),
        "cold article p50 / static p50": round(uncached["article"]["p50_ms"] / static["p50_ms"], 2),
        "cold article p99 ms (16 connections)": uncached["article"]["p99_ms"],
        "nothing cached: article p50 / static p50": round(
            groups["nothing cached"]["article"]["p50_ms"] / static["p50_ms"], 2
        ),
        "nothing cached: article p99 ms": groups["nothing cached"]["article"]["p99_ms"],
    }
    scale_ratios = {}
    if scale:
        small = with_queries(scale["small"], scale["queries_small"], "page cache off")
        for name, result in small.items():
            big = uncached[name]
            scale_ratios[name] = {
                "p50_1k_ms": result["p50_ms"],
                "p50_10k_ms": big["p50_ms"],
                "p50_ratio": round(big["p50_ms"] / result["p50_ms"], 2),
                "rps_1k": result["rps"],
                "rps_10k": big["rps"],
                "rps_ratio": round(result["rps"] / big["rps"], 2),
                "queries_1k": result["queries"],
                "queries_10k": big["queries"],
                "cpu_other_pct_1k": result["cpu_other_pct"],
                "cpu_other_pct_10k": big["cpu_other_pct"],
            }
        ratios["10k/1k p50, worst page"] = max(r["p50_ratio"] for r in scale_ratios.values())
    targets_met = {}
    for name, value in ratios.items():
        op, limit = TARGETS[name]
        met = {">=": value >= limit, "<=": value <= limit, "<": value < limit}[op]
        targets_met[name] = {"value": value, "target": f"{op} {limit}", "met": met}
    # Not targets, but what the same ratio is with the cache kept warm.
    related = {"one spreading story rps / static rps": cached["article, one story"]["rps"]}
    if redis := groups.get("page cache on, shared Redis cache"):
        related["warm article (shared Redis cache) rps / static rps"] = redis["article"]["rps"]
    related = {name: rps / static["rps"] for name, rps in related.items()}
    return {
        "mode": mode.name,
        "machine": machine(database_version),
        "setup": {
            "articles": mode.articles,
            "hot_article_comments": targets["hot_article_comments"],
            "server": config.describe(),
            "page_cache": f"{CACHE_SECONDS} s (production: 60 s; see CACHE_SECONDS), local "
            "memory per worker",
            "wrk": f"-t2 -c16 -d{mode.duration}s, {mode.settle} s of unmeasured load before each "
            "run; before the article runs, the 1,000 articles are fetched until the caches "
            "hold them (page cache on: 99.5% of answers are hits; off: "
            f"{part_passes(config.workers)} passes, 99.5% of the parts in every worker), "
            "and once more after it (hits_after_pct)",
            "fragment_cache": "an article's head and story, its comment thread, related "
            f"articles, the most-read box and the comment form; {CACHE_SECONDS} s, per "
            "worker; none in 'nothing cached'",
            "article_html_kb": round(article_bytes / 1024, 1),
        },
        "timings": timings,
        "scenarios": groups,
        "queries": queries,
        "scale": scale_ratios,
        "targets": targets_met,
        "related_ratios": {name: round(value, 2) for name, value in related.items()},
        "noisy_runs": [
            f"{group}: {name}"
            for group, results in groups.items()
            for name, result in results.items()
            if result["cpu_other_pct"] > NOISY_PCT
        ]
        + [
            f"{group}: {name} (only {result['hits_after_pct']}% cache hits after the run)"
            for group, results in groups.items()
            for name, result in results.items()
            if result.get("hits_after_pct", 100) < HITS_AFTER_PCT
        ]
        + [
            f"scale {name}: {side}"
            for name, r in scale_ratios.items()
            for side in ("1k", "10k")
            if r[f"cpu_other_pct_{side}"] > NOISY_PCT
        ],
    }


def noisy(other_pct: float) -> str:
    return "*" if other_pct > NOISY_PCT else " "


def print_table(results: dict) -> None:
    log("")
    log(
        f"Newsroom benchmark ({results['mode']}): {results['setup']['articles']:,} articles, "
        f"{results['machine']['cores']} cores, {results['machine']['database']}, "
        f"{results['setup']['server']}"
    )
    header = (
        f"{'scenario':<24}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}{'queries':>9}"
        f"{'others %':>10}"
    )
    for group, scenarios in results["scenarios"].items():
        log(f"\n{group}\n{header}\n{'-' * len(header)}")
        for name, r in scenarios.items():
            queries = str(r["queries"])
            if "queries_page_cache_hit" in r and group == "page cache on":
                queries = f"{r['queries']}/{r['queries_page_cache_hit']}"
            log(
                f"{name:<24}{r['rps']:>9.1f}{r['p50_ms']:>9.2f}{r['p99_ms']:>9.2f}{r['errors']:>8}"
                f"{queries:>9}{r['cpu_other_pct']:>9.0f}{noisy(r['cpu_other_pct'])}"
            )
        if share := next(iter(scenarios.values())).get("replica_transactions_pct"):
            log(f"(transactions run on the replica during these runs: {share}%)")
        sums = [
            f"{name} {' + '.join(map(str, r['rps_per_server']))}"
            for name, r in scenarios.items()
            if "rps_per_server" in r
        ]
        if sums:
            log(f"(req/s is the two servers' sum: {'; '.join(sums)}; latency the worse one's)")
    log(
        "queries: SQL per request on a page-cache miss (/ on a hit), counted in process; "
        "with the page's parts cached except under 'nothing cached'"
    )
    log(
        "others %: share of the machine's CPU taken by programs not of this benchmark; "
        f"* above {NOISY_PCT}%: that run measured less than the machine can do"
    )
    if results["scale"]:
        log(
            f"\nScale check, page cache off\n{'page':<12}{'p50 1k':>9}{'p50 10k':>9}{'ratio':>7}"
            f"{'req/s 1k':>10}{'req/s 10k':>10}{'queries':>9}{'others %':>12}"
        )
        for name, r in results["scale"].items():
            log(
                f"{name:<12}{r['p50_1k_ms']:>9.2f}{r['p50_10k_ms']:>9.2f}{r['p50_ratio']:>7.2f}"
                f"{r['rps_1k']:>10.1f}{r['rps_10k']:>10.1f}"
                f"{str(r['queries_1k']) + '/' + str(r['queries_10k']):>9}"
                f"{r['cpu_other_pct_1k']:>6.0f}{noisy(r['cpu_other_pct_1k'])}"
                f"/{r['cpu_other_pct_10k']:.0f}{noisy(r['cpu_other_pct_10k'])}"
            )
    log("\nTargets")
    for name, t in results["targets"].items():
        verdict = "met" if t["met"] else "NOT met"
        log(f"  {name:<52} {t['value']:>8} (target {t['target']}): {verdict}")
    for name, value in results["related_ratios"].items():
        log(f"  {name:<52} {value:>8}")
    seq = {name: q["seq_scans"] for name, q in results["queries"].items() if q.get("seq_scans")}
    if seq:
        log(f"\nSequential scans of big tables (bench/explain.txt): {seq}")
    log("\nTimings: " + ", ".join(f"{k} {v}" for k, v in results["timings"].items()))


def main() -> None:
    if "--compare" in sys.argv[1:]:
        # Newsroom beside Wagtail and bare Django (bench/compare), with its own options.
        from bench.compare.run import main as compare

        stop_on_signals()
        compare([arg for arg in sys.argv[1:] if arg != "--compare"])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="SQLite, 1,000 articles, short runs")
    parser.add_argument(
        "--compare",
        action="store_true",
        help="Newsroom beside Wagtail and bare Django (python -m bench.run --compare --help)",
    )
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--worker-class", default="sync", choices=["sync", "gthread"])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument(
        "--persistent", action="store_true", help="persistent connections instead of the pool"
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install wrk")
    mode = QUICK if args.quick else FULL
    config = ServerConfig(args.workers, args.worker_class, args.threads, pool=not args.persistent)

    # make's Ctrl-C or a TERM: unwind through the ExitStack, which stops what we started.
    stop_on_signals()
    with ExitStack() as stack:
        results = benchmark(mode, config, stack)
    print_table(results)
    if mode.results.exists() and "compare" in (before := json.loads(mode.results.read_text())):
        results["compare"] = before["compare"]  # make bench-compare's, kept as it was
    mode.results.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n")
    log(
        f"\nWrote {mode.results.relative_to(ROOT)}"
        + (f" and {mode.explain.relative_to(ROOT)}" if mode.explain else "")
    )


if __name__ == "__main__":
    main()
