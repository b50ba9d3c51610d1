"""make backup / make restore, driven through manage.py as an operator would.

Each test runs on the engine the suite runs on (SQLite here, PostgreSQL in CI), against a
site of its own: a copy of one demo site, seeded and backed up once for the module. A
damaged archive must be refused with one line naming the problem, a failing exit status,
no traceback, and the site exactly as it was.
"""

import gzip
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import uuid
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from backups import archives as backups

ROOT = Path(__file__).resolve().parents[2]
ENGINE = connection.vendor
DATABASE_MEMBER = backups.DATABASE_MEMBERS[ENGINE]
ONLY_ON_POSTGRESQL = pytest.mark.skipif(
    ENGINE != "postgresql", reason="PostgreSQL's own restore transaction"
)
ONLY_ON_SQLITE = pytest.mark.skipif(ENGINE != "sqlite", reason="SQLite's own backup API")


@dataclass
class Site:
    """A site of its own: a database and a media folder, run through manage.py."""

    database_url: str
    media: Path

    @property
    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "MEDIA_ROOT": str(self.media),
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
            "LANGUAGE_CODE": "en",
        }

    def manage(self, *args, env=None) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *map(str, args)],
            cwd=ROOT,
            env={**self.env, **(env or {})},
            capture_output=True,
            text=True,
            check=False,
        )

    def sql(self, statement: str) -> list[tuple]:
        if ENGINE == "postgresql":
            import psycopg

            with psycopg.connect(self.database_url, autocommit=True) as db:
                cursor = db.execute(statement)
                return cursor.fetchall() if cursor.description else []
        with closing(sqlite3.connect(self.database_url.removeprefix("sqlite:///"))) as db:
            rows = db.execute(statement).fetchall()
            db.commit()
            return rows

    def counts(self) -> tuple[int, int, int]:
        tables = ("articles_article", "articles_photo", "comments_comment")
        return tuple(self.sql(f"SELECT count(*) FROM {table}")[0][0] for table in tables)  # noqa: S608

    def media_files(self) -> dict[str, bytes]:
        return {
            path.relative_to(self.media).as_posix(): path.read_bytes()
            for path in sorted(self.media.rglob("*"))
            if path.is_file()
        }

    def state(self) -> tuple:
        """What must not change when a restore is refused: the rows and the media's bytes."""
        return self.counts(), self.media_files()

    def leftovers(self) -> list[str]:
        """Staging or moved-aside folders next to the media."""
        return sorted(p.name for p in self.media.parent.glob("*media.*"))


def postgres_server() -> str:
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}"


def create_database(*, folder: Path, template: str | None = None) -> str:
    """A database of its own in the engine the suite runs on, as a DATABASE_URL."""
    if ENGINE != "postgresql":
        path = folder / "site.sqlite3"
        if template:
            shutil.copy(template.removeprefix("sqlite:///"), path)
        return f"sqlite:///{path}"
    import psycopg

    name = f"newsroom_backup_{uuid.uuid4().hex[:8]}"
    copy = f' TEMPLATE "{template.rsplit("/", 1)[1]}"' if template else ""
    # CREATE DATABASE cannot run inside a transaction: use a connection of its own.
    with psycopg.connect(f"{postgres_server()}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"{copy}')
    return f"{postgres_server()}/{name}"


def drop_database(url: str) -> None:
    if ENGINE == "postgresql":
        import psycopg

        with psycopg.connect(f"{postgres_server()}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')


@dataclass
class SeededSite:
    site: Site
    archive: Path
    backup_output: str


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """The demo site, seeded and backed up once; tests restore over copies of it."""
    folder = tmp_path_factory.mktemp("seeded")
    site = Site(create_database(folder=folder), folder / "media")
    for command in (("migrate", "--no-input"), ("seed_demo",)):
        assert site.manage(*command).returncode == 0
    backup = site.manage("backup", "--output", folder / "backups")
    assert backup.returncode == 0, backup.stderr
    yield SeededSite(site, next((folder / "backups").glob("newsroom-*.tar.gz")), backup.stdout)
    drop_database(site.database_url)


@pytest.fixture
def site(seeded, tmp_path):
    """A copy of the seeded site, with the media in a folder of its own."""
    folder = tmp_path / "site"
    folder.mkdir()
    copy = Site(create_database(folder=folder, template=seeded.site.database_url), folder / "media")
    shutil.copytree(seeded.site.media, copy.media)
    yield copy
    drop_database(copy.database_url)


def members_of(archive: Path) -> dict[str, bytes]:
    with tarfile.open(archive) as tar:
        return {member.name: tar.extractfile(member).read() for member in tar}


def write_archive(path: Path, members: dict[str, bytes], *, fix_checksums=True, extra=()) -> Path:
    """A .tar.gz of ``members``; with ``fix_checksums`` the manifest matches what they hold,
    so that what the test damaged is found by the checks after the checksums."""
    members = dict(members)
    if fix_checksums and backups.MANIFEST in members:
        manifest = json.loads(members[backups.MANIFEST])
        manifest["files"] = {
            name: hashlib.sha256(data).hexdigest()
            for name, data in members.items()
            if name != backups.MANIFEST
        }
        members[backups.MANIFEST] = json.dumps(manifest).encode()
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        for info, data in extra:
            tar.addfile(info, io.BytesIO(data) if data else None)
    return path


def changed_manifest(members: dict[str, bytes], **changes) -> dict[str, bytes]:
    manifest = {**json.loads(members[backups.MANIFEST]), **changes}
    manifest = {key: value for key, value in manifest.items() if value is not None}
    return {**members, backups.MANIFEST: json.dumps(manifest).encode()}


def a_media_file(members: dict[str, bytes]) -> str:
    return next(name for name in members if name.endswith(".jpg"))


def special_member(name: str, kind: bytes, **fields) -> tuple[tarfile.TarInfo, None]:
    info = tarfile.TarInfo(name)
    info.type = kind
    for field, value in fields.items():
        setattr(info, field, value)
    return info, None


def write_bytes(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def sqlite_with_bigger_pages(data: bytes, folder: Path) -> bytes:
    """The same database with 8 KiB pages, which SQLite cannot copy into a WAL database
    of 4 KiB pages: a copy that passes every check and fails while it is written."""
    path = folder / "bigger-pages.sqlite3"
    path.write_bytes(data)
    with closing(sqlite3.connect(path, isolation_level=None)) as db:
        db.execute("PRAGMA journal_mode=DELETE")
        db.execute("PRAGMA page_size=8192")
        db.execute("VACUUM")
        db.execute("DELETE FROM comments_comment")
    return path.read_bytes()


def delete_comments(site) -> None:
    """Every comment, with the votes and reports that point at it (PostgreSQL checks)."""
    for table in ("comments_commentvote", "comments_commentreport", "comments_comment"):
        site.sql(f"DELETE FROM {table}")  # noqa: S608 - our own table names


def flip_64_bytes_in_the_middle(archive: Path, path: Path) -> Path:
    data = bytearray(archive.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 64] = bytes(byte ^ 0xFF for byte in data[middle : middle + 64])
    path.write_bytes(data)
    return path


# Each damaged archive: how to make it from a good one, and what the refusal must name.
DAMAGED = {
    "an archive holding only manifest.json": (
        lambda m, path: write_archive(
            path, {backups.MANIFEST: m[backups.MANIFEST]}, fix_checksums=False
        ),
        f"the backup is incomplete ({DATABASE_MEMBER} is missing)",
    ),
    "a zero-byte database": (
        lambda m, path: write_archive(path, {**m, DATABASE_MEMBER: b""}),
        {
            "sqlite": "the database in the backup holds no Django tables",
            "postgresql": "the database dump in the backup cannot be read (input file is too short",
        }[ENGINE],
    ),
    "a database cut in half": (
        lambda m, path: write_archive(
            path, {**m, DATABASE_MEMBER: m[DATABASE_MEMBER][: len(m[DATABASE_MEMBER]) // 2]}
        ),
        {
            "sqlite": "SQLite (database disk image is malformed)",
            "postgresql": "the database dump in the backup cannot be read (could not read",
        }[ENGINE],
    ),
    "a bad database": (
        lambda m, path: write_archive(path, {**m, DATABASE_MEMBER: b"not a database\n" * 500}),
        {
            "sqlite": "cannot be read by SQLite (file is not a database)",
            "postgresql": "the database dump in the backup cannot be read "
            "(input file does not appear to be a valid archive)",
        }[ENGINE],
    ),
    "a wrong checksum": (
        lambda m, path: write_archive(
            path, {**m, a_media_file(m): b"garbage"}, fix_checksums=False
        ),
        "the backup file is damaged (the checksum of media/",
    ),
    "64 flipped bytes in the middle of the .tar.gz": (
        None,  # made from the archive's bytes, below
        "the backup file is damaged (",
    ),
    "random bytes": (
        lambda m, path: write_bytes(path, os.urandom(100_000)),
        "the file is not a backup archive (it is not gzip-compressed)",
    ),
    "gzip-compressed random bytes": (
        lambda m, path: write_bytes(path, gzip.compress(os.urandom(100_000))),
        "the backup file is damaged (it is not a readable tar archive)",
    ),
    "no manifest": (
        lambda m, path: write_archive(
            path, {name: data for name, data in m.items() if name != backups.MANIFEST}
        ),
        "the file holds no manifest.json, so it is not a Newsroom backup",
    ),
    "a ../ member": (
        lambda m, path: write_archive(path, m, extra=[(tarfile.TarInfo("../escape.txt"), None)]),
        "unsafe or unexpected entry: ../escape.txt (a path that leaves the folder)",
    ),
    "a media/../../ member": (
        lambda m, path: write_archive(
            path, m, extra=[(tarfile.TarInfo("media/../../escape.txt"), None)]
        ),
        "unsafe or unexpected entry: media/../../escape.txt (a path that leaves the folder)",
    ),
    "an absolute member": (
        lambda m, path: write_archive(path, m, extra=[(tarfile.TarInfo("/srv/escape.txt"), None)]),
        "unsafe or unexpected entry: /srv/escape.txt (an absolute path)",
    ),
    "a symlink member": (
        lambda m, path: write_archive(
            path, m, extra=[special_member("media/link.jpg", tarfile.SYMTYPE, linkname="/etc")]
        ),
        "unsafe or unexpected entry: media/link.jpg (a symbolic link)",
    ),
    "a hard link member": (
        lambda m, path: write_archive(
            path,
            m,
            extra=[special_member("media/link.jpg", tarfile.LNKTYPE, linkname=DATABASE_MEMBER)],
        ),
        "unsafe or unexpected entry: media/link.jpg (a hard link)",
    ),
    "a device member": (
        lambda m, path: write_archive(
            path,
            m,
            extra=[special_member("media/null", tarfile.CHRTYPE, devmajor=1, devminor=3)],
        ),
        "unsafe or unexpected entry: media/null (a device or other special file)",
    ),
    "a member the manifest does not list": (
        lambda m, path: write_archive(path, {**m, "media/extra.jpg": b"x"}, fix_checksums=False),
        "the backup holds media/extra.jpg, which its manifest does not list",
    ),
    "a member twice": (
        lambda m, path: write_archive(
            path, m, extra=[(tarfile.TarInfo(a_media_file(m)), None)], fix_checksums=False
        ),
        "twice",
    ),
    "a backup from the other database engine": (
        lambda m, path: write_archive(
            path,
            changed_manifest(m, database={"sqlite": "postgresql"}.get(ENGINE, "sqlite")),
        ),
        {
            "sqlite": "the backup is of a PostgreSQL database, but this site runs on SQLite",
            "postgresql": "the backup is of a SQLite database, but this site runs on PostgreSQL",
        }[ENGINE],
    ),
    "a backup without checksums (made before they existed)": (
        lambda m, path: write_archive(
            path, changed_manifest(m, format=None, files=None, counts=None), fix_checksums=False
        ),
        "the backup was made before backups carried checksums, so it cannot be verified",
    ),
    "a backup of a format to come": (
        lambda m, path: write_archive(path, changed_manifest(m, format=3)),
        "the backup is in format 3; this code reads format 2",
    ),
}


def assert_refused(result: subprocess.CompletedProcess, problem: str) -> None:
    """A non-zero exit, and one line on stderr that names the problem; no traceback."""
    assert result.returncode != 0
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("Not restored: ") and result.stderr.endswith(".\n")
    assert problem in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


@pytest.mark.parametrize("kind", DAMAGED)
def test_restore_refuses_a_damaged_archive_and_leaves_the_site_as_it_was(
    kind, seeded, site, tmp_path
):
    damage, problem = DAMAGED[kind]
    path = tmp_path / "damaged.tar.gz"
    if damage is None:
        archive = flip_64_bytes_in_the_middle(seeded.archive, path)
    else:
        archive = damage(members_of(seeded.archive), path)
    before = site.state()

    result = site.manage("restore", archive)

    assert_refused(result, problem)
    assert site.state() == before
    assert site.leftovers() == []
    assert not list(tmp_path.rglob("escape.txt"))


def test_restore_refuses_a_backup_with_migrations_newer_than_the_code(site, tmp_path):
    site.sql(
        "INSERT INTO django_migrations (app, name, applied) "
        "VALUES ('articles', '9999_from_newer_code', CURRENT_TIMESTAMP)"
    )
    assert site.manage("backup", "--output", tmp_path / "backups").returncode == 0
    site.sql("DELETE FROM django_migrations WHERE name = '9999_from_newer_code'")
    before = site.state()

    result = site.manage("restore", next((tmp_path / "backups").glob("*.tar.gz")))

    assert_refused(
        result,
        "the backup was made by newer code: this code lacks 1 of its migrations "
        "(articles.9999_from_newer_code); update the code first",
    )
    assert site.state() == before


def test_restore_reports_a_refusal_in_korean_by_default(seeded, site, tmp_path):
    members = members_of(seeded.archive)
    photo = a_media_file(members)
    archive = write_archive(
        tmp_path / "damaged.tar.gz", {**members, photo: b"garbage"}, fix_checksums=False
    )

    result = site.manage("restore", archive, env={"LANGUAGE_CODE": "ko"})

    assert result.returncode != 0
    assert result.stderr == (
        f"복원하지 않았습니다: 백업 파일이 손상되었습니다 ({photo}의 체크섬이 맞지 않습니다).\n"
    )


@ONLY_ON_POSTGRESQL
def test_postgresql_rolls_back_a_restore_it_cannot_finish_and_the_media_go_back(seeded, site):
    # A view the backup does not know keeps pg_restore from dropping the articles table.
    site.sql("CREATE VIEW newsroom_report AS SELECT id FROM articles_article")
    delete_comments(site)
    (site.media / "photos" / "uploaded-after-the-backup.jpg").write_bytes(b"new photo")
    before = site.state()

    result = site.manage("restore", seeded.archive)

    assert_refused(result, "PostgreSQL refused the backup's database and rolled back")
    assert "cannot drop table public.articles_article" in result.stderr
    assert site.state() == before
    assert site.leftovers() == []


@ONLY_ON_SQLITE
def test_sqlite_leaves_the_live_database_as_it_was_when_writing_the_copy_fails(
    seeded, site, tmp_path
):
    members = members_of(seeded.archive)
    archive = write_archive(
        tmp_path / "bigger-pages.tar.gz",
        {**members, DATABASE_MEMBER: sqlite_with_bigger_pages(members[DATABASE_MEMBER], tmp_path)},
    )
    site.sql("DELETE FROM articles_article WHERE id IN (SELECT id FROM articles_article LIMIT 3)")
    (site.media / "photos" / "uploaded-after-the-backup.jpg").write_bytes(b"new photo")
    before = site.state()

    result = site.manage("restore", archive)

    assert_refused(
        result, "SQLite could not write the backup's database; the live one is unchanged"
    )
    assert site.state() == before
    assert site.leftovers() == []
    assert site.sql("PRAGMA integrity_check") == [("ok",)]


def test_backup_and_restore_round_trip_the_demo_site(seeded, site):
    before = site.state()
    delete_comments(site)
    for photo in site.media.rglob("*.jpg"):
        photo.unlink()
    assert site.state() != before

    result = site.manage("restore", seeded.archive)

    assert result.returncode == 0, result.stderr
    assert site.state() == before
    assert "Backup written to" in seeded.backup_output
    articles, photos, comments = before[0]
    assert result.stdout.startswith("Restored the backup made ")
    assert f"{articles} articles, {photos} photos, {comments} comments" in result.stdout
    assert "The live media held nothing the backup lacks." in result.stdout
    assert site.leftovers() == []


def test_restore_over_photos_uploaded_after_the_backup_moves_them_aside(seeded, site):
    in_backup = {
        name.removeprefix("media/"): data
        for name, data in members_of(seeded.archive).items()
        if name.startswith("media/")
    }
    uploaded = site.media / "photos" / "2030" / "01" / "uploaded-after-the-backup.jpg"
    uploaded.parent.mkdir(parents=True)
    uploaded.write_bytes(b"a photo uploaded after the backup")
    overwritten = next(site.media.rglob("*.jpg"))
    overwritten.write_bytes(b"a rendition overwritten after the backup")
    removed = next(p for p in site.media.rglob("*.png"))
    removed.unlink()

    result = site.manage("restore", seeded.archive)

    assert result.returncode == 0, result.stderr
    assert site.media_files() == in_backup
    [aside] = site.media.parent.glob("media.before-restore-*")
    assert {p.relative_to(aside): p.read_bytes() for p in aside.rglob("*") if p.is_file()} == {
        uploaded.relative_to(site.media): b"a photo uploaded after the backup",
        overwritten.relative_to(site.media): b"a rendition overwritten after the backup",
    }
    assert f"2 media files that the backup lacks were moved to {aside}." in result.stdout


def test_restore_check_verifies_the_archive_and_changes_nothing(seeded, site):
    delete_comments(site)
    before = site.state()

    result = site.manage("restore", "--check", seeded.archive)

    assert result.returncode == 0, result.stderr
    assert "is sound" in result.stdout and "Nothing was changed." in result.stdout
    assert site.state() == before


def test_a_backup_without_a_folder_goes_to_backup_root_and_restores_from_there(site, tmp_path):
    env = {"BACKUP_ROOT": str(tmp_path / "archives")}
    before = site.state()

    backup = site.manage("backup", env=env)

    assert backup.returncode == 0, backup.stderr
    [archive] = (tmp_path / "archives").glob("newsroom-*.tar.gz")
    assert f"Backup written to {archive}" in backup.stdout
    delete_comments(site)

    result = site.manage("restore", "--stored", archive.name, env=env)

    assert result.returncode == 0, result.stderr
    assert site.state() == before
    assert site.leftovers() == []


def test_restore_refuses_a_missing_archive(site, tmp_path):
    result = site.manage("restore", tmp_path / "nothing.tar.gz")

    assert_refused(result, f"there is no backup file {tmp_path / 'nothing.tar.gz'}")


def test_a_backup_lists_every_member_with_its_sha256(seeded):
    with tarfile.open(seeded.archive) as tar:
        assert all(member.isreg() for member in tar)
    members = members_of(seeded.archive)
    manifest = json.loads(members.pop(backups.MANIFEST))

    assert manifest["format"] == backups.FORMAT
    assert manifest["database"] == ENGINE
    assert manifest["files"] == {
        name: hashlib.sha256(data).hexdigest() for name, data in members.items()
    }
    assert DATABASE_MEMBER in members
    assert len([name for name in members if name.startswith("media/")]) > 100


@pytest.mark.django_db(
    transaction=True, serialized_rollback=True
)  # a backup reads the database from outside a transaction
def test_an_interrupted_backup_leaves_no_archive_behind(tmp_path, media_root, monkeypatch):
    (media_root / "photos").mkdir(parents=True)
    (media_root / "photos" / "a.jpg").write_bytes(b"photo")

    def interrupted(**kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(backups, "_manifest", interrupted)  # the last member: all else is in

    with pytest.raises(KeyboardInterrupt):
        backups.create_backup(directory=tmp_path / "backups")

    assert list((tmp_path / "backups").iterdir()) == []


def test_restore_accepts_an_archive_repacked_by_hand_with_folders_and_dot_names(
    seeded, site, tmp_path
):
    unpacked = tmp_path / "unpacked"
    with tarfile.open(seeded.archive) as tar:
        tar.extractall(unpacked, filter="data")
    repacked = tmp_path / "repacked.tar.gz"
    with tarfile.open(repacked, "w:gz") as tar:
        tar.add(unpacked, arcname=".")  # ./, ./media/, ./media/photos/…, ./manifest.json
    before = site.state()
    delete_comments(site)

    result = site.manage("restore", repacked)

    assert result.returncode == 0, result.stderr
    assert site.state() == before


def test_restore_of_a_backup_older_than_the_code_says_to_migrate(site, tmp_path):
    site.sql("DELETE FROM django_migrations WHERE id = (SELECT max(id) FROM django_migrations)")
    assert site.manage("backup", "--output", tmp_path / "backups").returncode == 0

    result = site.manage("restore", next((tmp_path / "backups").glob("*.tar.gz")))

    assert result.returncode == 0, result.stderr
    assert "The backup lacks 1 migration of this code: run `manage.py migrate`." in result.stdout


@ONLY_ON_POSTGRESQL
def test_postgresql_names_the_tables_made_after_the_backup_that_a_restore_leaves(seeded, site):
    site.sql("CREATE TABLE newsroom_made_after_the_backup (id integer)")

    result = site.manage("restore", seeded.archive)

    assert result.returncode == 0, result.stderr
    assert (
        "The database still has 1 table the backup lacks (newsroom_made_after_the_backup), "
        "made after it: drop it before `manage.py migrate`."
    ) in result.stdout
