"""Public pages are valid HTML by the W3C's Nu checker (npm vnu-jar, run with Java)."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import ArticleFactory, CommentFactory, PhotoFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db]

VNU = (
    Path(__file__).resolve().parents[2] / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
)


def newsletter_pages() -> dict:
    from newsletters import links
    from tests.factories import SubscriberFactory

    subscriber = SubscriberFactory(email="valid@example.com")
    return {
        "newsletter sign-up": reverse("newsletters:subscribe"),
        "newsletter sent": reverse("newsletters:check_email"),
        **{
            f"newsletter {purpose}": reverse(
                f"newsletters:{purpose}", args=[links.make_token(purpose, subscriber)]
            )
            for purpose in (links.CONFIRM, links.MANAGE, links.UNSUBSCRIBE)
        },
    }


def test_public_pages_are_valid_html(tmp_path):
    if not VNU.exists() or not shutil.which("java"):
        pytest.skip("the Nu checker needs `npm ci` and Java (.ci/run has both)")
    article = ArticleFactory(lead_photo=PhotoFactory(), tags=["로봇"])
    comment = CommentFactory(article=article, body="검사할 댓글\n두 줄 https://example.com")
    pages = {
        "home": reverse("articles:home"),
        "article": article.get_absolute_url(),
        "section": article.section.get_absolute_url(),
        "tag": reverse("articles:tag", args=["로봇"]),
        "reporter": article.reporter.get_absolute_url(),
        "search": reverse("articles:search") + "?q=스마트",
        "reply": reverse("comments:reply", args=[comment.pk]),
        "email": reverse("articles:email", args=[article.pk]),
        "login": reverse("accounts:login"),
        "signup": reverse("accounts:signup"),
        **newsletter_pages(),
    }
    client = Client()
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        (tmp_path / f"{name}.html").write_bytes(response.content)

    result = subprocess.run(
        [shutil.which("java"), "-jar", str(VNU), "--errors-only", "--format", "json", "--stdout",
         *sorted(str(path) for path in tmp_path.glob("*.html"))],
        capture_output=True, text=True, check=False,
    )  # fmt: skip

    errors = [
        f"{Path(m['url']).stem}:{m.get('lastLine')}: {m['message']}"
        for m in json.loads(result.stdout)["messages"]
    ]
    assert errors == []
