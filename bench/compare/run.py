"""Newsroom beside Wagtail and bare Django, in one run: ``make bench-compare``
(``python -m bench.run --compare``).

Seeds Newsroom on SQLite (1,000 articles as bench-quick has them, 20 comments a story),
picks the 200 latest articles with a photo and builds a Wagtail 8 site of the same 200
stories in its own virtual environment (bench/.wagtail-venv, made here from
bench/compare/requirements-wagtail.txt) and its own SQLite database. Then every page is
measured with the same settings — gunicorn with 2 sync workers, DEBUG=0, ``wrk -t2 -c16
-d10s`` three times after a warm-up, each run after a few seconds of unmeasured load,
medians. Every server is started and warmed first, then the runs go round the pages (a run
of each, three rounds), so that the machine's drifting speed falls on every page alike:

- Wagtail's article page, the 200 articles rotating;
- Newsroom's article page with nothing cached (no page cache, no cached parts), the
  same 200 articles rotating; with its parts cached; with the page cache on;
- Newsroom's article page for logged-in readers (100 sessions, the page cache on, as in
  production: a reader with a session never gets the shared page);
- a bare Django view returning the bytes of the Newsroom article page (bench/compare/bare.py),
  with Django's own two headers, and again with the headers Newsroom's hit sends;
- the static-file ceiling: the same bytes as a static file (gunicorn and WhiteNoise).

Then each page's CPU per request is measured in process, three rounds of every page in turn
(bench/render_cpu.py, a process a round: no server, no load generator, a figure the
machine's other programs hardly move), with where Newsroom's article spends it (its parts)
and which code spends it on Newsroom's and Wagtail's pages (the database layer, the
templates, the request cycle…: render_cpu.py --layers). It prints
the tables and the ratios issue 16 sets as targets and writes them into the "compare"
section of bench/results.json (the rest of the file is left as it is).
"""

import argparse
import hashlib
import json
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

from bench.harness import Gunicorn, get, production_env, run
from bench.run import (
    BENCH,
    LOGGED_IN_READERS,
    LOGS,
    NOISY_PCT,
    CpuMeter,
    Scenario,
    ServerConfig,
    csrf_tokens,
    gets,
    hit_share,
    line,
    log,
    machine,
    noisy,
    python,
    server_env,
    warm,
    wrk,
)

HERE = Path(__file__).resolve().parent
REQUIREMENTS = HERE / "requirements-wagtail.txt"
WAGTAIL_VENV = BENCH / ".wagtail-venv"  # git-ignored
RESULTS = BENCH / "results.json"

NEWSROOM_ARTICLES = 1000  # seeded, as bench-quick does; 200 of them rotate
ROTATING = 200
TYPICAL_OF = 21  # rotating pages whose median length the bare view's page has
READERS = 500  # seeded readers; LOGGED_IN_READERS of them are logged in
CONFIG = ServerConfig(workers=2, worker_class="sync", threads=1, pool=False)

# Scenario keys, in the order they are measured and printed.
SCENARIOS = {
    "wagtail": "Wagtail 8 article, 200 rotating",
    "nothing-cached": "Newsroom article, page cache and parts off",
    "parts-cached": "Newsroom article, parts cached",
    "page-cache": "Newsroom article, page cache on",
    "logged-in": "Newsroom article, logged-in reader",
    "bare": "bare Django view, same bytes",
    "bare-headers": "bare Django view, same bytes and headers",
    "static": "static-file ceiling, same bytes",
}
# Requests per round of the in-process CPU measurement (bench/render_cpu.py): enough for
# a rendered page to take a few seconds a round, and for a cached one too.
CPU_REQUESTS = {"page-cache": 3000, "bare": 3000, "bare-headers": 3000}
RENDERS_PER_ROUND = 200
# Where the CPU goes is recorded for these.
CPU_PARTS = ("nothing-cached", "logged-in")
# And which code spends it (render_cpu --layers), Wagtail's page's too.
CPU_LAYERS = ("nothing-cached", "logged-in", "wagtail")
# Rounds of the in-process measurement, each page in turn (each round is its own process).
CPU_ROUNDS = 3
# (name, numerator, denominator, target): ratios of req/s, and of CPU per request (the
# denominator's CPU over the numerator's: how many of the numerator's requests one of the
# denominator's costs).
RATIOS = [
    ("nothing cached / Wagtail", "nothing-cached", "wagtail", 3.0),
    ("logged-in reader / Wagtail anonymous", "logged-in", "wagtail", 2.0),
    ("page cache on (warm) / bare Django", "page-cache", "bare", 0.9),
    ("page cache on / bare Django + headers", "page-cache", "bare-headers", None),
    ("parts cached / Wagtail", "parts-cached", "wagtail", None),
    ("bare Django / static ceiling", "bare", "static", None),
    ("page cache on / static ceiling", "page-cache", "static", None),
]


def wagtail_python() -> Path:
    """bench/.wagtail-venv's interpreter, the venv made or brought up to date first."""
    python_ = WAGTAIL_VENV / "bin" / "python"
    stamp = WAGTAIL_VENV / ".installed"
    wanted = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    if python_.exists() and stamp.exists() and stamp.read_text() == wanted:
        return python_
    log(f"== Wagtail's virtual environment ({WAGTAIL_VENV.relative_to(BENCH.parent)})")
    if not python_.exists():
        # The interpreter Newsroom's own venv was made from: the same Python for both.
        base = getattr(sys, "_base_executable", sys.executable)
        run([base, "-m", "venv", str(WAGTAIL_VENV)])
    run([str(python_), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         "-r", str(REQUIREMENTS)])  # fmt: skip
    stamp.write_text(wanted)
    return python_


def wagtail_manage(python_: Path, *args: str, env: dict) -> None:
    output = run([str(python_), "-m", "django", *args], env=env)
    if output.strip():
        log(output.rstrip())


def typical_page(server: Gunicorn, paths: list[str]) -> str:
    """Of ``paths``, the one whose page has the median length."""
    lengths = sorted((len(get(server.url, path)[2]), path) for path in paths)
    return lengths[len(lengths) // 2][1]


def warm_up(server: Gunicorn, warm_paths: list[str] | None, *, cached: bool) -> float:
    """Seconds spent asking for every one of ``warm_paths`` until every worker's caches
    hold it (bench/run.py's warm()) when the server caches (``cached``), else once
    (templates, database connections, Wagtail's renditions)."""
    if warm_paths and cached:
        return warm(server, warm_paths)
    if warm_paths:
        started = time.monotonic()
        with ThreadPoolExecutor(16) as pool:
            hit_share(server, warm_paths, pool)
        return time.monotonic() - started
    return 0.0


def measured_run(server: Gunicorn, scenario: Scenario, opts) -> dict:
    """``opts.settle`` s of unmeasured load (the server has been idle while the other pages
    were measured), then one measured run of ``opts.duration`` s."""
    if opts.settle:
        wrk(server, scenario, opts.settle)
    with CpuMeter(server.roots) as cpu:
        result = wrk(server, scenario, opts.duration)
    result["cpu_busy_pct"], result["cpu_other_pct"] = cpu.busy_pct, cpu.other_pct
    result["server_cpu_ms"] = round(1000 * cpu.ours_s / max(1, result["requests"]), 3)
    return result


def in_rounds(pages: list[tuple], rounds: int, measure) -> dict[str, list]:
    """``measure(round, *page[1:])`` for each of ``pages`` (key first) in turn, ``rounds``
    times over: each page's results, in the order of the rounds."""
    results: dict[str, list] = {key: [] for key, *_ in pages}
    for number in range(1, rounds + 1):
        for key, *page in pages:
            results[key].append(measure(number, *page))
    return results


def summary(runs: list[dict], *, warm_up_s: float) -> dict:
    """The median of each figure over the runs, and every run's."""
    median = {
        key: round(statistics.median(r[key] for r in runs), 2)
        for key in ("rps", "p50_ms", "p90_ms", "p99_ms", "kb_per_response",
                    "cpu_busy_pct", "cpu_other_pct")
    }  # fmt: skip
    median["server_cpu_ms"] = round(statistics.median(r["server_cpu_ms"] for r in runs), 3)
    median["errors"] = sum(r["errors"] for r in runs)
    median["statuses"] = {
        code: sum(r["statuses"].get(code, 0) for r in runs)
        for code in sorted({code for r in runs for code in r["statuses"]})
    }
    median["runs"] = [
        {key: r[key] for key in ("rps", "p50_ms", "p99_ms", "cpu_other_pct", "server_cpu_ms")}
        for r in runs
    ]
    if warm_up_s:
        median["warm_up_s"] = round(warm_up_s, 1)
    return median


def benchmark(opts, stack: ExitStack) -> dict:
    started = time.monotonic()
    tmp = Path(tempfile.mkdtemp(prefix="newsroom-compare."))
    stack.callback(subprocess.run, ["rm", "-rf", str(tmp)])
    LOGS.mkdir(exist_ok=True)
    (LOGS / "wrk.log").write_text("")
    wagtail_py = wagtail_python()

    import sqlite3

    env = production_env(f"sqlite:///{tmp / 'newsroom.sqlite3'}", tmp)
    log(f"\n== Newsroom: {NEWSROOM_ARTICLES:,} articles on SQLite {sqlite3.sqlite_version}")
    python("manage.py", "migrate", "--no-input", "-v0", env=env)
    python("manage.py", "collectstatic", "--no-input", "-v0", env=env)
    python("-m", "bench.seed", "--articles", str(NEWSROOM_ARTICLES), "--readers", str(READERS),
           env=env)  # fmt: skip
    python("-m", "bench.targets", str(tmp), env=env)
    targets = json.loads((tmp / "targets.json").read_text())
    export = tmp / "export.json"
    python("-m", "bench.compare.export", str(export), "--articles", str(ROTATING), env=env)
    stories = json.loads(export.read_text())["articles"]
    newsroom_paths = [story["newsroom_path"] for story in stories]
    wagtail_paths = [story["wagtail_path"] for story in stories]

    log("\n== Wagtail: the same stories")
    wagtail_env = {
        **env,
        "DATABASE_URL": f"sqlite:///{tmp / 'wagtail.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "bench.compare.wagtailsite.settings",
        "PAGE_CACHE_SECONDS": "0",  # no page cache: warm() needs no Age header from it
    }
    wagtail_manage(wagtail_py, "migrate", "--no-input", "-v0", env=wagtail_env)
    wagtail_manage(wagtail_py, "seed_articles", str(export), env=wagtail_env)
    wagtail_page = json.loads(
        run([str(wagtail_py), "-m", "django", "page_weight", "--json", *wagtail_paths[:20]],
            env=wagtail_env)
    )  # fmt: skip
    log(f"  Wagtail's article page: {wagtail_page['kb']} kB, {wagtail_page['queries']} queries")

    def serve(name: str, server_env_: dict, **kwargs) -> Gunicorn:
        server = Gunicorn(
            server_env_,
            log_path=LOGS / f"gunicorn-compare-{name}.log",
            workers=CONFIG.workers,
            worker_class=CONFIG.worker_class,
            threads=CONFIG.threads,
            **kwargs,
        )
        stack.callback(server.stop)
        return server.start()

    wanted = [key for key in SCENARIOS if not opts.only or key in opts.only]
    results: dict[str, dict] = {}
    # How to ask each page in process afterwards: interpreter, environment, app, cookies.
    in_process: dict[str, tuple] = {}

    # Every page is set up and warmed first; then the measured runs go round the pages, one
    # run of each in turn. The machine's speed drifts (it shares its host): measured one
    # after another, the last page measured could land in a slower minute than the first.
    # Round by round, a drift falls on every page alike, and the ratios hold.
    plan: list[tuple[str, Gunicorn, Scenario, list | None, float]] = []

    def page(key: str, server: Gunicorn, requests: list, warm_paths=None, cached=False) -> None:
        if key in wanted:
            seconds = warm_up(server, warm_paths, cached=cached)
            plan.append((key, server, Scenario(SCENARIOS[key], requests), warm_paths, seconds))

    log(f"\n== Setting up and warming every page ({CONFIG.describe()})")
    # The page cache on first: it makes the bytes the bare view and the static file serve.
    server = serve("page-cache", server_env(env, CONFIG, page_cache=True))
    # The bare view serves one page for the 200 rotating ones: one of typical length. Each
    # run seeds its own comments, and the first article's page alone has measured 38 and
    # 51 kB in two runs (the rotating pages' mean: 41).
    typical = typical_page(server, newsroom_paths[:TYPICAL_OF])
    # A hit's bytes and headers, from one answer: each worker renders the page once, with
    # its own banners (another length), and answers from its cache after (with an Age).
    for _ in range(2 * CONFIG.workers + 2):
        status, headers, html = get(server.url, typical)
        if status != 200:
            raise RuntimeError(f"Newsroom's article answered {status}")
        if "Age" in headers:
            break
    else:
        raise RuntimeError("Newsroom's article never came from the page cache")
    bare_page = tmp / "article.html"
    bare_page.write_bytes(html)
    own = {"server", "date", "connection", "transfer-encoding"}  # gunicorn writes these
    sent = [[name, value] for name, value in headers.items() if name.lower() not in own]
    bare_headers = tmp / "article-headers.json"
    bare_headers.write_text(json.dumps(sent))
    static = Path(env["STATIC_ROOT"]) / "bench" / "article.html"
    static.parent.mkdir(exist_ok=True)
    static.write_bytes(html)  # before the next Newsroom server starts: WhiteNoise indexes then
    page("page-cache", server, gets(newsroom_paths), newsroom_paths, cached=True)
    newsroom_app = (Path(sys.executable), "newsroom.wsgi:application")
    in_process["page-cache"] = (*newsroom_app, server.env, newsroom_paths, None)
    if "logged-in" in wanted:
        tokens = csrf_tokens(server, targets["sessions"][:LOGGED_IN_READERS])
        cookies = [
            f"sessionid={session}; csrftoken={cookie}"
            for session, (cookie, _token) in zip(targets["sessions"], tokens, strict=False)
        ]
        # A reader's page is made of the anonymous page's cached parts: the same warm-up.
        page("logged-in", server, gets(newsroom_paths, cookies), newsroom_paths, cached=True)
        in_process["logged-in"] = (*newsroom_app, server.env, newsroom_paths, cookies)

    if {"parts-cached", "static"} & set(wanted):
        server = serve("parts-cached", server_env(env, CONFIG, page_cache=False))
        page("parts-cached", server, gets(newsroom_paths), newsroom_paths, cached=True)
        in_process["parts-cached"] = (*newsroom_app, server.env, newsroom_paths, None)
        page("static", server, gets(["/static/bench/article.html"]))

    if "nothing-cached" in wanted:
        nothing = {**server_env(env, CONFIG, page_cache=False), "FRAGMENT_CACHE_SECONDS": "0"}
        server = serve("nothing-cached", nothing)
        page("nothing-cached", server, gets(newsroom_paths), newsroom_paths)
        in_process["nothing-cached"] = (*newsroom_app, nothing, newsroom_paths, None)

    # Bare Django twice: with Django's own header, and with the ones a hit sends.
    bare = {"BARE_PAGE": str(bare_page), "PAGE_CACHE_SECONDS": "0"}
    for key, extra in (("bare", {}), ("bare-headers", {"BARE_HEADERS": str(bare_headers)})):
        if key in wanted:
            bare_env = {**env, **bare, **extra}
            bare_env.pop("DJANGO_SETTINGS_MODULE")  # bare.py configures its own settings
            server = serve(key, bare_env, app="bench.compare.bare:application")
            page(key, server, gets(newsroom_paths))
            in_process[key] = (Path(sys.executable), "bench.compare.bare:application", bare_env,
                               newsroom_paths, None)  # fmt: skip

    if "wagtail" in wanted:
        server = serve(
            "wagtail",
            wagtail_env,
            app="bench.compare.wagtailsite.wsgi:application",
            executable=str(WAGTAIL_VENV / "bin" / "gunicorn"),
            ready_path=wagtail_paths[0],
        )
        page("wagtail", server, gets(wagtail_paths), wagtail_paths)
        in_process["wagtail"] = (wagtail_py, "bench.compare.wagtailsite.wsgi:application",
                                 wagtail_env, wagtail_paths, None)  # fmt: skip

    log(f"\n== Measuring: {opts.runs} rounds of every page, wrk -t2 -c16 -d{opts.duration}s each")

    def measure(number: int, server: Gunicorn, scenario: Scenario) -> dict:
        result = measured_run(server, scenario, opts)
        log(f"  round {number}  {scenario.name:<44} {line(result)}")
        return result

    runs = in_rounds([(key, server, scenario) for key, server, scenario, *_ in plan],
                     opts.runs, measure)  # fmt: skip
    log("  medians:")
    for key, server, scenario, warm_paths, seconds in plan:
        results[key] = summary(runs[key], warm_up_s=seconds)
        if warm_paths and server.page_cache:
            with ThreadPoolExecutor(16) as pool:
                share = hit_share(server, warm_paths, pool)
            results[key]["hits_after_pct"] = round(100 * share, 1)
        log(f"  {scenario.name:<44} {line(results[key])}")

    log(f"\n== CPU per request, in process (bench/render_cpu.py), {CPU_ROUNDS} rounds")
    cpu_rounds = {key: [] for key in SCENARIOS if key in in_process and key in results}
    for number in range(1, CPU_ROUNDS + 1):
        for key, rounds in cpu_rounds.items():
            last = number == CPU_ROUNDS
            rounds.append(
                cpu_per_request(
                    key,
                    *in_process[key],
                    tmp=tmp,
                    parts=last and key in CPU_PARTS,
                    layers=last and key in CPU_LAYERS,
                )
            )
    for key, rounds in cpu_rounds.items():
        cpu = [figures["cpu_ms"] for figures in rounds]
        results[key]["in_process"] = {
            **rounds[-1],
            "cpu_ms": round(statistics.median(cpu), 2),
            "rounds": cpu,
            "requests": sum(figures["requests"] for figures in rounds),
        }

    return report(opts, results, html, wagtail_page, time.monotonic() - started)


def cpu_per_request(
    key: str,
    python_: Path,
    app: str,
    env: dict,
    paths: list,
    cookies: list | None,
    *,
    tmp: Path,
    parts: bool = False,
    layers: bool = False,
) -> dict:
    """bench/render_cpu.py's figures for one round of one page, run with that page's server
    settings; with ``parts``, where the CPU goes too, and with ``layers``, which code
    spends it."""
    args = [str(python_), "-m", "bench.render_cpu", str(tmp / "cpu-paths.json"), "--app", app]
    args += ["--rounds", "1"]
    (tmp / "cpu-paths.json").write_text(json.dumps(paths))
    if cookies:
        (tmp / "cpu-cookies.json").write_text(json.dumps(cookies))
        args += ["--cookies", str(tmp / "cpu-cookies.json")]
    args += ["--requests", str(CPU_REQUESTS.get(key, RENDERS_PER_ROUND))]
    if parts:
        args.append("--parts")
    if layers:
        args.append("--layers")
    figures = json.loads(run(args, env=env).strip().splitlines()[-1])
    log(f"  {SCENARIOS[key]:<44} {figures['cpu_ms']:>7.2f} ms CPU, {figures['queries']} queries")
    return figures


def report(opts, results: dict, html: bytes, wagtail_page: dict, total: float) -> dict:
    ratios = {}
    for name, numerator, denominator, target in RATIOS:
        ratio_keys = (numerator, denominator)
        if numerator in results and denominator in results:
            value = round(results[numerator]["rps"] / results[denominator]["rps"], 2)
            ratios[name] = {"value": value}
            if target is not None:
                ratios[name] |= {"target": f">= {target}", "met": value >= target}
            cpu = [results[key].get("in_process", {}).get("cpu_ms") for key in ratio_keys]
            if all(cpu):
                ratios[name]["cpu_value"] = round(cpu[1] / cpu[0], 2)
            server = [results[key].get("server_cpu_ms") for key in ratio_keys]
            if all(server):
                ratios[name]["server_cpu_value"] = round(server[1] / server[0], 2)
    import sqlite3

    return {
        "machine": machine(f"SQLite {sqlite3.sqlite_version}"),
        "setup": {
            "server": CONFIG.describe() + ", DEBUG=0, SQLite",
            "wrk": f"-t2 -c16 -d{opts.duration}s, {opts.runs} rounds of every page in turn "
            f"(medians), {opts.settle} s of unmeasured load before each run",
            "newsroom": f"{NEWSROOM_ARTICLES:,} articles seeded (bench/seed.py); the "
            f"{ROTATING} latest with a photo rotate; {LOGGED_IN_READERS} logged-in readers",
            "wagtail": f"Wagtail {wagtail_page['wagtail']}, the same {ROTATING} stories "
            "(bench/compare/wagtailsite)",
            "newsroom_article_kb": round(len(html) / 1024, 1),
            "wagtail_article_kb": wagtail_page["kb"],
            "wagtail_article_queries": wagtail_page["queries"],
        },
        "total_s": round(total, 1),
        "scenarios": {SCENARIOS[key]: results[key] for key in SCENARIOS if key in results},
        "ratios": ratios,
        "noisy_runs": [
            SCENARIOS[key] for key, r in results.items() if r["cpu_other_pct"] > NOISY_PCT
        ],
    }


def print_table(compare: dict) -> None:
    setup = compare["setup"]
    log(f"\nSide by side: {setup['server']}; wrk {setup['wrk']}")
    log(
        f"Newsroom article {setup['newsroom_article_kb']} kB; Wagtail article "
        f"{setup['wagtail_article_kb']} kB, {setup['wagtail_article_queries']} queries"
    )
    header = (
        f"{'page':<46}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}{'others %':>10}"
        f"{'server':>9}{'CPU ms':>9}{'queries':>9}"
    )
    log(f"\n{header}\n{'-' * len(header)}")
    for name, r in compare["scenarios"].items():
        cpu = r.get("in_process", {})
        log(
            f"{name:<46}{r['rps']:>9.1f}{r['p50_ms']:>9.2f}{r['p99_ms']:>9.2f}{r['errors']:>8}"
            f"{r['cpu_other_pct']:>9.0f}{noisy(r['cpu_other_pct']):1}{r['server_cpu_ms']:>9.3f}"
            f"{cpu.get('cpu_ms', float('nan')):>9.2f}{cpu.get('queries', float('nan')):>9}"
        )
    log(
        "others %: share of the machine's CPU taken by programs not of this benchmark; "
        f"* above {NOISY_PCT}%: that run measured less than the machine can do"
    )
    log(
        "server: CPU ms per request of the server's processes under load (gunicorn's master "
        "and workers), gunicorn's own work included"
    )
    log("CPU ms: CPU per request in process (bench/render_cpu.py), no server or load generator")
    log(
        "\nRatios: of req/s; of CPU per request in process; and of the server's CPU per request "
        "(the last two by cost)"
    )
    for name, ratio in compare["ratios"].items():
        verdict = ""
        if "target" in ratio:
            verdict = f" (target {ratio['target']}): {'met' if ratio['met'] else 'NOT met'}"
        by_cpu = f"  by CPU {ratio['cpu_value']:>6}" if "cpu_value" in ratio else ""
        if "server_cpu_value" in ratio:
            by_cpu += f"  by server CPU {ratio['server_cpu_value']:>6}"
        log(f"  {name:<40} {ratio['value']:>6}{verdict}{by_cpu}")
    for name, r in compare["scenarios"].items():
        if parts := r.get("in_process", {}).get("parts_ms"):
            log(f"\nWhere the CPU of '{name}' goes (ms per request, parts inclusive):")
            for part, cpu in parts.items():
                log(f"  {cpu:>7.2f}  {part}")
    print_layers(compare["scenarios"])


def print_layers(scenarios: dict) -> None:
    """Which code spends each page's CPU, side by side (bench/render_cpu.py --layers)."""
    shares = {
        name: r["in_process"]["layers_percent"]
        for name, r in scenarios.items()
        if "layers_percent" in r.get("in_process", {})
    }
    if not shares:
        return
    log("\nWhich code spends the CPU (% of each page's, own time by layer; ms at its CPU ms):")
    for name, layers in shares.items():
        cpu = scenarios[name]["in_process"]["cpu_ms"]
        log(f"  {name}")
        for layer, percent in layers.items():
            log(f"    {percent:>5.1f}%  {cpu * percent / 100:>6.2f} ms  {layer}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.run --compare", description=__doc__)
    parser.add_argument("--duration", type=int, default=10, help="seconds per run (10)")
    parser.add_argument("--runs", type=int, default=3, help="measured runs per page (3)")
    parser.add_argument("--settle", type=int, default=2, help="unmeasured seconds first (2)")
    parser.add_argument(
        "--only",
        type=lambda value: value.split(","),
        help="measure only these pages, comma-separated: " + ", ".join(SCENARIOS),
    )
    parser.add_argument(
        "--no-save", action="store_true", help="print only; leave bench/results.json alone"
    )
    opts = parser.parse_args(argv)
    if opts.only and (unknown := set(opts.only) - set(SCENARIOS)):
        parser.error(f"unknown pages: {', '.join(sorted(unknown))}")
    with ExitStack() as stack:
        compare = benchmark(opts, stack)
    print_table(compare)
    if opts.no_save:
        return
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results["compare"] = compare
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n")
    log(f"\nWrote the compare section of {RESULTS.relative_to(BENCH.parent)}")
