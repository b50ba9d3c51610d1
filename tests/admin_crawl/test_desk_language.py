"""Every admin page each staff role reaches by following links, read in Korean and in English:
no English on a Korean page, no Korean on an English one (what the database holds excepted),
and no value shown as stored (UTC offsets, status codes, True/False, markup)."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from accounts.models import User
from articles.models import Article
from comments.models import CommentBan, CommentReport, CommentRules
from frontpage.models import BreakingNews, Pin
from mailqueue.tasks import send_mail_later
from outlet.models import SiteSettings
from tests.admin_crawl.crawler import Content, crawl, foreign_words, raw_values, shown_text
from tests.factories import (
    AdStatFactory,
    ArticleFactory,
    CommentFactory,
    PhotoFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ROLES = ["superuser", "editor", "reporter_user", "moderator", "ad_staff"]


@pytest.fixture
def superuser(db):
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def desk_world(settings, reporter_user, other_reader):
    """One of everything the desk shows, so each list has a row whose pages can be opened."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    SiteSettings.current()
    CommentRules.current()
    own = ArticleFactory(
        reporter=reporter_user.reporter,
        lead_photo=PhotoFactory(),
        tags=["로봇", "스마트공장"],
        published_at=timezone.now() - timedelta(days=1),
    )
    own.title = "스마트공장 보급 확대, 중소기업 300곳 선정"
    own.save()
    ArticleFactory(
        reporter=reporter_user.reporter, status=Article.Status.DRAFT, published_at=None
    ).tags.add("초안")
    ArticleFactory(published_at=timezone.now() + timedelta(days=1)).related.add(own)
    comment = CommentFactory(article=own, user=other_reader)
    CommentFactory(article=own, parent=comment, guest_name="지나가던 독자", user=None)
    CommentReport.objects.create(
        comment=comment, user=other_reader, reason=CommentReport.Reason.SPAM
    )
    CommentBan.objects.create(user=UserFactory(username="troll"), reason="abuse", note="욕설 반복")
    AdStatFactory(impressions=1200, clicks=30)
    # 메인 편집: a pinned story with an end, and a breaking-news banner.
    Pin.objects.create(article=own, position=0, ends_at=timezone.now() + timedelta(hours=1))
    BreakingNews.objects.create(article=own, ends_at=timezone.now() + timedelta(hours=1))
    send_mail_later(
        subject="비밀번호 재설정", body="링크를 눌러 주세요.", to=["reader@example.com"]
    )


@pytest.mark.parametrize("role", ROLES)
def test_every_admin_page_speaks_the_staff_members_language(client, request, desk_world, role):
    client.force_login(request.getfixturevalue(role))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    pages = list(crawl(client))
    content = Content.of_database()
    usernames = set(User.objects.values_list("username", flat=True))

    problems = []
    for language in ("ko", "en"):
        if language == "en":
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
            pages = [page.again(client) for page in pages]
        for page in pages:
            for piece in shown_text(page.html, language):
                if wrong := foreign_words(piece, language, content, usernames):
                    problems.append(f"[{language}] {page.url}: {piece!r} ({' '.join(wrong)})")
                if raw := raw_values(piece, content):
                    problems.append(f"[{language}] {page.url}: {piece!r} shows {raw}")

    assert len(pages) >= 10, [page.url for page in pages]
    assert problems == []


def test_the_crawl_opens_every_kind_of_page_the_role_has(client, desk_world, editor):
    client.force_login(editor)
    urls = [page.url for page in crawl(client)]

    visited = " ".join(urls)
    assert "/admin/articles/article/add/" in visited
    assert re.search(r"/admin/articles/article/\d+/change/", visited)
    assert re.search(r"/admin/articles/article/\d+/delete/", visited)
    assert re.search(r"/admin/articles/article/\d+/history/\d+/", visited)  # a revision
    assert "/admin/articles/article/?status__exact=" in visited  # a filter
    assert len(urls) == len(set(urls))
