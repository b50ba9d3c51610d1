"""Backups of the whole site: the database (pg_dump or a consistent SQLite copy) and media.

An archive is a .tar.gz holding manifest.json, the database (database.dump for
PostgreSQL, database.sqlite3 for SQLite) and media/ with every uploaded file.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from datetime import datetime
from pathlib import Path

import django
from django.conf import settings
from django.db import connection


def _pg_tool(name: str) -> str:
    """The full path of a PostgreSQL client program (pg_dump, pg_restore)."""
    if path := shutil.which(name):
        return path
    raise FileNotFoundError(f"{name} is not installed (apt-get install postgresql-client).")


def _pg_env_and_args() -> tuple[dict, list[str]]:
    db = settings.DATABASES["default"]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    args = []
    options = db.get("OPTIONS", {})
    host = db.get("HOST") or options.get("host")
    port = db.get("PORT") or options.get("port")
    if host:
        args += ["--host", str(host)]
    if port:
        args += ["--port", str(port)]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    return env, args


def create_backup(directory: Path) -> Path:
    """Write a backup archive into ``directory`` and return its path."""
    directory.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    archive = directory / f"newsroom-{stamp}.tar.gz"
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        if connection.vendor == "postgresql":
            env, args = _pg_env_and_args()
            database = work / "database.dump"
            command = [_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--file"]
            command += [str(database), *args, settings.DATABASES["default"]["NAME"]]
            # Fixed arguments from our own settings, no shell.
            subprocess.run(command, env=env, check=True)  # noqa: S603
        else:
            database = work / "database.sqlite3"
            connection.ensure_connection()
            with sqlite3.connect(database) as copy:
                # SQLite's online backup: a consistent copy even while the site writes.
                connection.connection.backup(copy)
        manifest = {
            "created": datetime.now().astimezone().isoformat(),
            "database": connection.vendor,
            "django": django.get_version(),
        }
        (work / "manifest.json").write_text(json.dumps(manifest))
        with tarfile.open(archive, "w:gz") as tar:
            tar.add(work / "manifest.json", "manifest.json")
            tar.add(database, database.name)
            if Path(settings.MEDIA_ROOT).exists():
                tar.add(settings.MEDIA_ROOT, "media")
    return archive


def restore_backup(archive: Path) -> dict:
    """Replace the database and media with those in ``archive``; return its manifest."""
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(work, filter="data")  # refuses absolute paths and ../ tricks
        manifest = json.loads((work / "manifest.json").read_text())
        if manifest["database"] != connection.vendor:
            raise ValueError(
                f"This backup is of a {manifest['database']} database, "
                f"but the site runs on {connection.vendor}."
            )
        if connection.vendor == "postgresql":
            env, args = _pg_env_and_args()
            connection.close()
            command = [_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner"]
            command += ["--no-privileges", "--dbname", settings.DATABASES["default"]["NAME"]]
            command += [*args, str(work / "database.dump")]
            subprocess.run(command, env=env, check=True)  # noqa: S603 - as above
        else:
            connection.ensure_connection()
            with sqlite3.connect(work / "database.sqlite3") as source:
                source.backup(connection.connection)
        if (work / "media").exists():
            shutil.copytree(work / "media", settings.MEDIA_ROOT, dirs_exist_ok=True)
    return manifest
