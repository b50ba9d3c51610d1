"""A 60-second mixed load on loopback: nothing fails, nothing is lost.

    make soak                                   # or: .venv/bin/python -m bench.soak
    .venv/bin/python -m bench.soak --duration 20 --connections 16

Through bench/harness.py it starts a throwaway PostgreSQL cluster and gunicorn with
production settings (DEBUG=0, the page cache on); it migrates and seeds a few hundred
articles with bench/seed.py (the demo's seeder, as the benchmark uses it) and 200 readers
signed in ahead (sessions from bench/targets.py, CSRF tokens of its own), then drives 32
concurrent users with wrk for 60 seconds (bench/lua/soak.lua): readers browsing the home,
section and article pages and searching, logged-in readers reading and commenting, ad
clicks, and the page-view and impression beacons the pages send. Flood control is switched
off for the run (``CommentRules.comment_interval_seconds = 0``): the point is many
concurrent writes, not the 15-second rule, which has tests of its own.

It passes when no answer was a 5xx or a socket error, every comment POST wrk saw succeed
(302) is in the database (comments counted before and after), each article's comment
count matches its comments, and gunicorn's log has no traceback. Everything it started
is stopped and removed, failure or not; the logs are kept only when the run fails.
"""

import argparse
import json
import re
import secrets
import shutil
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

from bench.harness import (
    POSTGRES_PORT,
    PYTHON,
    ROOT,
    Gunicorn,
    Postgres,
    manage,
    production_env,
    run,
    stop_on_signals,
)

ARTICLES = 300
READERS = 200
LUA = ROOT / "bench" / "lua" / "soak.lua"
NO_FLOOD_CONTROL = (
    "from comments.models import CommentRules; rules = CommentRules.current(); "
    "rules.comment_interval_seconds = 0; rules.save()"
)
COMMENTS = "select count(*) from comments_comment"
CLICKS = "select coalesce(sum(clicks), 0) from ads_adstat"
MISCOUNTED = (
    "select count(*) from articles_article a where comment_count <> (select count(*) "
    "from comments_comment c where c.article_id = a.id and c.status = 'visible')"
)


def to_lua(value) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"[{to_lua(k)}] = {to_lua(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "{" + ", ".join(to_lua(item) for item in value) + "}"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # valid Lua too: no \u escapes
    return str(value)


def parse_wrk(output: str) -> dict:
    result = {"statuses": {}, "kinds": {}}
    for line in output.splitlines():
        if not line.startswith("SOAK "):
            continue
        _, what, rest = line.split(" ", 2)
        if what == "status":
            code, count = rest.split()
            result["statuses"][int(code)] = int(count)
        elif what == "kind":
            key, count = rest.rsplit("|", 1)
            result["kinds"][key] = int(count)
        elif what == "summary":
            keys = ["requests", "duration_us", "connect", "read", "write", "status", "timeout"]
            result |= dict(zip(keys, map(int, rest.split()), strict=True))
        elif what == "comments":
            result["comments_sent"], result["comments_ok"] = map(int, rest.split())
        elif what == "latency":
            result["p50"], result["p90"], result["p99"], result["max"] = map(int, rest.split())
    return result


def report(figures: dict, args) -> bool:
    statuses = figures["statuses"]
    seconds = figures["duration_us"] / 1e6
    server_errors = sum(n for code, n in statuses.items() if code >= 500)
    socket_errors = sum(figures[k] for k in ("connect", "read", "write", "timeout"))
    stored = figures["comments_after"] - figures["comments_before"]
    answered = sum(n for key, n in figures["kinds"].items() if key.startswith("comment "))
    # wrk stops on the second: the last comments sent may be stored without their answer.
    unanswered = figures["comments_sent"] - answered
    lost = figures["comments_ok"] - stored
    tracebacks = figures["log"].count("Traceback")
    log_errors = [
        line for line in figures["log"].splitlines()
        if re.search(r"\[(ERROR|CRITICAL)\]|Internal Server Error|WORKER TIMEOUT", line)
    ]  # fmt: skip
    print()
    rate = figures["requests"] / seconds
    print(f"requests        {figures['requests']:,} in {seconds:.1f} s = {rate:,.0f} req/s, "
          f"{args.connections} connections")  # fmt: skip
    ms = {key: figures[key] / 1000 for key in ("p50", "p90", "p99", "max")}
    print(f"latency         p50 {ms['p50']:.1f} ms, p90 {ms['p90']:.1f} ms, "
          f"p99 {ms['p99']:.1f} ms, max {ms['max']:.1f} ms")  # fmt: skip
    print("statuses        " + ", ".join(f"{c}: {n:,}" for c, n in sorted(statuses.items())))
    for key in sorted(figures["kinds"]):
        print(f"  {key:<26} {figures['kinds'][key]:,}")
    print(f"socket errors   {socket_errors} (connect {figures['connect']}, read {figures['read']}, "
          f"write {figures['write']}, timeout {figures['timeout']})")  # fmt: skip
    print(f"comments        before {figures['comments_before']:,}, after "
          f"{figures['comments_after']:,}: {stored:,} stored; of {figures['comments_sent']:,} "
          f"comment POSTs wrk saw {figures['comments_ok']:,} succeed (302), "
          f"{unanswered} still unanswered when the time was up")  # fmt: skip
    print(f"lost comments   {max(lost, 0)}; articles whose comment count is off: "
          f"{figures['miscounted_articles']}")  # fmt: skip
    clicked = figures["clicks_after"] - figures["clicks_before"]
    print(f"ad clicks       {clicked:,} counted (once per visitor, placement and 10 minutes)")
    print(f"gunicorn log    {tracebacks} tracebacks, {len(log_errors)} error lines")
    for line in log_errors[:10]:
        print(f"  {line}")
    checks = {
        "no 5xx": server_errors == 0,
        "no socket errors": socket_errors == 0,
        "every successful comment stored": lost <= 0,
        "no comment stored unasked": stored <= figures["comments_ok"] + unanswered,
        "comment counts true": figures["miscounted_articles"] == 0,
        "error log clean": tracebacks == 0 and not log_errors,
        "comments were posted": figures["comments_ok"] > 0,
    }
    failed = [name for name, ok in checks.items() if not ok]
    print("RESULT          " + ("PASS" if not failed else "FAIL: " + ", ".join(failed)))
    return not failed


def load_data(targets: dict) -> dict:
    """What the Lua script picks from: articles, readers with a session and a CSRF token,
    sections, searches and live banners (addresses as reverse() makes them: ASCII)."""
    articles = zip(targets["article_ids"], targets["articles"], strict=True)
    return {
        "readers": [
            {"session": session, "csrf": secrets.token_hex(16)} for session in targets["sessions"]
        ],
        "articles": [{"id": pk, "path": path} for pk, path in articles],
        "sections": targets["sections"],
        "placements": targets["placements"],
        "searches": targets["searches"][:50],
    }


def keep_log(log: Path, kept: Path) -> None:
    """Copy the cluster's log beside the others: stopping the cluster removes its folder."""
    if log.exists():
        shutil.copy(log, kept)


def soak(args, work: Path, stack: ExitStack) -> dict:
    """Run the load; the figures and the checks' raw material."""
    postgres = Postgres(args.postgres_port)
    stack.callback(postgres.stop)
    stack.callback(keep_log, postgres.root / "log", work / "postgresql.log")
    env = production_env(
        postgres.start(),
        work,
        PAGE_CACHE_SECONDS="60",
        EMAIL_HOST="127.0.0.1",  # nothing here sends mail, and never to a real server
    )
    print("soak: migrating, collecting static files, seeding...", flush=True)
    manage("migrate", "--no-input", "-v0", env=env)
    manage("collectstatic", "--no-input", "-v0", env=env)
    seed = ["-m", "bench.seed", "--articles", str(ARTICLES), "--readers", str(READERS)]
    run([PYTHON, *seed], env=env)
    run([PYTHON, "-m", "bench.targets", str(work)], env=env)
    manage("shell", "-c", NO_FLOOD_CONTROL, env=env)
    targets = json.loads((work / "targets.json").read_text())
    script = work / "soak.lua"
    data = f"local data = {to_lua(load_data(targets))}"
    script.write_text(LUA.read_text().replace("local data = DATA", data))

    def count(query: str) -> int:
        return int(postgres.execute(query, database="newsroom")[0])

    figures = {"comments_before": count(COMMENTS), "clicks_before": count(CLICKS)}
    log = work / "gunicorn.log"
    server = Gunicorn(
        env, log_path=log, workers=args.workers, worker_class="gthread", threads=args.threads
    )
    stack.callback(server.stop)
    server.start()
    print(
        f"soak: {args.connections} users for {args.duration} s against gunicorn "
        f"({args.workers} workers x {args.threads} threads) and PostgreSQL...",
        flush=True,
    )
    users = [f"-t{args.connections}", f"-c{args.connections}", f"-d{args.duration}s"]
    wrk = run(["wrk", *users, "--timeout", "30s", "-s", str(script), server.url])
    server.stop()  # a graceful stop: workers write their counters
    figures |= parse_wrk(wrk)
    figures["comments_after"] = count(COMMENTS)
    figures["miscounted_articles"] = count(MISCOUNTED)
    figures["clicks_after"] = count(CLICKS)
    figures["log"] = log.read_text()
    figures["wrk"] = wrk
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=60, help="seconds of load (60)")
    parser.add_argument("--connections", type=int, default=32, help="concurrent users (32)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (3)")
    parser.add_argument("--threads", type=int, default=8, help="threads per worker (8)")
    parser.add_argument(
        "--postgres-port", type=int, default=POSTGRES_PORT, help="first port to try"
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("soak: wrk is not on PATH", file=sys.stderr)
        return 2
    stop_on_signals()
    work = Path(tempfile.mkdtemp(prefix="newsroom-soak-"))
    passed = False
    try:
        with ExitStack() as stack:
            figures = soak(args, work, stack)
        passed = report(figures, args)
    finally:
        if passed:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"soak: the logs are in {work}", file=sys.stderr)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
