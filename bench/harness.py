"""Throwaway servers for whoever needs the real thing: a PostgreSQL cluster, Redis and
gunicorn with production settings. The benchmark (bench/run.py), the soak (bench/soak.py),
CI (.ci/run) and the tests that run several workers start and stop them through this one
module. CI uses its command line:

    python -m bench.harness postgres [--port 55432] -- make test

starts a cluster, runs the command with DATABASE_URL set to its database, stops the
cluster and exits with the command's status.

    python -m bench.harness replica [--port 55432] -- make run

does the same with a streaming replica of it beside (a ``pg_basebackup -R`` standby), and
REPLICA_DATABASE_URL set to the replica's database too (docs/scale.md).
"""

import argparse
import http.client
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).parent / "gunicorn")
HOST = "127.0.0.1"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) NewsroomLoadTest/1"
POSTGRES_PORT = 55470  # the first port a cluster tries; it takes the next free one


# Test processes run side by side (pytest-xdist, PYTEST_XDIST_WORKER=gw0, gw1, ...). Between
# finding a port free and a server binding it there are seconds (initdb): each process looks
# first in a stretch of its own, so that two do not pick the same port at once.
PORTS_PER_PROCESS = 20


def free_port(start: int, *, own_stretch: bool = True) -> int:
    """The first port free now from ``start`` on (in this process's own stretch)."""
    if own_stretch:
        process = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
        start += PORTS_PER_PROCESS * process
    for port in range(start, start + 200):
        with socket.socket() as probe:
            try:
                probe.bind((HOST, port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"No free port from {start}")


def run(args: list[str], *, env: dict | None = None, cwd: Path | str = ROOT) -> str:
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def manage(*args: str, env: dict) -> str:
    """``manage.py`` with ``args`` in the project, under ``env``; its output."""
    return run([PYTHON, "manage.py", *args], env=env)


def production_env(database_url: str, tmp: Path, **extra: str) -> dict:
    """The environment of a production deployment (DEBUG=0) on plain HTTP, on loopback."""
    ours = {"REDIS_URL", "CACHE_URL", "PAGE_CACHE_SECONDS", "FRAGMENT_CACHE_SECONDS",
            "DATABASE_POOL", "DJANGO_SETTINGS_MODULE", "COUNTER_FLUSH_SECONDS"}  # fmt: skip
    env = {key: value for key, value in os.environ.items() if key not in ours}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
            "DEBUG": "0",
            "HTTPS": "0",  # plain HTTP on loopback: no redirect to https://
            "SECRET_KEY": secrets.token_urlsafe(40),
            "ALLOWED_HOSTS": f"{HOST},localhost",
            "DATABASE_URL": database_url,
            "MEDIA_ROOT": str(tmp / "media"),
            "STATIC_ROOT": str(tmp / "static"),
            "PYTHONUNBUFFERED": "1",
            **extra,
        }
    )
    return env


class Postgres:
    """A throwaway cluster in a temporary directory."""

    def __init__(self, port: int = POSTGRES_PORT, *, own_stretch=True, **settings: str) -> None:
        bins = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
        if not bins:
            raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql).")
        self.bin = bins[-1]
        self.root = Path(tempfile.mkdtemp(prefix="newsroom-pg."))
        self.data = self.root / "data"
        self.log = self.root / "log"
        self.port = free_port(port, own_stretch=own_stretch)
        self.settings = settings  # more server settings (-c name=value)
        self.started = False

    def _as_postgres(self, *args: str) -> list[str]:
        command = [str(self.bin / args[0]), *args[1:]]
        return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command

    def start(self) -> str:
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        # From /, which postgres may enter; initdb and pg_ctl refuse to run as root.
        initdb = ("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-N")
        run(self._as_postgres(*initdb), cwd="/")
        self.start_server()
        self.execute("CREATE DATABASE newsroom")
        self.version = self.execute("SHOW server_version")[0]
        self.pid = int((self.data / "postmaster.pid").read_text().split()[0])
        return self.server_url("newsroom")

    def start_server(self) -> None:
        """Start the server on the cluster's data (again, after ``stop_server``)."""
        options = f"-k {self.root} -p {self.port} -c listen_addresses={HOST} -c fsync=off"
        options += "".join(f" -c {name}={value}" for name, value in self.settings.items())
        run(self._as_postgres("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-o",
                              options, "start"), cwd="/")  # fmt: skip
        self.started = True

    def stop_server(self) -> None:
        """Stop the server, keeping its data: ``start_server`` brings it back."""
        run(self._as_postgres("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop"), cwd="/")
        self.started = False

    def server_url(self, database: str) -> str:
        return f"postgres://postgres@{HOST}:{self.port}/{database}"

    def execute(self, query: str, *, database: str = "postgres") -> tuple | None:
        """Run ``query`` in ``database``; the first row it returns, if any."""
        import psycopg

        with psycopg.connect(self.server_url(database), autocommit=True) as db:
            cursor = db.execute(query)
            return cursor.fetchone() if cursor.description else None

    def copy(self, name: str) -> str:
        """A copy of the database as it is now (nobody may be connected to it)."""
        self.execute(f'CREATE DATABASE "{name}" TEMPLATE newsroom')
        return self.server_url(name)

    def stop(self) -> None:
        if self.started:
            subprocess.run(
                self._as_postgres("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop"),
                cwd="/",
                capture_output=True,
            )
            self.started = False
        shutil.rmtree(self.root, ignore_errors=True)


class Standby(Postgres):
    """A streaming replica of ``primary``: a ``pg_basebackup -R`` copy of its cluster,
    replaying its WAL, read-only. Its own port and directory; stopped like a cluster."""

    def __init__(self, primary: Postgres, **settings: str) -> None:
        # Beside the primary's, which may not be bound yet.
        super().__init__(primary.port + 1, own_stretch=False, **settings)
        self.primary = primary

    def start(self) -> str:
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        backup = ("pg_basebackup", "-D", str(self.data), "-R", "-X", "stream", "-c", "fast",
                  "-h", HOST, "-p", str(self.primary.port), "-U", "postgres")  # fmt: skip
        run(self._as_postgres(*backup), cwd="/")
        self.start_server()
        self.version = self.execute("SHOW server_version")[0]
        self.pid = int((self.data / "postmaster.pid").read_text().split()[0])
        return self.server_url("newsroom")

    def caught_up(self, timeout: float = 30) -> None:
        """Wait until the replica has replayed everything the primary has written so far."""
        target = self.primary.execute("SELECT pg_current_wal_lsn()")[0]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            query = f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn"
            if self.execute(query)[0]:
                return
            time.sleep(0.05)
        raise RuntimeError(f"the replica did not replay up to {target} in {timeout} s")

    def pause_replay(self) -> None:
        self.execute("SELECT pg_wal_replay_pause()")

    def resume_replay(self) -> None:
        self.execute("SELECT pg_wal_replay_resume()")


class Redis:
    """A private redis-server, if the machine has one."""

    def __init__(self, tmp: Path) -> None:
        self.port = free_port(16470)
        self.url = f"redis://{HOST}:{self.port}/0"
        self.tmp = tmp
        self.process: subprocess.Popen | None = None

    def start(self) -> "Redis":
        self.process = subprocess.Popen(
            ["redis-server", "--bind", HOST, "--port", str(self.port), "--save", "",
             "--appendonly", "no", "--dir", str(self.tmp)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex((HOST, self.port)) == 0:
                    return self
            time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


class Gunicorn:
    """gunicorn serving the site from the project folder (so gunicorn.conf.py applies).

    Newsroom unless told otherwise: the side-by-side benchmark (bench/compare) also
    serves ``app`` with another virtual environment's ``executable``, and waits for
    ``ready_path`` to answer 200.
    """

    def __init__(
        self,
        env: dict,
        *,
        log_path: Path,
        workers: int = 2,
        worker_class: str = "sync",
        threads: int = 1,
        others: tuple[int, ...] = (),
        app: str = "newsroom.wsgi:application",
        executable: str = GUNICORN,
        ready_path: str = "/robots.txt",
    ) -> None:
        self.env = env
        self.app, self.executable, self.ready_path = app, executable, ready_path
        self.workers, self.worker_class, self.threads = workers, worker_class, threads
        self.others = others  # processes of ours it works with (PostgreSQL)
        self.port = free_port(18470)
        self.url = f"http://{HOST}:{self.port}"
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    @property
    def page_cache(self) -> bool:
        return self.env.get("PAGE_CACHE_SECONDS", "60") != "0"

    def start(self) -> "Gunicorn":
        command = [
            self.executable, self.app, "--bind", f"{HOST}:{self.port}",
            "--workers", str(self.workers), "--worker-class", self.worker_class,
            "--threads", str(self.threads), "--error-logfile", "-",
            # gunicorn 27's control socket has one default path per user: not ours to take.
            "--no-control-socket",
        ]  # fmt: skip
        with open(self.log_path, "w") as output:
            # A session of its own, so stopping it reaches every worker and nothing else.
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=self.env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self.log_path.read_text()[-3000:]}")
            try:
                if get(self.url, self.ready_path)[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer:\n{self.log_path.read_text()[-3000:]}")

    @property
    def roots(self) -> list[int]:
        return [self.process.pid, *self.others]

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        group = os.getpgid(self.process.pid)
        os.killpg(group, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(group, signal.SIGKILL)
            self.process.wait()


def get(base: str, path: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        connection.request("GET", path, headers={"User-Agent": BROWSER, **(headers or {})})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def stop_on_signals() -> None:
    """Turn TERM and HUP (and INT, which a shell's background jobs ignore) into an
    exception, so that what was started is stopped on the way out."""

    def interrupted(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")

    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, interrupted)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.harness", description=__doc__)
    servers = parser.add_subparsers(dest="server", required=True)
    postgres = servers.add_parser("postgres", help="run a command beside a throwaway cluster")
    postgres.add_argument("--port", type=int, default=POSTGRES_PORT, help="first port to try")
    postgres.add_argument("command", nargs="+", help="the command, after --")
    replica = servers.add_parser("replica", help="the same, with a streaming replica beside")
    replica.add_argument("--port", type=int, default=POSTGRES_PORT, help="first port to try")
    replica.add_argument("command", nargs="+", help="the command, after --")
    args = parser.parse_args(argv)
    stop_on_signals()
    cluster = Postgres(args.port)
    standby = Standby(cluster) if args.server == "replica" else None
    try:
        env = {**os.environ, "DATABASE_URL": cluster.start()}
        if standby is not None:
            env["REPLICA_DATABASE_URL"] = standby.start()
        return subprocess.run(args.command, env=env).returncode
    finally:
        if standby is not None:
            standby.stop()
        cluster.stop()


if __name__ == "__main__":
    sys.exit(main())
