"""The side-by-side benchmark's pieces (bench/compare, bench/run.py's warm-up)."""

import secrets

import pytest

from bench.harness import Gunicorn, get
from bench.run import WARM_HIT_SHARE, part_passes


@pytest.mark.parametrize(("workers", "passes"), [(1, 1), (2, 8), (3, 14), (4, 19)])
def test_parts_are_warmed_until_each_worker_most_likely_holds_nearly_every_page(workers, passes):
    assert part_passes(workers) == passes
    # a page a pass reaches a given worker with a chance of 1/workers
    assert (1 - 1 / workers) ** passes <= 1 - WARM_HIT_SHARE
    if workers > 1:
        assert (1 - 1 / workers) ** (passes - 1) > 1 - WARM_HIT_SHARE


def test_the_bare_django_view_serves_the_same_bytes_at_every_address(tmp_path):
    page = "<!DOCTYPE html><html lang=ko><title>기사</title><p>본문</p></html>".encode()
    (tmp_path / "article.html").write_bytes(page)
    env = {
        "SECRET_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "127.0.0.1",
        "BARE_PAGE": str(tmp_path / "article.html"),
        "PATH": "/usr/bin:/bin",
    }
    server = Gunicorn(
        env,
        log_path=tmp_path / "gunicorn.log",
        workers=1,
        app="bench.compare.bare:application",
        ready_path="/",
    )
    server.start()
    try:
        for path in ("/articles/12/robot/", "/", "/a/b/c/?q=1"):
            status, headers, body = get(server.url, path)
            assert (status, body) == (200, page)
            assert headers["Content-Type"] == "text/html; charset=utf-8"
    finally:
        server.stop()
