"""The desk's front page: each person sees what waits for them, and only that."""

import html
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.models import DailyViews
from comments.models import Comment, CommentReport
from tests.factories import (
    AdSlotFactory,
    AdStatFactory,
    ArticleFactory,
    CommentFactory,
    CommentReportFactory,
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


# Reading the panels as the desk shows them (templates/admin/dashboard/panel.html).

PANEL = re.compile(r'<section class="module desk-panel".*?</section>', re.S)
ROW = re.compile(
    r'<li>\s*<a href="(?P<url>[^"]*)">(?P<label>.*?)</a>\s*'
    r'(?:<span class="desk-detail">(?P<detail>.*?)</span>)?\s*'
    r'(?:<span class="desk-note">(?P<note>.*?)</span>)?\s*</li>',
    re.S,
)
FIGURE = re.compile(r'<figure class="desk-chart">.*?</figure>', re.S)
TABLE_ROW = re.compile(r"<tr><td>(\d{4}-\d\d-\d\d)</td><td>([\d,]+)</td></tr>")


def text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def panel(page: str, title: str) -> str:
    """The panel whose heading is ``title`` (its count badge aside)."""
    found = [
        section
        for section in PANEL.findall(page)
        if re.sub(r"\s*\d+$", "", text(re.search(r"<h2.*?</h2>", section, re.S)[0])) == title
    ]
    assert len(found) == 1, (
        f"no single panel {title!r} in {[text(p)[:40] for p in PANEL.findall(page)]}"
    )
    return found[0]


def rows(section: str) -> list[tuple[str, str, str]]:
    """Each row of a panel: (link, label, detail)."""
    return [
        (html.unescape(m["url"]), text(m["label"]), text(m["detail"] or ""))
        for m in ROW.finditer(section)
    ]


def count_badge(section: str) -> int | None:
    badge = re.search(r'<span class="desk-count">(\d+)</span>', section)
    return int(badge[1]) if badge else None


def more_link(section: str) -> str:
    return html.unescape(
        re.search(r'<p class="desk-more"><a href="([^"]+)">모두 보기</a>', section)[1]
    )


def chart(section: str, title: str) -> tuple[str, list[tuple[str, int]]]:
    """A chart's caption (title and total) and its 날짜별 수치 table as (day, number)."""
    for figure in FIGURE.findall(section):
        caption = text(re.search(r"<figcaption>.*?</figcaption>", figure, re.S)[0])
        if caption.startswith(title):
            assert "<summary>날짜별 수치</summary>" in figure
            return caption, [
                (day, int(number.replace(",", ""))) for day, number in TABLE_ROW.findall(figure)
            ]
    raise AssertionError(f"no chart {title!r}")


def kst(moment: datetime) -> str:
    """Korea time has no daylight saving: UTC+9, to the minute."""
    return (moment.astimezone(UTC) + timedelta(hours=9)).strftime("%Y-%m-%d %H:%M")


def change_url(article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def fourteen_days() -> list[str]:
    today = timezone.localdate()
    return [(today - timedelta(days=back)).isoformat() for back in range(13, -1, -1)]


# 최근 출고


def test_recently_published_lists_the_newest_first_in_korea_time(client, editor):
    now = timezone.now().replace(second=0, microsecond=0)
    # 18:45 UTC is 03:45 the next morning in Seoul: the desk reads the Korean date.
    last_month = ArticleFactory(
        title="지난달 기사", published_at=datetime(2026, 11, 20, 18, 45, tzinfo=UTC)
    )
    an_hour_ago = ArticleFactory(title="한 시간 전 기사", published_at=now - timedelta(hours=1))
    yesterday = ArticleFactory(title="어제 기사", published_at=now - timedelta(days=1))
    ArticleFactory(title="내일 나갈 기사", published_at=now + timedelta(days=1))
    ArticleFactory(title="아직 초안", status="draft", published_at=None)
    ArticleFactory(title="검토 중인 기사", status="review", published_at=None)
    ArticleFactory(title="내린 기사", status="withdrawn", published_at=now - timedelta(hours=2))

    recent = panel(front_page(client, editor), "최근 출고")

    assert rows(recent) == [
        (change_url(an_hour_ago), "한 시간 전 기사", kst(an_hour_ago.published_at)),
        (change_url(yesterday), "어제 기사", kst(yesterday.published_at)),
        (change_url(last_month), "지난달 기사", "2026-11-21 03:45"),
    ]


def test_recently_published_shows_the_six_newest_and_leads_to_all_published_stories(client, editor):
    now = timezone.now()
    stories = [
        ArticleFactory(title=f"출고 기사 {n}", published_at=now - timedelta(hours=n))
        for n in range(1, 8)
    ]
    ArticleFactory(title="아직 초안", status="draft", published_at=None)

    recent = panel(front_page(client, editor), "최근 출고")

    assert [label for _url, label, _detail in rows(recent)] == [
        f"출고 기사 {n}" for n in range(1, 7)
    ]  # the oldest of seven waits in the full list
    listing = client.get(more_link(recent)).content.decode()
    assert more_link(recent) == reverse("admin:articles_article_changelist") + (
        "?status__exact=published"
    )
    for story in stories:
        assert f'href="{change_url(story)}' in listing  # (with the list's filter kept)
    assert "아직 초안" not in listing


def test_each_recently_published_story_opens_its_own_form(client, editor):
    story = ArticleFactory(title="열어 볼 기사")

    url, label, _detail = rows(panel(front_page(client, editor), "최근 출고"))[0]
    form = client.get(url)

    assert label == "열어 볼 기사"
    assert form.status_code == 200
    assert form.context["original"] == story
    assert 'value="열어 볼 기사"' in form.content.decode()


# 오늘 많이 본 기사


def test_most_read_today_ranks_todays_reads_with_their_counts(client, editor):
    today = timezone.localdate()
    first = ArticleFactory(title="가장 많이 본 기사")
    DailyViews.objects.create(article=first, date=today, views=1234)
    second = ArticleFactory(title="두 번째 기사")
    DailyViews.objects.create(article=second, date=today, views=56)
    DailyViews.objects.create(article=second, date=today - timedelta(days=1), views=5000)
    read_yesterday = ArticleFactory(title="어제만 읽힌 기사")
    DailyViews.objects.create(article=read_yesterday, date=today - timedelta(days=1), views=9999)
    withdrawn = ArticleFactory(title="내린 기사", status="withdrawn")
    DailyViews.objects.create(article=withdrawn, date=today, views=7777)

    most_read = panel(front_page(client, editor), "오늘 많이 본 기사")

    assert rows(most_read) == [
        (change_url(first), "가장 많이 본 기사", "조회 1,234"),
        (change_url(second), "두 번째 기사", "조회 56"),  # yesterday's 5,000 are not today's
    ]
    assert client.get(rows(most_read)[0][0]).context["original"] == first


def test_most_read_today_says_so_when_nothing_has_been_read_today(client, editor):
    story = ArticleFactory(title="어제만 읽힌 기사")
    DailyViews.objects.create(
        article=story, date=timezone.localdate() - timedelta(days=1), views=300
    )

    most_read = panel(front_page(client, editor), "오늘 많이 본 기사")

    assert rows(most_read) == []
    assert "오늘은 아직 읽힌 기사가 없습니다." in text(most_read)


def test_the_daily_views_chart_adds_up_the_last_fourteen_days(client, editor):
    today = timezone.localdate()
    one, two = ArticleFactory(), ArticleFactory()
    DailyViews.objects.create(article=one, date=today, views=1200)
    DailyViews.objects.create(article=two, date=today, views=34)
    DailyViews.objects.create(article=one, date=today - timedelta(days=2), views=5000)
    DailyViews.objects.create(article=two, date=today - timedelta(days=13), views=7)
    DailyViews.objects.create(article=one, date=today - timedelta(days=14), views=90000)  # too old

    caption, table = chart(panel(front_page(client, editor), "오늘 많이 본 기사"), "일별 조회수")

    assert caption == "일별 조회수 합계 6,241"
    expected = dict.fromkeys(fourteen_days(), 0) | {
        today.isoformat(): 1234,
        (today - timedelta(days=2)).isoformat(): 5000,
        (today - timedelta(days=13)).isoformat(): 7,
    }
    assert table == list(expected.items())  # oldest first, every day, today last
    assert sum(number for _day, number in table) == 6241


# 신고된 댓글


@pytest.mark.parametrize("role", ["editor", "moderator"])
def test_reported_comments_are_counted_and_ranked_by_their_open_reports(client, request, role):
    most = CommentFactory(body="신고가 가장 많은 댓글")
    for _ in range(3):
        CommentReportFactory(comment=most)
    CommentReportFactory(comment=most, resolved=True)  # dealt with: not counted
    once = CommentFactory(body="한 번 신고된 댓글")
    CommentReportFactory(comment=once)
    CommentReportFactory(comment=CommentFactory(body="처리가 끝난 댓글"), resolved=True)
    CommentReportFactory(comment=CommentFactory(body="지워진 댓글", status=Comment.Status.DELETED))
    CommentFactory(body="신고 없는 댓글")

    reported = panel(front_page(client, request.getfixturevalue(role)), "신고된 댓글")

    assert count_badge(reported) == 2
    assert rows(reported) == [
        (
            reverse("admin:comments_comment_change", args=[most.pk]),
            "신고가 가장 많은 댓글",
            "신고 3건",
        ),
        (reverse("admin:comments_comment_change", args=[once.pk]), "한 번 신고된 댓글", "신고 1건"),
    ]
    assert kst(most.created_at) in text(reported)  # when it was written, Korea time


def test_the_reported_comments_panel_leads_to_the_report_queue(client, moderator):
    comment = CommentFactory(body="큐로 이어지는 댓글")
    CommentReportFactory(comment=comment)
    CommentFactory(body="아무도 신고하지 않은 댓글")

    reported = panel(front_page(client, moderator), "신고된 댓글")
    queue_url = more_link(reported)
    queue = client.get(queue_url).content.decode()
    opened = client.get(rows(reported)[0][0])

    assert queue_url == reverse("admin:comments_comment_changelist") + "?reported=yes"
    assert "큐로 이어지는 댓글" in queue and "아무도 신고하지 않은 댓글" not in queue
    assert opened.status_code == 200 and opened.context["original"] == comment
    assert "큐로 이어지는 댓글" in opened.content.decode()


def test_a_long_reported_comment_is_cut_short_in_the_panel(client, moderator):
    body = "가" * 100
    CommentReportFactory(comment=CommentFactory(body=body))

    ((_url, label, _detail),) = rows(panel(front_page(client, moderator), "신고된 댓글"))

    assert label == "가" * 59 + "…"


def test_an_empty_report_queue_says_so(client, moderator):
    CommentFactory(body="평범한 댓글")

    reported = panel(front_page(client, moderator), "신고된 댓글")

    assert count_badge(reported) == 0 and rows(reported) == []
    assert "처리를 기다리는 신고 댓글이 없습니다." in text(reported)


def test_the_daily_comments_chart_counts_comments_by_korean_day(client, moderator):
    today = timezone.localdate()
    now = timezone.localtime()
    just_after_midnight = now.replace(hour=0, minute=30, second=0, microsecond=0)
    written = {
        "오늘 댓글 1": just_after_midnight + timedelta(hours=1),
        "오늘 댓글 2": just_after_midnight + timedelta(hours=2),
        # 00:30 in Seoul is 15:30 UTC the day before: it counts for the Korean day.
        "자정 넘어 쓴 댓글": just_after_midnight,
        "사흘 전 댓글": now - timedelta(days=3),
        "보름 전 댓글": now - timedelta(days=15),
    }
    for body, at in written.items():
        Comment.objects.filter(pk=CommentFactory(body=body).pk).update(created_at=at)

    caption, table = chart(panel(front_page(client, moderator), "신고된 댓글"), "일별 댓글 수")

    assert caption == "일별 댓글 수 합계 4"
    expected = dict.fromkeys(fourteen_days(), 0) | {
        today.isoformat(): 3,
        (today - timedelta(days=3)).isoformat(): 1,
    }
    assert table == list(expected.items())


# 어제 (ad staff)


def test_ad_staff_see_yesterdays_impressions_and_clicks_of_all_placements(client, ad_staff):
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)
    spring, summer = PlacementFactory(name="봄 배너"), PlacementFactory(name="여름 배너")
    AdStatFactory(placement=spring, date=yesterday, impressions=1200, clicks=30)
    AdStatFactory(placement=summer, date=yesterday, impressions=34567, clicks=45)
    AdStatFactory(placement=spring, date=today, impressions=999, clicks=9)  # today: not yet
    AdStatFactory(placement=summer, date=today - timedelta(days=2), impressions=500, clicks=5)

    figures = panel(front_page(client, ad_staff), "어제")
    placements = reverse("admin:ads_placement_changelist")

    assert rows(figures) == [(placements, "노출", "35,767"), (placements, "클릭", "75")]
    listing = client.get(placements).content.decode()
    assert "봄 배너" in listing and "여름 배너" in listing


def test_ad_staff_see_zero_when_nothing_ran_yesterday(client, ad_staff):
    AdStatFactory(date=timezone.localdate(), impressions=999, clicks=9)

    figures = panel(front_page(client, ad_staff), "어제")

    assert [(label, detail) for _url, label, detail in rows(figures)] == [
        ("노출", "0"),
        ("클릭", "0"),
    ]


def test_the_ad_charts_add_up_impressions_and_clicks_per_day(client, ad_staff):
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)
    spring, summer = PlacementFactory(), PlacementFactory()
    AdStatFactory(placement=spring, date=yesterday, impressions=1200, clicks=30)
    AdStatFactory(placement=summer, date=yesterday, impressions=34567, clicks=45)
    AdStatFactory(placement=spring, date=today, impressions=999, clicks=9)
    AdStatFactory(placement=summer, date=today - timedelta(days=20), impressions=500, clicks=5)

    figures = panel(front_page(client, ad_staff), "어제")
    impressions_caption, impressions = chart(figures, "일별 노출수")
    clicks_caption, clicks = chart(figures, "일별 클릭수")

    assert impressions_caption == "일별 노출수 합계 36,766"
    assert clicks_caption == "일별 클릭수 합계 84"
    days = dict.fromkeys(fourteen_days(), 0)
    assert impressions == list(
        (days | {yesterday.isoformat(): 35767, today.isoformat(): 999}).items()
    )
    assert clicks == list((days | {yesterday.isoformat(): 75, today.isoformat(): 9}).items())
