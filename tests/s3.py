"""A real S3-compatible server for the tests: moto's server mode on a free loopback port.

boto3 (through django-storages) talks to it over HTTP, as it would to AWS, MinIO or R2;
each test gets a bucket of its own.
"""

import json
import urllib.request
import uuid
from dataclasses import dataclass

import boto3
import pytest
from moto.server import ThreadedMotoServer

from images.pictures import stored_url
from newsroom.settings import s3_storages


@dataclass
class Bucket:
    """A bucket on the test server, with the environment that points the site at it."""

    name: str
    endpoint: str

    @property
    def env(self) -> dict[str, str]:
        return {
            "S3_BUCKET": self.name,
            "S3_ENDPOINT_URL": self.endpoint,
            "S3_ACCESS_KEY_ID": "newsroom-test",
            "S3_SECRET_ACCESS_KEY": "newsroom-test-secret",
            "S3_REGION": "ap-northeast-2",
        }

    @property
    def client(self):
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=self.env["S3_ACCESS_KEY_ID"],
            aws_secret_access_key=self.env["S3_SECRET_ACCESS_KEY"],
            region_name=self.env["S3_REGION"],
        )

    def create(self) -> "Bucket":
        """The bucket as docs/deploy.md sets it up: anyone may read media/, nothing else."""
        client = self.client
        client.create_bucket(
            Bucket=self.name,
            CreateBucketConfiguration={"LocationConstraint": self.env["S3_REGION"]},
        )
        client.put_bucket_policy(Bucket=self.name, Policy=json.dumps(public_media(self.name)))
        return self

    def objects(self, prefix: str = "") -> dict[str, bytes]:
        """Every object under ``prefix``: its key and bytes."""
        client = self.client
        found = {}
        for page in client.get_paginator("list_objects_v2").paginate(
            Bucket=self.name, Prefix=prefix
        ):
            for entry in page.get("Contents", ()):
                body = client.get_object(Bucket=self.name, Key=entry["Key"])["Body"]
                found[entry["Key"]] = body.read()
        return found

    def object_keys(self, prefix: str = "") -> set[str]:
        client = self.client
        return {
            entry["Key"]
            for page in client.get_paginator("list_objects_v2").paginate(
                Bucket=self.name, Prefix=prefix
            )
            for entry in page.get("Contents", ())
        }

    def put(self, key: str, data: bytes) -> None:
        self.client.put_object(Bucket=self.name, Key=key, Body=data)

    def copy_into(self, other: "Bucket") -> None:
        client = self.client
        for key in self.object_keys():
            client.copy_object(
                Bucket=other.name, Key=key, CopySource={"Bucket": self.name, "Key": key}
            )


def public_media(bucket: str) -> dict:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{bucket}/media/*",
            }
        ],
    }


def fetch(url: str) -> tuple[int, bytes, str]:
    """GET ``url`` over HTTP as a browser would, with no credentials: status, bytes, type."""
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - our own test server
        return response.status, response.read(), response.headers.get("Content-Type", "")


@pytest.fixture(scope="session")
def s3_server():
    """The S3-compatible server, started once for the session on a free port."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def new_bucket(endpoint: str) -> Bucket:
    return Bucket(f"newsroom-{uuid.uuid4().hex[:12]}", endpoint).create()


@pytest.fixture
def bucket(s3_server, settings):
    """A new bucket, and the site's media and backups storages in it (as S3_BUCKET … set)."""
    bucket = new_bucket(s3_server)
    in_bucket, settings.MEDIA_URL = s3_storages(bucket.env)
    settings.STORAGES = {**settings.STORAGES, **in_bucket}
    stored_url.cache_clear()
    yield bucket
    stored_url.cache_clear()
