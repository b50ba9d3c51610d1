"""Do the warm figures of ``make bench`` reproduce? ``python -m bench.stability``.

The scenarios whose figures moved from run to run — the warm article, 1,000 articles
rotating, and the logged-in reader's article — measured on one server with the page cache
on, as bench/run.py measures them (its warm-up, settle and wrk), ``--rounds`` times in a
row: the later rounds run a minute and more after the warm-up, where 60-second cache
entries made in the warm-up had all expired at once. SQLite and 1,000 articles, as
``make bench-quick``; ``--cache-seconds 60`` measures as the benchmark did before.
"""

import argparse
import json
import shutil
import tempfile
import time
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path

from bench.harness import Gunicorn, production_env, stop_on_signals
from bench.run import (
    LOGGED_IN_READERS,
    LOGS,
    QUICK,
    Scenario,
    ServerConfig,
    csrf_tokens,
    gets,
    log,
    measure,
    python,
    seed,
    server_env,
)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--duration", type=int, default=3, help="seconds per run (3)")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument(
        "--cache-seconds", type=int, help="PAGE_/FRAGMENT_CACHE_SECONDS (bench/run.py's)"
    )
    args = parser.parse_args(argv)
    stop_on_signals()
    config = ServerConfig(args.workers, "sync", 1, pool=False)
    mode = replace(QUICK, duration=args.duration)
    with ExitStack() as stack:
        tmp = Path(tempfile.mkdtemp(prefix="newsroom-stability."))
        stack.callback(shutil.rmtree, tmp, ignore_errors=True)
        LOGS.mkdir(exist_ok=True)
        env = production_env(f"sqlite:///{tmp / 'bench.sqlite3'}", tmp)
        python("manage.py", "migrate", "--no-input", "-v0", env=env)
        python("manage.py", "collectstatic", "--no-input", "-v0", env=env)
        targets = seed(mode.articles, env, tmp, {})
        server_env_ = server_env(env, config, page_cache=True)
        if args.cache_seconds:
            server_env_["PAGE_CACHE_SECONDS"] = str(args.cache_seconds)
            server_env_["FRAGMENT_CACHE_SECONDS"] = str(args.cache_seconds)
        server = Gunicorn(
            server_env_, log_path=LOGS / "gunicorn-stability.log", workers=config.workers
        )
        stack.callback(server.stop)
        server.start()
        tokens = csrf_tokens(server, targets["sessions"][:LOGGED_IN_READERS])
        logged_in = [
            f"sessionid={session}; csrftoken={cookie}"
            for session, (cookie, _token) in zip(targets["sessions"], tokens, strict=False)
        ]
        log(
            f"\n== {config.describe()}, cache entries {server_env_['PAGE_CACHE_SECONDS']} s, "
            f"wrk -t2 -c16 -d{args.duration}s"
        )
        started = time.monotonic()
        rounds = []
        for number in range(1, args.rounds + 1):
            log(f"round {number} ({time.monotonic() - started:.0f} s after the first warm-up)")
            rounds.append(
                measure(
                    server,
                    [
                        Scenario("article", gets(targets["articles"]), warm_pass=True),
                        Scenario(
                            "article (logged in)",
                            gets(targets["articles"], logged_in),
                            warm_pass=True,
                        ),
                    ],
                    mode,
                )
            )
    out = LOGS / "stability.json"
    out.write_text(json.dumps(rounds, indent=1) + "\n")
    log(f"Wrote {out}")


if __name__ == "__main__":
    main()
