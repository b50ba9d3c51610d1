"""The shared cache for several app servers: Redis (caching.backends), chosen by REDIS_URL."""

import os
import shutil
import socket
import subprocess
import sys
import time

import pytest
from django.core.cache import caches
from django.test import Client

from tests.factories import ArticleFactory

REDIS = shutil.which("redis-server")


def test_redis_url_selects_the_redis_backend():
    script = "import django; django.setup(); from django.conf import settings as s; print(s.CACHES)"
    result = subprocess.run(
        [sys.executable, "-c", script],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "newsroom.settings",
             "REDIS_URL": "redis://127.0.0.1:6379/2"},
        capture_output=True, text=True, check=True,
    )  # fmt: skip

    assert "caching.backends.RedisCache" in result.stdout
    assert "redis://127.0.0.1:6379/2" in result.stdout


def test_cache_url_is_read_too_and_other_schemes_are_refused():
    def settings_with(url):
        script = (
            "import django; django.setup(); from django.conf import settings as s; print(s.CACHES)"
        )
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "newsroom.settings", "CACHE_URL": url}
        env.pop("REDIS_URL", None)
        return subprocess.run(
            [sys.executable, "-c", script], env=env, capture_output=True, text=True
        )

    shared = settings_with("redis://cache.internal:6379/1")
    refused = settings_with("memcached://cache.internal:11211")

    assert (
        "caching.backends.RedisCache" in shared.stdout and "cache.internal:6379/1" in shared.stdout
    )
    assert refused.returncode != 0 and "must be a redis://" in refused.stderr


def test_without_redis_the_controls_live_in_the_database_every_worker_shares():
    script = "import django; django.setup(); from django.conf import settings as s; print(s.CACHES)"
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "CACHE_URL")}
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=env | {"DJANGO_SETTINGS_MODULE": "newsroom.settings"},
        capture_output=True, text=True, check=True,
    )  # fmt: skip

    assert "'shared': {'BACKEND': 'caching.backends.DatabaseStore'}" in result.stdout
    assert "caching.backends.LocalMemory" in result.stdout  # pages stay in each worker's memory


@pytest.fixture
def redis_cache(settings, tmp_path):
    if not REDIS:
        pytest.skip("redis-server is not installed (apt-get install redis-server; .ci/run does)")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [REDIS, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )
    local_memory = settings.CACHES
    try:
        for _ in range(50):
            with socket.socket() as attempt:
                if attempt.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        redis = {
            "BACKEND": "caching.backends.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
        }
        settings.CACHES = {"default": redis, "shared": redis}
        yield caches["default"]
    finally:
        settings.CACHES = local_memory  # before the server goes: other fixtures clear the cache
        server.terminate()
        server.wait()


@pytest.mark.django_db
def test_pages_are_shared_through_redis_and_invalidated(
    redis_cache, settings, django_assert_num_queries
):
    settings.PAGE_CACHE_SECONDS = 60
    article = ArticleFactory(title="레디스에 담긴 기사")
    Client().get(article.get_absolute_url())

    with django_assert_num_queries(0):  # another app server's reader: pages and versions in Redis
        page = Client().get(article.get_absolute_url())
    article.title = "고친 제목"
    article.save()

    assert "레디스에 담긴 기사" in page.content.decode()
    assert "고친 제목" in Client().get(article.get_absolute_url()).content.decode()


def test_one_redis_client_serves_every_call(redis_cache):
    """Django's own backend builds a client per call, which costs more than a page hit."""
    redis_cache.set("a", 1)
    redis_cache.get_many(["a", "b"])

    assert redis_cache._cache.get_client("a") is redis_cache._cache.get_client("b", write=True)
    assert redis_cache.get("a") == 1
