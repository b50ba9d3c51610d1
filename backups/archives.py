"""Backups of the whole site, and restores that change all of it or nothing.

An archive is a .tar.gz of plain files: the database (database.dump from pg_dump on
PostgreSQL, database.sqlite3 for SQLite), media/… with every uploaded file, and last
manifest.json, which lists every other member with its sha256. A backup is written under a
temporary name and renamed when complete, so a file named like an archive is a whole one.

A restore runs in three steps:

1. verify: the whole archive is unpacked into a staging folder next to MEDIA_ROOT and
   checked (gzip, tar, the manifest, every checksum, no unsafe or unlisted member, the
   database opens, passes its engine's integrity check and holds no migration this code
   lacks). Nothing live has been touched yet.
2. swap media: the live media folder is moved aside and the staged one takes its place.
3. restore the database, in one transaction; if that fails the media are swapped back.

Files of the moved-aside folder that the backup holds byte for byte are then dropped from
it, so it keeps only what the backup lacked (uploads made after it), for the operator.

Media kept in an S3-compatible bucket (settings.S3_BUCKET) are read through the storage API
and swapped in steps of their own (``bucket.BucketSwap``); the archive is then unpacked in
the system's temporary folder. Archives are written to the "backups" storage (a folder, or
the bucket's backups/ prefix) unless a folder is named, and a restore can fetch one from it.
"""

import gzip
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from contextlib import closing, suppress
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import django
from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.core.files.storage import storages
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django.utils.translation import gettext as _

from caching import versions

from .bucket import BucketSwap, is_bucket, stored_names

FORMAT = 2
MANIFEST = "manifest.json"
DATABASE_MEMBERS = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
ENGINE_NAMES = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}
# Rows counted into the manifest and shown after a restore, so the operator sees what came back.
COUNTED_MODELS = ("articles.Article", "articles.Photo", "comments.Comment")
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that did not happen; the message is the one line the operator reads."""


@dataclass(frozen=True)
class VerifiedBackup:
    """An archive unpacked into a staging folder and found sound."""

    manifest: dict
    database: Path
    media: Path
    missing_migrations: int  # migrations of this code the backup's database has not applied

    @property
    def media_files(self) -> int:
        return sum(name.startswith("media/") for name in self.manifest["files"])


@dataclass(frozen=True)
class Restored:
    """What a restore did, for the operator."""

    backup: VerifiedBackup
    counts: dict[str, int]  # model label: rows in the restored database
    moved_aside: Path | str | None  # live media the backup lacked (a folder or s3:// prefix)
    moved_aside_files: int
    tables_kept: list[str]  # live tables the backup lacks, which a restore leaves alone


# Backing up


def store_backup() -> str:
    """Write a backup archive into the "backups" storage and say where it is."""
    storage = storages["backups"]
    if not is_bucket(storage):
        return str(create_backup(directory=Path(storage.location)))
    with tempfile.TemporaryDirectory() as work:
        archive = create_backup(directory=Path(work))
        if storage.exists(archive.name):
            raise BackupError(_("%(path)s already exists") % {"path": archive.name})
        # An object appears in a bucket only once all of it is uploaded.
        with open(archive, "rb") as file:
            name = storage.save(archive.name, File(file))
    return f"s3://{storage.bucket_name}/{storage.location.strip('/')}/{name}"


def fetch_stored_backup(*, name: str, into: Path) -> Path:
    """Copy the archive ``name`` of the "backups" storage into the folder ``into``."""
    storage = storages["backups"]
    if not storage.exists(name):
        raise BackupError(_("there is no stored backup %(name)s") % {"name": name})
    target = into / PurePosixPath(name).name
    with storage.open(name, "rb") as source, open(target, "xb") as out:
        shutil.copyfileobj(source, out, CHUNK)
    return target


def create_backup(*, directory: Path) -> Path:
    """Write a backup archive into ``directory`` and return its path."""
    directory.mkdir(parents=True, exist_ok=True)
    archive = directory / f"newsroom-{timezone.localtime():%Y%m%d-%H%M%S}.tar.gz"
    # A name of its own until it is complete; mode 0600, as it holds readers' personal data.
    descriptor, partial = tempfile.mkstemp(
        prefix=f"{archive.name}.", suffix=".partial", dir=directory
    )
    partial = Path(partial)
    try:
        with tempfile.TemporaryDirectory() as work, open(descriptor, "wb") as file:
            database = _dump_database(into=Path(work))
            with tarfile.open(fileobj=file, mode="w:gz") as tar:
                checksums = {database.name: _add_file(tar=tar, path=database, name=database.name)}
                checksums |= _add_media(tar=tar)
                _add_bytes(tar=tar, name=MANIFEST, data=_manifest(checksums=checksums))
            file.flush()
            os.fsync(file.fileno())
        if archive.exists():
            raise BackupError(_("%(path)s already exists") % {"path": archive})
        os.replace(partial, archive)
    finally:
        partial.unlink(missing_ok=True)
    return archive


def _dump_database(*, into: Path) -> Path:
    database = into / DATABASE_MEMBERS[connection.vendor]
    if connection.vendor == "postgresql":
        command = ["pg_dump", "--format=custom", "--no-owner", "--file", str(database)]
        _run_pg_tool(
            [*command, *_pg_connection_args(), settings.DATABASES["default"]["NAME"]],
            failure=_("pg_dump failed (%(error)s)"),
        )
    else:
        connection.ensure_connection()
        with closing(sqlite3.connect(database)) as copy:
            # SQLite's online backup: a consistent copy even while the site writes.
            connection.connection.backup(copy)
    return database


def _add_media(*, tar: tarfile.TarFile) -> dict[str, str]:
    """Add every uploaded file under media/; return their sha256 by member name."""
    checksums = {}
    storage = storages["default"]
    if is_bucket(storage):
        for stored in stored_names(storage):
            name = f"media/{stored}"
            with storage.open(stored, "rb") as file:
                info = tarfile.TarInfo(name)
                info.size = file.size
                info.mtime = int(timezone.now().timestamp())
                info.mode = 0o644
                reader = _HashingReader(file)
                tar.addfile(info, reader)
            checksums[name] = reader.sha256.hexdigest()
        return checksums
    media = _media_root()
    for path in _plain_files(folder=media):
        name = f"media/{path.relative_to(media).as_posix()}"
        checksums[name] = _add_file(tar=tar, path=path, name=name)
    return checksums


def _add_file(*, tar: tarfile.TarFile, path: Path, name: str) -> str:
    """Add ``path`` as ``name`` and return the sha256 of the bytes that went in."""
    with open(path, "rb") as file:
        info = tar.gettarinfo(fileobj=file, arcname=name)
        reader = _HashingReader(file)
        tar.addfile(info, reader)
    return reader.sha256.hexdigest()


class _HashingReader:
    """Hashes what tarfile reads, so the checksum is of what the archive holds even if the
    file changes while it is read."""

    def __init__(self, file):
        self.file = file
        self.sha256 = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.file.read(size)
        self.sha256.update(data)
        return data


def _add_bytes(*, tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    info.mode = 0o644
    tar.addfile(info, io.BytesIO(data))


def _manifest(*, checksums: dict[str, str]) -> bytes:
    manifest = {
        "format": FORMAT,
        "created": timezone.now().isoformat(),
        "database": connection.vendor,
        "django": django.get_version(),
        "counts": _counts(),
        "files": checksums,
    }
    return json.dumps(manifest, indent=1).encode()


def _counts() -> dict[str, int]:
    """Rows of the counted models, by model label."""
    return {label: apps.get_model(label).objects.count() for label in COUNTED_MODELS}


def _media_root() -> Path:
    # The real folder: a symlinked MEDIA_ROOT is swapped where its files are.
    return Path(settings.MEDIA_ROOT).resolve()


def _plain_files(*, folder: Path) -> list[Path]:
    """Regular files under ``folder``; links and special files are no uploads."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


# Restoring


def check_backup(*, archive: Path) -> VerifiedBackup:
    """Verify ``archive`` as a restore would, and change nothing."""
    staging = _new_staging_folder()
    try:
        return verify_backup(archive=archive, into=staging)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def restore_backup(*, archive: Path) -> Restored:
    """Replace the database and media with those in ``archive``, all or nothing."""
    staging = _new_staging_folder()
    try:
        backup = verify_backup(archive=archive, into=staging)
        if is_bucket(storages["default"]):
            return _restore_into_bucket(backup=backup)
        aside = _swap_media(staged=backup.media)
        try:
            tables_kept = _restore_database(database=backup.database)
        except BaseException:
            _swap_media_back(staged=backup.media, aside=aside)
            raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    _bump_everything()
    kept = _drop_files_the_backup_holds(aside=aside, checksums=backup.manifest["files"])
    return Restored(
        backup=backup,
        counts=_counts(),
        moved_aside=aside if kept else None,
        moved_aside_files=kept,
        tables_kept=tables_kept,
    )


def _restore_into_bucket(*, backup: VerifiedBackup) -> Restored:
    media = {
        name.removeprefix("media/"): digest
        for name, digest in backup.manifest["files"].items()
        if name.startswith("media/")
    }
    swap = BucketSwap(
        storage=storages["default"], staged=backup.media, checksums=media, failure=BackupError
    )
    swap.stage()
    swap.apply()
    try:
        tables_kept = _restore_database(database=backup.database)
    except BaseException:
        swap.undo()
        raise
    swap.drop_staging()
    _bump_everything()
    return Restored(
        backup=backup,
        counts=_counts(),
        moved_aside=swap.aside_label if swap.kept else None,
        moved_aside_files=swap.kept,
        tables_kept=tables_kept,
    )


def _bump_everything() -> None:
    # The restore has happened: tidying up must not make it look failed. No worker may
    # serve pages of the replaced data (if the shared cache is down, neither does it).
    with suppress(Exception):
        versions.bump_everything()


def _new_staging_folder() -> Path:
    if is_bucket(storages["default"]):
        return Path(tempfile.mkdtemp(prefix="newsroom-restoring-"))
    # Next to MEDIA_ROOT, on the same file system, so the staged media can be renamed into place.
    media = _media_root()
    try:
        media.parent.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=f".{media.name}.restoring-", dir=media.parent))
    except OSError as error:
        raise BackupError(
            _("cannot make a staging folder next to %(media)s (%(error)s)")
            % {"media": media, "error": error.strerror}
        ) from error


# Step 1: verify


def verify_backup(*, archive: Path, into: Path) -> VerifiedBackup:
    """Unpack ``archive`` into the folder ``into`` and check all of it; raise BackupError."""
    if not archive.is_file():
        raise BackupError(_("there is no backup file %(path)s") % {"path": archive})
    _refuse_what_is_not_gzip(archive=archive)
    checksums = _unpack(archive=archive, into=into)
    manifest = _read_manifest(into=into, checksums=checksums)
    _check_engine(manifest=manifest)
    _check_members(manifest=manifest, checksums=checksums)
    database = into / DATABASE_MEMBERS[connection.vendor]
    applied = _check_database(database=database)
    missing = _check_migrations(applied=applied)
    media = into / "media"
    media.mkdir(exist_ok=True)  # a backup of a site without uploads has no media member
    return VerifiedBackup(
        manifest=manifest, database=database, media=media, missing_migrations=missing
    )


def _refuse_what_is_not_gzip(*, archive: Path) -> None:
    with open(archive, "rb") as file:
        if file.read(2) != b"\x1f\x8b":
            raise BackupError(_("the file is not a backup archive (it is not gzip-compressed)"))


def _unpack(*, archive: Path, into: Path) -> dict[str, str]:
    """Write every member into ``into`` and return the sha256 of each, by name."""
    checksums = {}
    try:
        with gzip.open(archive) as stream:
            with tarfile.open(fileobj=stream, mode="r|") as tar:
                for member in tar:
                    name = _safe_name(member=member)
                    if name is None:  # a folder carries no data; the files in it are checked
                        continue
                    if name in checksums:
                        raise BackupError(_("the backup holds %(name)s twice") % {"name": name})
                    checksums[name] = _write_member(tar=tar, member=member, target=into / name)
            # gzip checks its CRC only at the end of the stream: read it to the end.
            while stream.read(CHUNK):
                pass
    except (EOFError, zlib.error, gzip.BadGzipFile) as error:
        raise BackupError(
            _("the backup file is damaged (its compressed data are corrupt or cut short)")
        ) from error
    except tarfile.TarError as error:
        raise BackupError(
            _("the backup file is damaged (it is not a readable tar archive)")
        ) from error
    return checksums


def _safe_name(*, member: tarfile.TarInfo) -> str | None:
    """The member's name without ./ parts, None for a folder of media/; refuses the rest."""
    path = PurePosixPath(member.name)
    if path.is_absolute():
        why = _("an absolute path")
    elif ".." in path.parts:
        why = _("a path that leaves the folder")
    elif member.issym():
        why = _("a symbolic link")
    elif member.islnk():
        why = _("a hard link")
    elif member.isdev():
        why = _("a device or other special file")
    elif member.isdir() and path.parts[:1] in {(), ("media",)}:
        return None  # as tar writes them when an operator packs a folder by hand
    elif not member.isreg() or not path.parts:
        why = _("not a plain file")
    else:
        return path.as_posix()
    raise BackupError(
        _("the backup holds an unsafe or unexpected entry: %(name)s (%(why)s)")
        % {"name": member.name, "why": why}
    )


def _write_member(*, tar: tarfile.TarFile, member: tarfile.TarInfo, target: Path) -> str:
    digest = hashlib.sha256()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with tar.extractfile(member) as source, open(target, "xb") as out:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                out.write(chunk)
    except OSError as error:
        if isinstance(error, gzip.BadGzipFile):
            raise
        raise BackupError(
            _("cannot unpack %(name)s into %(folder)s (%(error)s)")
            % {"name": member.name, "folder": target.parent, "error": error.strerror or error}
        ) from error
    return digest.hexdigest()


def _read_manifest(*, into: Path, checksums: dict[str, str]) -> dict:
    if MANIFEST not in checksums:
        raise BackupError(_("the file holds no manifest.json, so it is not a Newsroom backup"))
    try:
        manifest = json.loads((into / MANIFEST).read_text(encoding="utf-8"))
    except ValueError as error:
        raise BackupError(_("the backup's manifest.json is not valid JSON")) from error
    if not isinstance(manifest, dict) or "format" not in manifest:
        raise BackupError(
            _("the backup was made before backups carried checksums, so it cannot be verified")
        )
    if manifest["format"] != FORMAT:
        raise BackupError(
            _("the backup is in format %(found)s; this code reads format %(expected)s")
            % {"found": manifest["format"], "expected": FORMAT}
        )
    expected_types = {"created": str, "database": str, "files": dict}
    if not all(isinstance(manifest.get(key), kind) for key, kind in expected_types.items()):
        raise BackupError(_("the backup's manifest.json lacks the fields a backup has"))
    return manifest


def _check_engine(*, manifest: dict) -> None:
    if manifest["database"] != connection.vendor:
        raise BackupError(
            _("the backup is of a %(backup)s database, but this site runs on %(site)s")
            % {
                "backup": ENGINE_NAMES.get(manifest["database"], manifest["database"]),
                "site": ENGINE_NAMES[connection.vendor],
            }
        )


def _check_members(*, manifest: dict, checksums: dict[str, str]) -> None:
    listed = manifest["files"]
    unpacked = {name: digest for name, digest in checksums.items() if name != MANIFEST}
    database = DATABASE_MEMBERS[connection.vendor]
    if unlisted := sorted(unpacked.keys() - listed.keys()):
        raise BackupError(
            _("the backup holds %(name)s, which its manifest does not list") % {"name": unlisted[0]}
        )
    if missing := sorted(listed.keys() - unpacked.keys()):
        raise BackupError(
            _("the backup is incomplete (%(name)s is missing)") % {"name": missing[0]}
        )
    if database not in listed:
        raise BackupError(_("the backup holds no database (%(name)s)") % {"name": database})
    for name, digest in sorted(listed.items()):
        if name != database and not name.startswith("media/"):
            raise BackupError(
                _("the backup holds an unsafe or unexpected entry: %(name)s (%(why)s)")
                % {"name": name, "why": _("neither the database nor media")}
            )
        if unpacked[name] != digest:
            raise BackupError(
                _("the backup file is damaged (the checksum of %(name)s does not match)")
                % {"name": name}
            )


def _check_database(*, database: Path) -> set[tuple[str, str]]:
    """Check the backup's database and return the migrations it has applied."""
    if connection.vendor == "postgresql":
        applied = _check_postgresql_dump(dump=database)
    else:
        applied = _check_sqlite_copy(copy=database)
    if not applied:
        raise BackupError(
            _("the database in the backup holds no Django tables (no django_migrations rows)")
        )
    return applied


def _check_sqlite_copy(*, copy: Path) -> set[tuple[str, str]]:
    try:
        with closing(sqlite3.connect(copy)) as db:
            result = [row[0] for row in db.execute("PRAGMA integrity_check")]
            if result != ["ok"]:
                raise BackupError(
                    _("the database in the backup fails SQLite's integrity check (%(error)s)")
                    % {"error": result[0]}
                )
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_schema")}
            if "django_migrations" not in tables:
                return set()
            return set(db.execute("SELECT app, name FROM django_migrations"))
    except sqlite3.DatabaseError as error:
        raise BackupError(
            _("the database in the backup cannot be read by SQLite (%(error)s)") % {"error": error}
        ) from error


def _check_postgresql_dump(*, dump: Path) -> set[tuple[str, str]]:
    # Turning the dump into SQL reads every block of it, without a database.
    failure = _("the database dump in the backup cannot be read (%(error)s)")
    _run_pg_tool(["pg_restore", "--file", os.devnull, str(dump)], failure=failure)
    sql = _run_pg_tool(
        ["pg_restore", "--data-only", "--table=django_migrations", "--file=-", str(dump)],
        failure=failure,
    )
    return _migrations_in_sql(sql=sql)


def _migrations_in_sql(*, sql: str) -> set[tuple[str, str]]:
    """The (app, name) rows of django_migrations' COPY block in pg_restore's output."""
    lines = iter(sql.splitlines())
    for line in lines:
        if re.match(r"COPY \S+\.django_migrations \(id, app, name, applied\) FROM stdin;", line):
            break
    applied = set()
    for line in lines:
        if line == "\\.":
            break
        _id, app, name, *_rest = line.split("\t")
        applied.add((app, name))
    return applied


def _check_migrations(*, applied: set[tuple[str, str]]) -> int:
    """Refuse a database with migrations this code lacks; return how many it has not applied."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    if unknown := sorted(applied - known):
        names = ", ".join(f"{app}.{name}" for app, name in unknown[:3])
        raise BackupError(
            _(
                "the backup was made by newer code: this code lacks %(count)s of its "
                "migrations (%(names)s); update the code first"
            )
            % {"count": len(unknown), "names": names + (", …" if len(unknown) > 3 else "")}
        )
    return len(known - applied)


# Step 2: swap media


def _swap_media(*, staged: Path) -> Path | None:
    """Put the staged media in place of the live ones; return where those went, if anywhere."""
    live = _media_root()
    if not live.exists():
        _rename(source=staged, target=live)
        return None
    _take_owner_and_mode(folder=staged, like=live)
    aside = live.with_name(f"{live.name}.before-restore-{timezone.localtime():%Y%m%d-%H%M%S}")
    _rename(source=live, target=aside)
    try:
        _rename(source=staged, target=live)
    except BackupError:
        _rename(source=aside, target=live)
        raise
    return aside


def _swap_media_back(*, staged: Path, aside: Path | None) -> None:
    live = _media_root()
    try:
        _rename(source=live, target=staged)
        if aside:
            _rename(source=aside, target=live)
    except BackupError as error:
        raise BackupError(
            _(
                "the database was not restored, and the media could not be put back: "
                "the media as they were are in %(aside)s (%(error)s)"
            )
            % {"aside": aside, "error": error}
        ) from error


def _rename(*, source: Path, target: Path) -> None:
    try:
        os.rename(source, target)
    except OSError as error:
        raise BackupError(
            _("cannot move %(source)s to %(target)s (%(error)s)")
            % {"source": source, "target": target, "error": error.strerror}
        ) from error


def _take_owner_and_mode(*, folder: Path, like: Path) -> None:
    """Restored media belong to whoever owned the folder they replace, so that the site
    can still write uploads when root runs the restore."""
    owner = like.stat()
    folder.chmod(owner.st_mode & 0o7777)
    if os.geteuid() != 0 or (owner.st_uid, owner.st_gid) == (os.geteuid(), os.getegid()):
        return
    for path in [folder, *folder.rglob("*")]:
        os.chown(path, owner.st_uid, owner.st_gid, follow_symlinks=False)


def _drop_files_the_backup_holds(*, aside: Path | None, checksums: dict[str, str]) -> int:
    """Empty the moved-aside folder of files the restored media hold byte for byte, and of
    empty folders; return how many files are left (removing the folder if none is)."""
    if aside is None:
        return 0
    kept = 0
    for path in sorted(aside.rglob("*"), reverse=True):  # a folder's files before the folder
        name = f"media/{path.relative_to(aside).as_posix()}"
        try:
            if path.is_dir() and not path.is_symlink():
                if not any(path.iterdir()):
                    path.rmdir()
            elif path.is_file() and not path.is_symlink() and checksums.get(name) == _sha256(path):
                path.unlink()
            else:
                kept += 1
        except OSError:  # left for the operator, like anything the backup lacks
            kept += 1
    if not kept:
        aside.rmdir()
    return kept


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        while chunk := file.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


# Step 3: restore the database


def _restore_database(*, database: Path) -> list[str]:
    """Replace the live database with ``database``; return the live tables it left alone."""
    connection.close()
    if connection.vendor == "postgresql":
        return _restore_postgresql(dump=database)
    _restore_sqlite(copy=database)
    return []  # the whole file is replaced


def _restore_postgresql(*, dump: Path) -> list[str]:
    # One transaction that stops at the first error: a failure leaves the database as it was.
    command = ["pg_restore", "--single-transaction", "--exit-on-error", "--clean", "--if-exists"]
    command += ["--no-owner", "--no-privileges", *_pg_connection_args()]
    command += ["--dbname", settings.DATABASES["default"]["NAME"], str(dump)]
    _run_pg_tool(
        command, failure=_("PostgreSQL refused the backup's database and rolled back (%(error)s)")
    )
    # --clean drops only what the dump holds: tables made after the backup (by later
    # migrations) stay, and `migrate` would stumble on them, so the operator is told.
    listing = _run_pg_tool(["pg_restore", "--list", str(dump)], failure="%(error)s")
    in_dump = set(re.findall(r"^\d+; \d+ \d+ TABLE \S+ (\S+) ", listing, flags=re.MULTILINE))
    return sorted(set(connection.introspection.table_names()) - in_dump)


def _restore_sqlite(*, copy: Path) -> None:
    # Not a file rename: the site's open connections would go on using the old file, and its
    # -wal file would be read as the new one's. SQLite's backup API writes through the live
    # file's own locks and WAL, all pages in one step, so in one transaction that SQLite rolls
    # back on failure, and the site's connections see the restored rows at once.
    live = settings.DATABASES["default"]
    try:
        with (
            closing(sqlite3.connect(copy)) as source,
            closing(
                sqlite3.connect(live["NAME"], timeout=live["OPTIONS"].get("timeout", 20))
            ) as target,
        ):
            source.backup(target, pages=-1)
    except sqlite3.Error as error:
        raise BackupError(
            _("SQLite could not write the backup's database; the live one is unchanged (%(error)s)")
            % {"error": error}
        ) from error


# PostgreSQL client programs


def _run_pg_tool(command: list[str], *, failure: str) -> str:
    """Run a PostgreSQL client program; return its output or raise ``failure`` with its error."""
    program = shutil.which(command[0])
    if program is None:
        raise BackupError(
            _("%(program)s is not installed (Debian: apt-get install postgresql-client)")
            % {"program": command[0]}
        )
    # Our own arguments, no shell.
    result = subprocess.run(  # noqa: S603
        [program, *command[1:]], env=_pg_environment(), capture_output=True, text=True
    )
    if result.returncode:
        raise BackupError(failure % {"error": _first_error(output=result.stderr)})
    return result.stdout


def _first_error(*, output: str) -> str:
    lines = [line for line in output.splitlines() if line.strip()] or ["?"]
    line = next((line for line in lines if "error:" in line), lines[0])
    return " ".join(line.split("error:", 1)[-1].split())


def _pg_environment() -> dict[str, str]:
    password = settings.DATABASES["default"].get("PASSWORD")
    return {**os.environ, **({"PGPASSWORD": password} if password else {})}


def _pg_connection_args() -> list[str]:
    db = settings.DATABASES["default"]
    options = db.get("OPTIONS", {})
    args = []
    if host := db.get("HOST") or options.get("host"):
        args += ["--host", str(host)]
    if port := db.get("PORT") or options.get("port"):
        args += ["--port", str(port)]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    return args
