"""bench/render_cpu.py: the in-process CPU measurement the side-by-side benchmark reports."""

import json
import secrets
import subprocess
import sys
import time

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.template import library, loader_tags

from bench import render_cpu
from bench.harness import ROOT
from tests.factories import ArticleFactory, CommentFactory


@pytest.fixture(autouse=True)
def connections_kept_open():
    """As Django's test client does: a request must not close the test's transaction's
    connection (on PostgreSQL, the request after would find it closed)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


def run_in_process(capsys, *args) -> dict:
    render_cpu.main([str(arg) for arg in args])
    return json.loads(capsys.readouterr().out)


@pytest.mark.django_db
def test_it_counts_an_article_pages_queries_and_where_its_cpu_goes(tmp_path, capsys, settings):
    settings.PAGE_CACHE_SECONDS = settings.FRAGMENT_CACHE_SECONDS = 0
    articles = ArticleFactory.create_batch(2)
    CommentFactory(article=articles[0], body="좋은 기사입니다.")
    paths = tmp_path / "paths.json"
    paths.write_text(json.dumps([article.get_absolute_url() for article in articles]))
    renders = (loader_tags.IncludeNode.render, library.InclusionNode.render)

    figures = run_in_process(capsys, paths, "--requests", 4, "--rounds", 2, "--parts")

    assert figures["requests"] == 8
    assert len(figures["rounds"]) == 2 and figures["cpu_ms"] > 0
    assert figures["queries"] >= 3  # the article, its comments, the versions at least
    assert figures["kb"] > 10
    assert any("comment" in part for part in figures["parts_ms"])  # the comment box
    # The timing is taken off Django's template nodes again.
    assert (loader_tags.IncludeNode.render, library.InclusionNode.render) == renders


@pytest.mark.django_db
def test_a_page_that_does_not_answer_200_stops_the_measurement(tmp_path, capsys):
    paths = tmp_path / "paths.json"
    paths.write_text(json.dumps(["/articles/999999/missing/"]))
    with pytest.raises(SystemExit, match="answered 404"):
        render_cpu.main([str(paths), "--requests", "1", "--rounds", "1"])


def test_it_measures_another_wsgi_app_in_its_own_interpreter(tmp_path):
    page = "<!DOCTYPE html><html lang=ko><title>기사</title></html>".encode() * 100
    (tmp_path / "article.html").write_bytes(page)
    (tmp_path / "paths.json").write_text(json.dumps(["/articles/1/a/", "/"]))
    env = {
        "SECRET_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "127.0.0.1",
        "BARE_PAGE": str(tmp_path / "article.html"),
        "PATH": "/usr/bin:/bin",
    }
    args = ["--app", "bench.compare.bare:application", "--requests", "50", "--rounds", "3"]
    out = subprocess.run(
        [sys.executable, "-m", "bench.render_cpu", str(tmp_path / "paths.json"), *args],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    figures = json.loads(out)
    assert figures["requests"] == 150 and figures["queries"] == 0
    assert figures["kb"] == round(len(page) / 1024, 1)
    assert "parts_ms" not in figures


@pytest.mark.parametrize(
    ("filename", "layer"),
    [
        ("/v/site-packages/django/db/models/query.py", "database: Django's ORM"),
        ("/v/site-packages/django/template/base.py", "Django's templates"),
        ("/v/site-packages/jinja2/runtime.py", "Jinja2"),
        ("/v/site-packages/django/utils/html.py", "Django's utilities"),
        ("/v/site-packages/django/core/handlers/base.py", "Django's request cycle"),
        ("/v/site-packages/taggit/managers.py", "other libraries"),
        ("/site/comments/threads.py", "the site's own code"),
        ("/site/templates/jinja2/comments/comment_thread.html", "the site's own code"),
        ("~", render_cpu.NEUTRAL),
        ("/usr/lib/python3.12/copy.py", render_cpu.NEUTRAL),
    ],
)
def test_each_file_belongs_to_a_layer(filename, layer):
    assert render_cpu.layer_of(filename, "/site/").startswith(layer)


def profiled_from(filename: str, source: str):
    """A function defined as if in ``filename``: the profile names its file so."""
    namespace = {}
    exec(compile(source, filename, "exec"), namespace)  # noqa: S102  # nosec B102
    return namespace["work"]


def test_a_layer_is_charged_for_the_built_ins_it_calls():
    orm = profiled_from(
        "/v/site-packages/django/db/models/fake.py",
        "def work():\n    for _ in range(200):\n        sorted(range(2000), reverse=True)\n",
    )
    ours = profiled_from("/site/comments/fake.py", "def work():\n    return sum(range(10))\n")
    # Timed by the process's CPU: by the wall clock, a moment the busy machine took the
    # core away inside ours() was charged to it (the ORM's share fell to 87 % once in CI).
    profile = render_cpu.cProfile.Profile(time.process_time)
    with profile:
        for _ in range(5):
            orm()
            ours()

    shares = render_cpu.layer_shares(profile, "/site/")

    # sorted() ran for the ORM: its time is the ORM's, not Python's.
    assert shares["database: Django's ORM"] > 90
    assert shares.get(render_cpu.NEUTRAL, 0) < 5
    assert 99 <= sum(shares.values()) <= 101


@pytest.mark.django_db
def test_it_says_which_layers_spend_an_article_pages_cpu(tmp_path, capsys, settings):
    settings.PAGE_CACHE_SECONDS = settings.FRAGMENT_CACHE_SECONDS = 0
    article = ArticleFactory()
    CommentFactory(article=article)
    paths = tmp_path / "paths.json"
    paths.write_text(json.dumps([article.get_absolute_url()]))

    figures = run_in_process(capsys, paths, "--requests", 3, "--rounds", 1, "--layers")

    layers = figures["layers_percent"]
    assert layers["database: Django's ORM"] > 5
    assert layers["Django's templates"] > 5
    assert 99 <= sum(layers.values()) <= 101
