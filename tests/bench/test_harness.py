"""``python -m bench.harness postgres -- CMD``, as .ci/run runs the suite on PostgreSQL."""

import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

ROOT = Path(__file__).resolve().parents[2]
PORT = "57460"  # the first port to try, clear of the test clusters' (bench/harness.py)

pytestmark = [
    pytest.mark.usefixtures("servers_one_module_at_a_time"),
    pytest.mark.skipif(
        not list(Path("/usr/lib/postgresql").glob("*/bin/initdb")),
        reason="PostgreSQL not installed",
    ),
]

CHECK = """
import os, sys, psycopg
url = os.environ["DATABASE_URL"]
with psycopg.connect(url) as db:
    print(url, db.execute("select current_database()").fetchone()[0])
sys.exit(int(sys.argv[1]))
"""


@pytest.mark.parametrize("status", [0, 3])
def test_the_command_runs_beside_a_cluster_of_its_own_and_its_status_is_the_harness_status(
    status,
):
    result = subprocess.run(
        [sys.executable, "-m", "bench.harness", "postgres", "--port", PORT, "--",
         sys.executable, "-c", CHECK, str(status)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )  # fmt: skip

    url, database = result.stdout.split()
    assert result.returncode == status, result.stderr
    assert database == "newsroom"
    with pytest.raises(psycopg.OperationalError):  # stopped once the command is done
        psycopg.connect(url, connect_timeout=2)


REPLICA_CHECK = """
import os, psycopg
for name in ("DATABASE_URL", "REPLICA_DATABASE_URL"):
    with psycopg.connect(os.environ[name], autocommit=True) as db:
        print(os.environ[name], db.execute("select pg_is_in_recovery()").fetchone()[0])
"""


def test_a_replica_streams_beside_the_cluster_while_the_command_runs():
    result = subprocess.run(
        [sys.executable, "-m", "bench.harness", "replica", "--port", PORT, "--",
         sys.executable, "-c", REPLICA_CHECK],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    (primary, on_primary), (replica, on_replica) = (
        line.split() for line in result.stdout.splitlines()
    )
    assert (on_primary, on_replica) == ("False", "True")  # the replica is in recovery
    assert primary != replica
    for url in (primary, replica):  # both stopped once the command is done
        with pytest.raises(psycopg.OperationalError):
            psycopg.connect(url, connect_timeout=2)


def test_test_processes_look_for_free_ports_in_stretches_of_their_own(monkeypatch):
    from bench.harness import PORTS_PER_PROCESS, free_port

    found = {}
    for worker in ("gw0", "gw1", "gw2"):
        monkeypatch.setenv("PYTEST_XDIST_WORKER", worker)
        found[worker] = free_port(57600)

    stretches = [port // PORTS_PER_PROCESS for port in sorted(found.values())]
    assert len(set(stretches)) == 3
    monkeypatch.delenv("PYTEST_XDIST_WORKER")
    assert 57600 <= free_port(57600) < 57600 + PORTS_PER_PROCESS
