"""make backup / make restore with media and archives in an S3-compatible bucket (moto's
server, over HTTP), driven through manage.py as an operator would.

The archive goes to the bucket's private backups/ prefix and a restore can read it from
there. A restore stages the backup's media in the bucket before touching the live ones; a
damaged archive, or a database that cannot be restored, leaves the rows and every media
object as they were, with no staging or moved-aside prefix left behind.
"""

from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.backups.test_backups import (
    DATABASE_MEMBER,
    ONLY_ON_POSTGRESQL,
    ONLY_ON_SQLITE,
    Site,
    a_media_file,
    assert_refused,
    create_database,
    delete_comments,
    drop_database,
    flip_64_bytes_in_the_middle,
    members_of,
    sqlite_with_bigger_pages,
    write_archive,
)
from tests.s3 import Bucket, fetch, new_bucket

LIVE = ("media/", "backups/")


@dataclass
class BucketSite(Site):
    """A site of its own whose media and backups are in a bucket of its own."""

    bucket: Bucket | None = None

    @property
    def env(self) -> dict[str, str]:
        return {**super().env, **self.bucket.env}

    def media_files(self) -> dict[str, bytes]:
        return {
            key.removeprefix("media/"): data for key, data in self.bucket.objects("media/").items()
        }

    def leftovers(self) -> list[str]:
        """Staging or moved-aside prefixes in the bucket, or anything on the local disk."""
        return sorted(
            key for key in self.bucket.object_keys() if not key.startswith(LIVE)
        ) + sorted(str(path) for path in self.media.parent.glob("*media*"))

    def aside(self) -> dict[str, bytes]:
        return {
            key: data
            for key, data in self.bucket.objects("media.before-restore-").items()
            if not key.startswith(LIVE)
        }

    def store(self, name: str, archive: Path) -> str:
        """Put ``archive`` into the bucket's backups/ as ``name``, as a copy made elsewhere."""
        self.bucket.put(f"backups/{name}", archive.read_bytes())
        return name


@dataclass
class SeededBucketSite:
    site: BucketSite
    archive: Path  # a local copy of the stored archive, to read and damage
    stored_name: str
    backup_output: str


@pytest.fixture(scope="module")
def seeded(s3_server, tmp_path_factory):
    """The demo site with its media in a bucket, seeded and backed up into it once."""
    folder = tmp_path_factory.mktemp("seeded-bucket")
    site = BucketSite(create_database(folder=folder), folder / "media", new_bucket(s3_server))
    for command in (("migrate", "--no-input"), ("seed_demo",)):
        result = site.manage(*command)
        assert result.returncode == 0, result.stderr
    backup = site.manage("backup")
    assert backup.returncode == 0, backup.stderr
    [key] = site.bucket.object_keys("backups/")
    archive = folder / Path(key).name
    archive.write_bytes(site.bucket.objects(key)[key])
    yield SeededBucketSite(site, archive, Path(key).name, backup.stdout)
    drop_database(site.database_url)


@pytest.fixture
def site(seeded, s3_server, tmp_path):
    """A copy of the seeded site: its database, and its bucket's objects in a new bucket."""
    folder = tmp_path / "site"
    folder.mkdir()
    bucket = new_bucket(s3_server)
    seeded.site.bucket.copy_into(bucket)
    copy = BucketSite(
        create_database(folder=folder, template=seeded.site.database_url),
        folder / "media",
        bucket,
    )
    yield copy
    drop_database(copy.database_url)


def test_a_backup_lands_in_the_bucket_with_every_media_object_and_is_private(seeded):
    site = seeded.site
    key = f"backups/{seeded.stored_name}"

    assert f"Backup written to s3://{site.bucket.name}/{key}" in seeded.backup_output
    media = {
        name.removeprefix("media/"): data
        for name, data in members_of(seeded.archive).items()
        if name.startswith("media/")
    }
    assert media == site.media_files()
    assert len(media) > 10  # photos, their renditions, reporter photos and banners
    assert any(name.startswith("reporters/") for name in media)
    assert any(name.startswith("ads/") for name in media)
    assert not site.media.exists()  # nothing went to the local disk
    with pytest.raises(Exception, match="403"):
        fetch(f"{site.bucket.endpoint}/{site.bucket.name}/{key}")


def test_restore_from_the_bucket_round_trips_the_site_and_moves_later_uploads_aside(seeded, site):
    before = site.state()
    bucket = site.bucket
    delete_comments(site)
    photos = sorted(name for name in site.media_files() if name.endswith(".jpg"))
    bucket.client.delete_object(Bucket=bucket.name, Key=f"media/{photos[0]}")
    bucket.put(f"media/{photos[1]}", b"a rendition overwritten after the backup")
    bucket.put("media/photos/2030/01/uploaded-after-the-backup.jpg", b"a later photo")
    assert site.state() != before

    result = site.manage("restore", "--stored", seeded.stored_name)

    assert result.returncode == 0, result.stderr
    assert site.state() == before
    articles, photo_rows, comments = before[0]
    assert f"{articles} articles, {photo_rows} photos, {comments} comments" in result.stdout
    [aside_prefix] = {key.split("/", 1)[0] for key in site.aside()}
    assert site.aside() == {
        f"{aside_prefix}/{photos[1]}": b"a rendition overwritten after the backup",
        f"{aside_prefix}/photos/2030/01/uploaded-after-the-backup.jpg": b"a later photo",
    }
    assert (
        f"2 media files that the backup lacks were moved to s3://{bucket.name}/{aside_prefix}/."
        in result.stdout
    )
    assert [key for key in site.leftovers() if not key.startswith(aside_prefix)] == []
    # What readers load is back: the restored photo is served from the bucket.
    url = f"{bucket.endpoint}/{bucket.name}/media/{photos[0]}"
    assert fetch(url)[1] == before[1][photos[0]]


def test_restore_over_unchanged_media_copies_nothing_aside(seeded, site):
    delete_comments(site)

    result = site.manage("restore", "--stored", seeded.stored_name)

    assert result.returncode == 0, result.stderr
    assert "The live media held nothing the backup lacks." in result.stdout
    assert site.leftovers() == []


@pytest.mark.parametrize("damage", ["flipped bytes", "a media file that is not what it says"])
def test_a_damaged_backup_in_the_bucket_is_refused_and_changes_nothing(
    seeded, site, tmp_path, damage
):
    if damage == "flipped bytes":
        archive = flip_64_bytes_in_the_middle(seeded.archive, tmp_path / "damaged.tar.gz")
        problem = "the backup file is damaged"
    else:
        members = members_of(seeded.archive)
        photo = a_media_file(members)
        archive = write_archive(
            tmp_path / "damaged.tar.gz", {**members, photo: b"garbage"}, fix_checksums=False
        )
        problem = f"the backup file is damaged (the checksum of {photo} does not match)"
    stored = site.store("newsroom-damaged.tar.gz", archive)
    site.bucket.put("media/photos/2030/01/uploaded-after-the-backup.jpg", b"a later photo")
    delete_comments(site)
    before = site.state()

    result = site.manage("restore", "--stored", stored)

    assert_refused(result, problem)
    assert site.state() == before
    assert site.leftovers() == []


def test_restore_refuses_a_stored_backup_that_is_not_there(site):
    before = site.state()

    result = site.manage("restore", "--stored", "newsroom-19990101-000000.tar.gz")

    assert_refused(result, "there is no stored backup newsroom-19990101-000000.tar.gz")
    assert site.state() == before
    in_korean = site.manage(
        "restore", "--stored", "newsroom-19990101-000000.tar.gz", env={"LANGUAGE_CODE": "ko"}
    )
    assert in_korean.stderr == (
        "복원하지 않았습니다: 저장된 백업 newsroom-19990101-000000.tar.gz이(가) 없습니다.\n"
    )


def test_restore_check_reads_a_stored_backup_and_changes_nothing(seeded, site):
    delete_comments(site)
    before = site.state()

    result = site.manage("restore", "--check", "--stored", seeded.stored_name)

    assert result.returncode == 0, result.stderr
    assert "is sound" in result.stdout and "Nothing was changed." in result.stdout
    assert site.state() == before
    assert site.leftovers() == []


def change_the_media(site) -> None:
    """An upload after the backup, a rendition overwritten, one deleted: what undo must mend."""
    photos = sorted(name for name in site.media_files() if name.endswith(".jpg"))
    site.bucket.client.delete_object(Bucket=site.bucket.name, Key=f"media/{photos[0]}")
    site.bucket.put(f"media/{photos[1]}", b"a rendition overwritten after the backup")
    site.bucket.put("media/photos/2030/01/uploaded-after-the-backup.jpg", b"a later photo")


@ONLY_ON_SQLITE
def test_sqlite_refusing_the_database_puts_the_bucket_media_back(seeded, site, tmp_path):
    members = members_of(seeded.archive)
    archive = write_archive(
        tmp_path / "bigger-pages.tar.gz",
        {**members, DATABASE_MEMBER: sqlite_with_bigger_pages(members[DATABASE_MEMBER], tmp_path)},
    )
    stored = site.store("newsroom-bigger-pages.tar.gz", archive)
    change_the_media(site)
    delete_comments(site)
    before = site.state()

    result = site.manage("restore", "--stored", stored)

    assert_refused(
        result, "SQLite could not write the backup's database; the live one is unchanged"
    )
    assert site.state() == before
    assert site.leftovers() == []


@ONLY_ON_POSTGRESQL
def test_postgresql_refusing_the_database_puts_the_bucket_media_back(seeded, site):
    # A view the backup does not know keeps pg_restore from dropping the articles table.
    site.sql("CREATE VIEW newsroom_report AS SELECT id FROM articles_article")
    change_the_media(site)
    delete_comments(site)
    before = site.state()

    result = site.manage("restore", "--stored", seeded.stored_name)

    assert_refused(result, "PostgreSQL refused the backup's database and rolled back")
    assert site.state() == before
    assert site.leftovers() == []
