"""make backup / make restore round-trip the demo site (SQLite here, PostgreSQL in CI)."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
COUNTS = (
    "from articles.models import Article, Photo; from comments.models import Comment; "
    "print(Article.objects.count(), Photo.objects.count(), Comment.objects.count())"
)


@pytest.fixture
def site_database(tmp_path):
    """A database of its own for the round trip, in the engine the suite runs on."""
    if connection.vendor != "postgresql":
        yield f"sqlite:///{tmp_path / 'site.sqlite3'}"
        return
    import psycopg

    name = f"newsroom_backup_{uuid.uuid4().hex[:8]}"
    db = settings.DATABASES["default"]
    server = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}"
    # CREATE DATABASE cannot run inside the test's transaction: use a connection of its own.
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield f"{server}/{name}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


@pytest.mark.django_db
def test_backup_and_restore_round_trip_the_demo_site(tmp_path, site_database):
    env = {
        **os.environ,
        "DATABASE_URL": site_database,
        "MEDIA_ROOT": str(tmp_path / "media"),
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
    }
    manage("migrate", "--no-input", env=env)
    manage("seed_demo", env=env)
    before = manage("shell", "-c", COUNTS, env=env)

    out = manage("backup", "--output", str(tmp_path / "backups"), env=env)
    archive = next((tmp_path / "backups").glob("newsroom-*.tar.gz"))
    manage(
        "shell",
        "-c",
        "from articles.models import Article; Article.objects.all().delete()",
        env=env,
    )
    photos = sorted(p.name for p in (tmp_path / "media").rglob("*.jpg"))
    for photo in (tmp_path / "media").rglob("*.jpg"):
        photo.unlink()
    assert manage("shell", "-c", COUNTS, env=env) != before

    manage("restore", str(archive), env=env)

    assert "Backup written to" in out
    assert manage("shell", "-c", COUNTS, env=env) == before
    assert sorted(p.name for p in (tmp_path / "media").rglob("*.jpg")) == photos


def test_restore_refuses_a_missing_archive(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "restore", str(tmp_path / "nothing.tar.gz")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode != 0 and "No such backup" in result.stderr
