"""Media in an S3-compatible bucket: what a backup reads and a restore swaps.

A bucket has no folder to rename, so a restore of media kept in one goes in steps that leave
the live media untouched until everything the backup holds is safely in the bucket:

1. stage: every media file of the verified backup that the live media lack or hold with
   other bytes is uploaded under a staging prefix beside the media
   (``media.restoring-<time>/``) and read back to check its sha256;
2. apply: the live media are compared again (an upload may have come meanwhile; what now
   differs is staged too); live objects the backup lacks or holds with other bytes are copied
   aside under ``media.before-restore-<time>/``; the staged files are copied over them,
   inside the bucket; live objects the backup lacks are deleted;
3. undo, if the database then cannot be restored: the moved-aside objects are copied back,
   the ones the backup added deleted, and the aside prefix removed.

The staging prefix is always removed. What stays aside is exactly what the backup lacked,
for the operator, as with media on disk.
"""

import hashlib
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

from botocore.exceptions import BotoCoreError, ClientError
from django.core.files.storage import Storage
from django.utils import timezone
from django.utils.translation import gettext as _

CHUNK = 1024 * 1024
# Objects sent or copied at once: each is a round trip, and a newsroom has tens of thousands.
CONCURRENT_REQUESTS = 8


def stored_names(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file in ``storage`` under ``folder``, through the storage API, sorted."""
    folders, files = storage.listdir(folder)
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        yield from stored_names(storage, f"{folder}/{sub}" if folder else sub)


def is_bucket(storage: Storage) -> bool:
    """The storage keeps its files in an S3-compatible bucket (django-storages)."""
    return hasattr(storage, "bucket_name") and hasattr(storage, "connection")


@dataclass
class BucketSwap:
    """Replaces the media under the storage's location with a verified backup's, undoably."""

    storage: Storage
    staged: Path  # the backup's media, unpacked and verified
    checksums: dict[str, str]  # sha256 by media name (without "media/")
    failure: type[Exception]
    stamp: str = field(default_factory=lambda: f"{timezone.localtime():%Y%m%d-%H%M%S}")
    replaced: list[str] = field(default_factory=list)  # live names overwritten by the backup
    added: list[str] = field(default_factory=list)  # names the live media lacked
    removed: list[str] = field(default_factory=list)  # live names the backup lacks
    moved_aside: list[str] = field(default_factory=list)  # copied aside so far
    written: list[str] = field(default_factory=list)  # copied over from staging so far
    staged_names: set[str] = field(default_factory=set)  # uploaded under the staging prefix

    @property
    def client(self):
        return self.storage.connection.meta.client

    @property
    def bucket(self) -> str:
        return self.storage.bucket_name

    @property
    def location(self) -> str:
        return self.storage.location.strip("/")

    @property
    def staging_prefix(self) -> str:
        return f"{self.location}.restoring-{self.stamp}/"

    @property
    def aside_prefix(self) -> str:
        return f"{self.location}.before-restore-{self.stamp}/"

    @property
    def aside_label(self) -> str:
        return f"s3://{self.bucket}/{self.aside_prefix}"

    def live_key(self, name: str) -> str:
        return f"{self.location}/{name}"

    # Steps

    def stage(self) -> None:
        try:
            self._compare(self._live_objects())
            self._upload(self.replaced + self.added)
        except (BotoCoreError, ClientError, OSError) as error:
            self.drop_staging()
            raise self.failure(
                _("cannot upload the backup's media into the bucket %(bucket)s (%(error)s)")
                % {"bucket": self.bucket, "error": error}
            ) from error
        except BaseException:
            self.drop_staging()
            raise

    def apply(self) -> None:
        try:
            self._compare(self._live_objects())
            self._upload(
                [name for name in self.replaced + self.added if name not in self.staged_names]
            )

            def move_aside(name: str) -> None:
                self._copy(source=self.live_key(name), target=self.aside_prefix + name, name=name)
                self.moved_aside.append(name)

            def write(name: str) -> None:
                self._copy(source=self.staging_prefix + name, target=self.live_key(name), name=name)
                self.written.append(name)

            _each(move_aside, self.removed + self.replaced)
            _each(write, self.replaced + self.added)
            self._delete([self.live_key(name) for name in self.removed])
        except (BotoCoreError, ClientError, OSError) as error:
            self.undo()
            raise self.failure(
                _("cannot put the backup's media in place in the bucket %(bucket)s (%(error)s)")
                % {"bucket": self.bucket, "error": error}
            ) from error
        except BaseException:
            self.undo()
            raise

    def undo(self) -> None:
        """Put the live media back as they were before ``apply`` (or as far as it got)."""
        try:
            _each(
                lambda name: self._copy(
                    source=self.aside_prefix + name, target=self.live_key(name), name=name
                ),
                list(self.moved_aside),
            )
            added = set(self.added)
            self._delete([self.live_key(name) for name in self.written if name in added])
            self._delete_prefix(self.aside_prefix)
        except (BotoCoreError, ClientError) as error:
            raise self.failure(
                _(
                    "the database was not restored, and the media could not be put back: "
                    "the media as they were are in %(aside)s (%(error)s)"
                )
                % {"aside": self.aside_label, "error": error}
            ) from error
        finally:
            self.drop_staging()

    def drop_staging(self) -> None:
        # Only a copy of the backup's media: if it cannot go, the operator may delete it.
        with suppress(BotoCoreError, ClientError):
            self._delete_prefix(self.staging_prefix)

    @property
    def kept(self) -> int:
        """Objects moved aside: the live media the backup lacks or holds otherwise."""
        return len(self.removed) + len(self.replaced)

    # Helpers

    def _compare(self, live: dict[str, str]) -> None:
        """Sort the media names into what the backup lacks, holds otherwise, and adds."""
        self.removed = sorted(live.keys() - self.checksums.keys())
        in_both = sorted(live.keys() & self.checksums.keys())
        differs = _each(lambda name: not self._same(name=name, etag=live[name]), in_both)
        self.replaced = [name for name, differ in zip(in_both, differs, strict=True) if differ]
        self.added = sorted(self.checksums.keys() - live.keys())

    def _upload(self, names: list[str]) -> None:
        """Upload these files of the backup under the staging prefix, each checked."""

        def upload(name: str) -> None:
            key = self.staging_prefix + name
            self.client.upload_file(str(self.staged / name), self.bucket, key)
            if self._sha256(key) != self.checksums[name]:
                raise self.failure(
                    _("%(name)s changed on its way into the bucket") % {"name": name}
                )
            self.staged_names.add(name)

        _each(upload, names)

    def _live_objects(self) -> dict[str, str]:
        """Every live media object's ETag, by media name."""
        objects = {}
        prefix = f"{self.location}/"
        for page in self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=prefix
        ):
            for entry in page.get("Contents", ()):
                objects[entry["Key"].removeprefix(prefix)] = entry["ETag"].strip('"')
        return objects

    def _same(self, *, name: str, etag: str) -> bool:
        """The live object holds the backup's bytes: a single-part upload's ETag is its MD5;
        anything else is read and hashed."""
        if "-" not in etag:
            return etag == _md5(self.staged / name)
        return self._sha256(self.live_key(name)) == self.checksums[name]

    def _copy(self, *, source: str, target: str, name: str) -> None:
        # The object's type, cache and access headers, as the storage writes them on upload.
        parameters = self.storage._get_write_parameters(name)
        self.client.copy_object(
            Bucket=self.bucket,
            Key=target,
            CopySource={"Bucket": self.bucket, "Key": source},
            MetadataDirective="REPLACE",
            **parameters,
        )

    def _delete(self, keys: list[str]) -> None:
        for start in range(0, len(keys), 1000):  # S3 deletes at most 1,000 keys per call
            batch = [{"Key": key} for key in keys[start : start + 1000]]
            response = self.client.delete_objects(
                Bucket=self.bucket, Delete={"Objects": batch, "Quiet": True}
            )
            if errors := response.get("Errors"):
                raise ClientError(
                    {"Error": {"Code": errors[0]["Code"], "Message": errors[0]["Message"]}},
                    "DeleteObjects",
                )

    def _delete_prefix(self, prefix: str) -> None:
        keys = []
        for page in self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=prefix
        ):
            keys += [entry["Key"] for entry in page.get("Contents", ())]
        self._delete(keys)

    def _sha256(self, key: str) -> str:
        digest = hashlib.sha256()
        body = self.client.get_object(Bucket=self.bucket, Key=key)["Body"]
        while chunk := body.read(CHUNK):
            digest.update(chunk)
        return digest.hexdigest()


def _each(function: Callable, items: Iterable) -> list:
    """``function`` of every item, a few at once; the first error is raised once all are done
    (so what was done is all recorded)."""
    with ThreadPoolExecutor(CONCURRENT_REQUESTS) as pool:
        futures = [pool.submit(function, item) for item in items]
    return [future.result() for future in futures]


def _md5(path: Path) -> str:
    digest = hashlib.md5(usedforsecurity=False)
    with open(path, "rb") as file:
        while chunk := file.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
