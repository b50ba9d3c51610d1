"""The benchmark's "past one machine" groups: how two servers' runs add up, and how the
groups are printed (the runs themselves need wrk and minutes: ``make bench``)."""

import dataclasses

import pytest

from bench import run, scale_out


def wrk_run(rps, p50, p99, statuses):
    return {
        "rps": rps, "p50_ms": p50, "p90_ms": p50 * 2, "p99_ms": p99, "max_ms": p99 * 2,
        "requests": sum(statuses.values()), "errors": statuses.get("500", 0),
        "non_2xx_3xx": statuses.get("500", 0), "socket_errors": 0, "statuses": statuses,
        "kb_per_response": 40.0,
    }  # fmt: skip


class Server:
    def __init__(self, port):
        self.url, self.roots, self.page_cache = f"http://127.0.0.1:{port}", [port], True


class Meter:
    busy_pct, other_pct = 93.0, 1.5

    def __init__(self, roots):
        self.roots = roots

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        pass


@pytest.fixture
def runs(monkeypatch):
    answers = {
        "http://127.0.0.1:1": wrk_run(1000.0, 4.0, 9.0, {"200": 10000}),
        "http://127.0.0.1:2": wrk_run(900.0, 5.0, 8.0, {"200": 8990, "500": 10}),
    }
    calls = []

    def fake_wrk(server, scenario, duration, *, threads, connections):
        calls.append((server.url, scenario.name, duration, threads, connections))
        return answers[server.url]

    monkeypatch.setattr(scale_out, "wrk", fake_wrk)
    monkeypatch.setattr(scale_out, "warm", lambda server, paths: 0.5)
    monkeypatch.setattr(scale_out, "CpuMeter", Meter)
    return calls


def test_two_servers_add_their_requests_and_keep_the_worse_latency(runs):
    mode = dataclasses.replace(run.QUICK, duration=3, settle=1)
    scenario = run.Scenario("article", run.gets(["/a/", "/b/"]), queries="article")

    result = scale_out.measure_pair([Server(1), Server(2)], scenario, mode)

    assert result["rps"] == 1900.0 and result["rps_per_server"] == [1000.0, 900.0]
    assert (result["p50_ms"], result["p99_ms"]) == (5.0, 9.0)
    assert result["statuses"] == {"200": 18990, "500": 10} and result["errors"] == 10
    assert result["cpu_other_pct"] == 1.5 and result["queries_from"] == "article"
    # each server its own wrk, with half the benchmark's 16 connections; settle, then measure
    assert sorted(runs) == [
        ("http://127.0.0.1:1", "article @1", 1, 1, 8),
        ("http://127.0.0.1:1", "article @1", 3, 1, 8),
        ("http://127.0.0.1:2", "article @2", 1, 1, 8),
        ("http://127.0.0.1:2", "article @2", 3, 1, 8),
    ]


def test_the_table_says_where_the_reads_went_and_how_two_servers_add_up(capsys):
    row = {
        "rps": 200.0, "p50_ms": 60.0, "p99_ms": 120.0, "errors": 0, "queries": 1,
        "cpu_other_pct": 2.0,
    }  # fmt: skip
    results = {
        "mode": "full",
        "setup": {"articles": 10_000, "server": "gunicorn 3 workers (sync), psycopg pool"},
        "machine": {"cores": 2, "database": "PostgreSQL 15.18"},
        "scenarios": {
            "read replica, page cache off": {
                "article": {**row, "replica_transactions_pct": 74.2},
            },
            "two app servers, shared Redis cache": {
                "article": {**row, "rps": 3000.0, "rps_per_server": [1500.0, 1500.0]},
            },
        },
        "scale": {},
        "targets": {},
        "related_ratios": {},
        "queries": {},
        "timings": {"total_s": 1.0},
    }

    run.print_table(results)
    printed = capsys.readouterr().out

    assert "read replica, page cache off" in printed
    assert "transactions run on the replica during these runs: 74.2%" in printed
    assert "req/s is the two servers' sum: article 1500.0 + 1500.0;" in printed
