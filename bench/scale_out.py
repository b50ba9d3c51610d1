"""Past one machine, measured on one: a read replica, and two app servers on one Redis.

``make bench`` (bench/run.py) ends with these two groups on its seeded PostgreSQL site:

- **read replica**: a ``pg_basebackup -R`` standby of the benchmark's cluster streaming
  from it, and a server with ``REPLICA_DATABASE_URL`` and the page cache off, so every
  anonymous page is a miss that reads from the replica (its parts cached, as production
  has them). The share of the transactions each database ran during the runs shows where
  the reads went;
- **two app servers**: two gunicorn servers of the benchmark's size, one Redis as the
  shared cache for both, driven at once by one wrk each (half the connections each, as a
  load balancer would share them); req/s is the sum, p50 and p99 the worse server's.

On one 2-core machine the replica and the second server share the cores with the first,
so these figures show that the parts work together under load and what they cost, not
what more machines add (docs/scale.md says how to read them).

For a short smoke run on its own (a throwaway cluster, a small seed, short runs):

    python -m bench.scale_out --articles 200 --duration 2
"""

import argparse
import dataclasses
import json
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

from bench.harness import Postgres, Redis, Standby, production_env, stop_on_signals
from bench.run import (
    LOGS,
    CpuMeter,
    Gunicorn,
    Scenario,
    ServerConfig,
    gets,
    line,
    log,
    measure,
    python,
    search_paths,
    server_env,
    warm,
    wrk,
)

TRANSACTIONS = "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = 'newsroom'"


def replica_group(*, primary: Postgres, env: dict, serve, targets: dict, mode) -> dict:
    """The pages of a cache miss, served with their reads on a streaming replica."""
    standby = Standby(primary)
    started = time.monotonic()
    replica_url = standby.start()
    log(f"  standby on port {standby.port} ({time.monotonic() - started:.1f} s to copy)")
    try:
        server = serve(
            "replica",
            page_cache=False,
            REPLICA_DATABASE_URL=replica_url,
            others=(standby.pid,),
        )
        scenarios = [
            Scenario("article", gets(targets["articles"]), warm_pass=True, queries="article"),
            Scenario("section", gets(targets["sections"]), queries="section"),
            Scenario("search", gets(search_paths(targets)), queries="search"),
        ]
        before = primary.execute(TRANSACTIONS, database="newsroom")[0]
        on_replica = standby.execute(TRANSACTIONS, database="newsroom")[0]
        results = measure(server, scenarios, mode)
        primary_count = primary.execute(TRANSACTIONS, database="newsroom")[0] - before
        replica_count = standby.execute(TRANSACTIONS, database="newsroom")[0] - on_replica
        share = round(100 * replica_count / max(1, replica_count + primary_count), 1)
        log(f"  transactions: {replica_count:,} on the replica, {primary_count:,} on the primary")
        for result in results.values():
            result["replica_transactions_pct"] = share
        server.stop()
    finally:
        standby.stop()
    return results


def two_servers_group(*, env: dict, serve, targets: dict, mode, tmp: Path) -> dict:
    """The article page from two servers sharing one Redis, hit and miss."""
    redis = Redis(tmp).start()
    results = {}
    try:
        for name, page_cache in (("article", True), ("article, page-cache miss", False)):
            pair = [
                serve(f"two-{side}-{page_cache}", page_cache=page_cache, REDIS_URL=redis.url)
                for side in ("a", "b")
            ]
            scenario = Scenario(name, gets(targets["articles"]), queries="article")
            results[name] = measure_pair(pair, scenario, mode)
            for server in pair:
                server.stop()
    finally:
        redis.stop()
    return results


def measure_pair(pair: list[Gunicorn], scenario: Scenario, mode) -> dict:
    """One wrk per server at once, 8 connections each; the sum of req/s, the worse latency."""
    paths = sorted({path for _m, path, _c, _b in scenario.requests})
    warm_up = sum(warm(server, paths) for server in pair)
    per_server = [dataclasses.replace(scenario, name=f"{scenario.name} @{i}") for i in (1, 2)]

    def load(duration: int) -> list[dict]:
        with ThreadPoolExecutor(2) as pool:
            runs = [
                pool.submit(wrk, server, one, duration, threads=1, connections=8)
                for server, one in zip(pair, per_server, strict=True)
            ]
            return [run.result() for run in runs]

    if mode.settle:
        load(mode.settle)
    roots = sorted({root for server in pair for root in server.roots})
    with CpuMeter(roots) as cpu:
        runs = load(mode.duration)
    statuses: dict[str, int] = {}
    for run in runs:
        for code, count in run["statuses"].items():
            statuses[code] = statuses.get(code, 0) + count
    result = {
        "rps": round(sum(run["rps"] for run in runs), 1),
        "p50_ms": max(run["p50_ms"] for run in runs),
        "p90_ms": max(run["p90_ms"] for run in runs),
        "p99_ms": max(run["p99_ms"] for run in runs),
        "max_ms": max(run["max_ms"] for run in runs),
        "requests": sum(run["requests"] for run in runs),
        "errors": sum(run["errors"] for run in runs),
        "non_2xx_3xx": sum(run["non_2xx_3xx"] for run in runs),
        "socket_errors": sum(run["socket_errors"] for run in runs),
        "statuses": statuses,
        "kb_per_response": runs[0]["kb_per_response"],
        "rps_per_server": [run["rps"] for run in runs],
        "cpu_busy_pct": cpu.busy_pct,
        "cpu_other_pct": cpu.other_pct,
        "warm_pass_s": round(warm_up, 1),
        "queries_from": scenario.queries,
    }
    log(f"  {scenario.name + ' (2 servers)':<32} {line(result)}")
    return result


def scale_out_groups(*, primary, env, serve, targets, mode, tmp) -> dict[str, dict]:
    """Both groups, named as bench/results.json and docs/scale.md show them."""
    log("\n== Past one machine: a read replica (page cache off: every page a miss)")
    groups = {"read replica, page cache off": replica_group(
        primary=primary, env=env, serve=serve, targets=targets, mode=mode
    )}  # fmt: skip
    log("\n== Past one machine: two app servers, one Redis")
    groups["two app servers, shared Redis cache"] = two_servers_group(
        env=env, serve=serve, targets=targets, mode=mode, tmp=tmp
    )
    return groups


def main() -> None:
    """A smoke run of both groups on a small seed: that they work, not what they measure."""
    from bench.run import QUICK, seed

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--duration", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    mode = dataclasses.replace(QUICK, duration=args.duration, settle=0)
    config = ServerConfig(args.workers, "sync", 1, pool=True)
    stop_on_signals()
    with ExitStack() as stack:
        tmp = Path(tempfile.mkdtemp(prefix="newsroom-scale-out."))
        LOGS.mkdir(exist_ok=True)
        primary = Postgres()
        stack.callback(primary.stop)
        env = production_env(primary.start(), tmp)
        python("manage.py", "migrate", "--no-input", "-v0", env=env)
        python("manage.py", "collectstatic", "--no-input", "-v0", env=env)
        targets = seed(args.articles, env, tmp, {})

        def serve(name: str, page_cache: bool, others: tuple = (), **extra: str) -> Gunicorn:
            server = Gunicorn(
                {**server_env(env, config, page_cache=page_cache), **extra},
                log_path=LOGS / f"gunicorn-{name}.log",
                workers=config.workers,
                others=(primary.pid, *others),
            )
            stack.callback(server.stop)
            return server.start()

        groups = scale_out_groups(
            primary=primary, env=env, serve=serve, targets=targets, mode=mode, tmp=tmp
        )
    keys = ("rps", "p50_ms", "p99_ms", "errors", "replica_transactions_pct", "rps_per_server")
    summary = {
        group: {name: {k: r[k] for k in keys if k in r} for name, r in results.items()}
        for group, results in groups.items()
    }
    log(json.dumps(summary, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
