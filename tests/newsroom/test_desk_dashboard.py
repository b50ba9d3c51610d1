"""The desk's front page: each person sees what waits for them, and only that."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles import services
from comments.models import CommentReport
from tests.factories import (
    AdSlotFactory,
    ArticleFactory,
    CommentFactory,
    PlacementFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def front_page(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return response.content.decode()


def test_editors_see_what_waits_for_review_and_what_is_scheduled(client, editor):
    ArticleFactory(title="검토를 기다리는 기사", status="review", published_at=None)
    at = timezone.now() + timedelta(days=1)
    ArticleFactory(title="내일 나갈 기사", published_at=at)

    page = front_page(client, editor)

    assert "검토 대기" in page and "검토를 기다리는 기사" in page
    assert "내일 나갈 기사" in page
    assert timezone.localtime(at).strftime("%Y-%m-%d %H:%M") in page  # KST, to the minute
    assert "?status__exact=review" in page


def test_a_reporter_sees_their_own_drafts_and_published_stories_only(
    client, reporter_user, other_reporter_user
):
    ArticleFactory(title="내 초안", status="draft", reporter=reporter_user.reporter)
    ArticleFactory(title="남의 초안", status="draft", reporter=other_reporter_user.reporter)
    ArticleFactory(title="내 출고 기사", reporter=reporter_user.reporter, view_count=1234)

    page = front_page(client, reporter_user)

    assert "내 초안" in page and "남의 초안" not in page
    assert "내 출고 기사" in page and "조회 1,234" in page
    assert "검토 대기" not in page  # editors' panel


def test_a_reporter_sees_their_returned_stories_with_the_desks_note(client, editor, reporter_user):
    article = ArticleFactory(title="돌아온 기사", status="draft", reporter=reporter_user.reporter)
    services.submit_for_review(article=article, by=reporter_user, site_url="http://testserver/")
    services.return_to_reporter(
        article=article, by=editor, note="수치를 다시 확인해 주세요.", site_url="http://testserver/"
    )

    page = front_page(client, reporter_user)

    assert "반려된 내 기사" in page and "돌아온 기사" in page
    assert "수치를 다시 확인해 주세요." in page


def test_moderators_see_the_report_queue_and_nothing_of_the_articles(client, moderator):
    comment = CommentFactory(body="신고가 쌓인 댓글")
    for reader in (UserFactory(), UserFactory()):
        CommentReport.objects.create(comment=comment, user=reader, reason="abuse")

    page = front_page(client, moderator)

    assert "신고된 댓글" in page and "신고가 쌓인 댓글" in page and "신고 2건" in page
    assert "최근 출고" not in page and "노출 중인 광고" not in page


def test_ad_staff_see_live_placements_and_those_ending_this_week(client, ad_staff):
    slot = AdSlotFactory()
    PlacementFactory(slot=slot, name="곧 끝나는 배너", ends_at=timezone.now() + timedelta(hours=1))

    page = front_page(client, ad_staff)

    assert "노출 중인 광고" in page and "곧 끝나는 배너" in page
    assert "이번 주 종료" in page and "일별 노출수" in page
    assert "검토 대기" not in page and "신고된 댓글" not in page


def test_readers_and_strangers_get_the_login_page(client, reader):
    assert client.get(reverse("admin:index"))["Location"].startswith(reverse("admin:login"))
    client.force_login(reader)
    assert client.get(reverse("admin:index"))["Location"].startswith(reverse("admin:login"))
