import os
import subprocess
import sys

import pytest
from django.template.loader import render_to_string

from newsroom.models import SiteSettings


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


def test_500_page_renders_without_a_request_or_database():
    html = render_to_string("500.html")

    assert "문제가 생겼습니다" in html
