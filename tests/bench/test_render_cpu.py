"""bench/render_cpu.py: the in-process CPU measurement the side-by-side benchmark reports."""

import json
import secrets
import subprocess
import sys

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
