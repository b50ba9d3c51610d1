"""The S3-compatible server (moto) and a bucket per test, for media and backups in a bucket."""

from tests.s3 import bucket, s3_server  # noqa: F401 - fixtures
