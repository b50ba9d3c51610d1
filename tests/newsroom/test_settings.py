import os
import subprocess
import sys

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from comments.models import CommentRules
from outlet.models import SiteSettings


def run_settings(**env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "newsroom.settings", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_secret_key_is_required_when_debug_is_off():
    result = run_settings(DEBUG="0", SECRET_KEY="")

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_settings_load_with_a_secret_key():
    result = run_settings(DEBUG="0", SECRET_KEY="x" * 50, ALLOWED_HOSTS="news.example.com")

    assert result.returncode == 0, result.stderr


def test_defaults_are_korean_and_seoul(settings):
    assert settings.LANGUAGE_CODE == "ko"
    assert settings.TIME_ZONE == "Asia/Seoul"


@pytest.mark.django_db
def test_site_settings_are_a_single_row():
    first = SiteSettings.current()
    SiteSettings(name="다른 이름").save()

    assert SiteSettings.objects.count() == 1
    assert first.pk == 1 and SiteSettings.current().name == "다른 이름"


@pytest.mark.django_db
def test_comment_rules_are_a_single_row_too():
    first = CommentRules.current()
    CommentRules(comment_interval_seconds=60).save()

    assert CommentRules.objects.count() == 1
    assert first.pk == 1 and CommentRules.current().comment_interval_seconds == 60


def test_500_page_renders_without_a_request_or_database():
    html = render_to_string("500.html")

    assert "문제가 생겼습니다" in html


def test_deploy_checks_pass_under_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env={
            # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE is no production setting.
            **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
            "DEBUG": "0",
            "SECRET_KEY": "a-real-secret-key-" + "x" * 50,
            "ALLOWED_HOSTS": "news.example.com",
        },
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_https_settings_switch_on_from_the_environment():
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, "
        "s.SECURE_PROXY_SSL_HEADER)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
            "DEBUG": "1",
            "HTTPS": "1",
            "SECURE_PROXY_SSL_HEADER": "1",
        },
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.stdout.split() == [
        "True",
        "True",
        "31536000",
        "('HTTP_X_FORWARDED_PROTO',",
        "'https')",
    ]


@pytest.mark.django_db
def test_every_response_has_the_security_headers(client):
    response = client.get("/")

    csp = response["Content-Security-Policy"]
    assert "object-src 'none'" in csp and "base-uri 'none'" in csp
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"


def framing(response) -> tuple[str, str]:
    """The page's two answers to "who may frame me": X-Frame-Options and frame-ancestors."""
    policy = dict(d.strip().split(None, 1) for d in response["Content-Security-Policy"].split(";"))
    return response["X-Frame-Options"], policy["frame-ancestors"]


@pytest.mark.django_db
def test_the_framing_headers_agree_nobody_frames_a_page_and_only_the_site_its_ad_frame(
    client, editor
):
    from ads.models import AdSlot, Placement
    from tests.factories import ArticleFactory, PlacementFactory

    article = ArticleFactory()
    network_ad = PlacementFactory(
        slot=AdSlot.objects.get(key="sub-right"),
        kind=Placement.Kind.NETWORK,
        image="",
        network_code="<p>광고</p>",
    )
    client.force_login(editor)

    answers = {
        "article page": framing(client.get(article.get_absolute_url())),
        "missing page": framing(client.get("/no-such-page/")),
        "admin page": framing(client.get(reverse("admin:articles_article_changelist"))),
        "ad frame": framing(client.get(reverse("ads:frame", args=[network_ad.pk]))),
    }

    assert answers == {
        "article page": ("DENY", "'none'"),
        "missing page": ("DENY", "'none'"),
        "admin page": ("DENY", "'none'"),
        "ad frame": ("SAMEORIGIN", "'self'"),
    }
