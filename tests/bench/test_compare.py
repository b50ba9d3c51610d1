"""The side-by-side benchmark's pieces (bench/compare, bench/run.py's warm-up)."""

import json
import os
import secrets
import signal
import subprocess
import sys
import time

import pytest

from bench.compare import run as compare
from bench.compare.run import in_rounds, summary
from bench.harness import Gunicorn, get
from bench.run import WARM_HIT_SHARE, CpuMeter, part_passes


@pytest.mark.parametrize(("workers", "passes"), [(1, 1), (2, 8), (3, 14), (4, 19)])
def test_parts_are_warmed_until_each_worker_most_likely_holds_nearly_every_page(workers, passes):
    assert part_passes(workers) == passes
    # a page a pass reaches a given worker with a chance of 1/workers
    assert (1 - 1 / workers) ** passes <= 1 - WARM_HIT_SHARE
    if workers > 1:
        assert (1 - 1 / workers) ** (passes - 1) > 1 - WARM_HIT_SHARE


def bare_django(tmp_path, **env):
    page = "<!DOCTYPE html><html lang=ko><title>기사</title><p>본문</p></html>".encode()
    (tmp_path / "article.html").write_bytes(page)
    env = {
        "SECRET_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "127.0.0.1",
        "BARE_PAGE": str(tmp_path / "article.html"),
        "PATH": "/usr/bin:/bin",
        **env,
    }
    server = Gunicorn(
        env,
        log_path=tmp_path / "gunicorn.log",
        workers=1,
        app="bench.compare.bare:application",
        ready_path="/",
    )
    server.start()
    return server, page


def test_the_bare_django_view_serves_the_same_bytes_at_every_address(tmp_path):
    server, page = bare_django(tmp_path)
    try:
        for path in ("/articles/12/robot/", "/", "/a/b/c/?q=1"):
            status, headers, body = get(server.url, path)
            assert (status, body) == (200, page)
            assert headers["Content-Type"] == "text/html; charset=utf-8"
            assert "Content-Security-Policy" not in headers
    finally:
        server.stop()


def test_the_bare_view_sends_the_page_caches_headers_when_given_them(tmp_path):
    sent = [["Content-Security-Policy", "default-src 'self'"], ["Vary", "Cookie"], ["Age", "0"]]
    (tmp_path / "headers.json").write_text(json.dumps(sent))
    server, page = bare_django(tmp_path, BARE_HEADERS=str(tmp_path / "headers.json"))
    try:
        status, headers, body = get(server.url, "/articles/12/robot/")
    finally:
        server.stop()

    assert (status, body) == (200, page)
    assert {name: headers[name] for name, _ in sent} == dict(sent)


def test_the_pages_are_measured_round_by_round():
    """A run of every page in turn, then the next round: a drift in the machine's speed
    falls on every page alike, not on whichever page came last."""
    order = []

    def measure(number, server, scenario):
        order.append((number, scenario))
        return {"round": number}

    runs = in_rounds([("a", None, "A"), ("b", None, "B"), ("c", None, "C")], 3, measure)

    assert order == [(n, page) for n in (1, 2, 3) for page in "ABC"]
    assert runs == {key: [{"round": 1}, {"round": 2}, {"round": 3}] for key in "abc"}


def test_a_pages_figures_are_the_medians_of_its_runs():
    def run(rps, p50):
        return {
            "rps": rps, "p50_ms": p50, "p90_ms": p50 * 2, "p99_ms": p50 * 3,
            "kb_per_response": 50.6, "cpu_busy_pct": 99, "cpu_other_pct": 1,
            "errors": 0, "statuses": {"200": 10}, "server_cpu_ms": 100 / rps,
        }  # fmt: skip

    figures = summary([run(100, 20), run(300, 10), run(200, 30)], warm_up_s=4.21)

    assert (figures["rps"], figures["p50_ms"], figures["p99_ms"]) == (200, 20, 60)
    assert figures["server_cpu_ms"] == 0.5
    assert figures["statuses"] == {"200": 30} and figures["errors"] == 0
    assert [r["rps"] for r in figures["runs"]] == [100, 300, 200]
    assert figures["warm_up_s"] == 4.2


def test_the_cpu_meter_counts_the_servers_processes_and_their_children(tmp_path):
    """A server's CPU is its master's and its workers' (live children, as gunicorn's
    are): here a parent whose child burns half a second of CPU once the meter runs, and
    lives on until it has read."""
    go, done = tmp_path / "go", tmp_path / "done"
    child = (
        "import pathlib, time\n"
        f"while not pathlib.Path({str(go)!r}).exists(): time.sleep(0.01)\n"
        "end = time.process_time() + 0.5\n"
        "while time.process_time() < end: pass\n"
        f"pathlib.Path({str(done)!r}).touch()\n"
        "time.sleep(30)"
    )
    starts_child = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {child!r}])"
    # A session of its own, so that both can be stopped together.
    parent = subprocess.Popen([sys.executable, "-c", starts_child], start_new_session=True)
    try:
        with CpuMeter([parent.pid]) as cpu:
            go.touch()
            for _ in range(300):
                if done.exists():
                    break
                time.sleep(0.05)
    finally:
        os.killpg(parent.pid, signal.SIGKILL)
        parent.wait()

    assert done.exists()
    assert 0.45 <= cpu.ours_s <= 1.5


def test_a_measured_run_says_the_servers_cpu_per_request(monkeypatch):
    class Meter:
        busy_pct, other_pct, ours_s = 99.0, 1.0, 2.5

        def __init__(self, roots):
            pass

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            pass

    class Options:
        settle, duration = 0, 10

    class Server:
        roots = [1]

    monkeypatch.setattr(compare, "CpuMeter", Meter)
    monkeypatch.setattr(compare, "wrk", lambda server, scenario, seconds: {"requests": 5000})

    result = compare.measured_run(Server(), scenario=None, opts=Options())

    assert result["server_cpu_ms"] == 0.5  # 2.5 s of the server's CPU over 5,000 requests


def test_the_table_says_which_code_spends_each_pages_cpu(capsys):
    scenarios = {
        "Wagtail": {"in_process": {"cpu_ms": 16.0, "layers_percent": {"database": 62.5}}},
        "Newsroom": {"in_process": {"cpu_ms": 24.0, "layers_percent": {"database": 37.5}}},
        "bare Django": {"in_process": {"cpu_ms": 0.05}},
    }

    compare.print_layers(scenarios)

    out = capsys.readouterr().out
    assert "62.5%   10.00 ms  database" in out
    assert "37.5%    9.00 ms  database" in out
    assert "bare Django" not in out  # not profiled


def test_the_bare_view_serves_a_page_of_typical_length(monkeypatch):
    # One page stands for 200 rotating ones of different lengths (each run seeds its own
    # comments): the median one, not whichever article comes first.
    lengths = {
        "/first": 51_000,
        "/short": 36_000,
        "/typical": 41_000,
        "/long": 45_000,
        "/a": 39_000,
    }
    monkeypatch.setattr(compare, "get", lambda base, path: (200, {}, b"x" * lengths[path]))

    class Server:
        url = "http://127.0.0.1:1"

    assert compare.typical_page(Server(), list(lengths)) == "/typical"
