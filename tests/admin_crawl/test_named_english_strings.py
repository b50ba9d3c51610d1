"""English once seen on the Korean desk, named one by one: the action dropdown's blank choice
("- Select an option -"), the list filters' headings ("Filter by …", "By …"), simple_history's
"Historical …" on the revision pages, and statuses shown as stored ("review → published",
"상태: review"). An editor reading in Korean sees none of them; in English, the same places
show the English labels, not the Korean ones."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from articles import services
from tests.admin_crawl.crawler import shown_text
from tests.factories import ArticleFactory, CommentFactory, CommentReportFactory

pytestmark = pytest.mark.django_db

SITE = "http://testserver/"
# The statuses and stages as stored (Article.Status, articles.models.SCHEDULED/EMBARGOED).
RAW_STATUS = re.compile(r"\b(?:draft|review|returned|published|withdrawn|scheduled|embargoed)\b")
# A change of status written as the stored values with an arrow: "review → published".
RAW_TRANSITION = re.compile(r"\b[a-z]+\s*(?:→|->)\s*[a-z]+\b")


def read(client, url: str, language: str) -> tuple[str, str]:
    """The page's HTML and the text a person sees or hears on it, in ``language``."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    return html, " | ".join(shown_text(html, language))


def blank_action_choice(html: str) -> str:
    select = re.search(r'<select name="action"[^>]*>(.*?)</select>', html, re.S)[1]
    return re.search(r'<option value=""[^>]*>(.*?)</option>', select, re.S)[1].strip()


def filter_headings(html: str) -> list[str]:
    """The headings of the list's filters in the sidebar, in order."""
    return [
        " ".join(heading.split())
        for heading in re.findall(
            r"<details data-filter-title=[^>]*>\s*<summary>(.*?)</summary>", html, re.S
        )
    ]


@pytest.fixture
def desk(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def story(editor, reporter_user):
    """A story through the whole workflow: written, submitted, returned with a note,
    submitted again, published, then corrected (a revision in each status)."""
    article = ArticleFactory(
        title="스마트공장 보급 확대",
        status="draft",
        published_at=None,
        reporter=reporter_user.reporter,
    )
    services.submit_for_review(article=article, by=reporter_user, site_url=SITE)
    services.return_to_reporter(
        article=article, by=editor, note="수치를 확인해 주세요.", site_url=SITE
    )
    services.submit_for_review(article=article, by=reporter_user, site_url=SITE)
    services.publish(article=article, by=editor, site_url=SITE)
    article.refresh_from_db()
    article.title = "스마트공장 보급 확대, 300곳 선정"
    article.save()
    return article


def revision_urls(article) -> list[str]:
    return [
        reverse("admin:articles_article_simple_history", args=[article.pk, revision])
        for revision in article.history.values_list("history_id", flat=True)
    ]


# "- Select an option -"

ACTION_LISTS = ["admin:articles_article_changelist", "admin:comments_comment_changelist"]


@pytest.mark.parametrize("list_name", ACTION_LISTS)
def test_the_action_dropdown_offers_its_blank_choice_in_korean(desk, list_name):
    ArticleFactory(title="목록의 기사")
    CommentFactory(body="목록의 댓글")

    html, shown = read(desk, reverse(list_name), "ko")

    assert blank_action_choice(html) == "- 선택하세요 -"
    assert "Select an option" not in shown and "Select an option" not in html
    assert "액션:" in shown  # the dropdown's label too


@pytest.mark.parametrize("list_name", ACTION_LISTS)
def test_the_english_action_dropdown_offers_the_english_blank_choice(desk, list_name):
    ArticleFactory(title="목록의 기사")
    CommentFactory(body="목록의 댓글")

    html, shown = read(desk, reverse(list_name), "en")

    assert blank_action_choice(html) == "- Select an option -"
    assert "선택하세요" not in shown and "액션" not in shown
    assert "Action:" in shown


# "Filter by"


def test_the_article_lists_filters_are_headed_in_korean(desk):
    ArticleFactory(title="오늘 나간 기사")

    html, shown = read(desk, reverse("admin:articles_article_changelist"), "ko")

    date_filter = re.search(r'<span id="date-hierarchy-label">(.*?)</span>', html)[1]
    assert date_filter == "출고 시각 기준으로 보기"
    assert "상태" in filter_headings(html) and "엠바고" in filter_headings(html)
    assert not any(heading.startswith("By ") for heading in filter_headings(html))
    assert "Filter by" not in shown and "Filter" not in shown


def test_the_comment_queues_filters_are_headed_in_korean(desk):
    CommentReportFactory(comment=CommentFactory(body="신고된 댓글"))

    html, shown = read(desk, reverse("admin:comments_comment_changelist"), "ko")

    assert filter_headings(html) == ["신고", "상태", "작성"]
    assert "Filter by" not in shown and not re.search(r"\bBy [a-z]", shown)


def test_the_english_desk_heads_its_filters_in_english(desk):
    ArticleFactory(title="오늘 나간 기사")
    CommentFactory(body="댓글")

    articles, article_text = read(desk, reverse("admin:articles_article_changelist"), "en")
    comments, _comment_text = read(desk, reverse("admin:comments_comment_changelist"), "en")

    date_filter = re.search(r'<span id="date-hierarchy-label">(.*?)</span>', articles)[1]
    assert date_filter == "Filter by publication time"
    assert "By status" in filter_headings(articles)
    assert filter_headings(comments) == ["By reports", "By status", "By written"]
    assert "기준으로 보기" not in article_text and "출고 시각" not in article_text


# "Historical"


def test_the_revision_pages_speak_of_revisions_not_historical_records(desk, story):
    pages = [reverse("admin:articles_article_history", args=[story.pk]), *revision_urls(story)]

    for url in pages:
        html, shown = read(desk, url, "ko")
        assert "istorical" not in shown and "istorical" not in html, url
        assert "수정 이력" in shown, url  # the page or its breadcrumb names the revisions

    _html, history = read(desk, pages[0], "ko")
    assert "“스마트공장 보급 확대, 300곳 선정” 수정 이력" in history
    assert "처음 저장" in history and "지금과 비교" in history
    _html, revision = read(desk, pages[-1], "ko")
    assert "비교 및 복원" in revision and "이 버전으로 복원" in revision


def test_the_english_revision_pages_are_in_english(desk, story):
    pages = [reverse("admin:articles_article_history", args=[story.pk]), *revision_urls(story)]

    for url in pages:
        _html, shown = read(desk, url, "en")
        assert "Historical" not in shown and "historical" not in shown, url
        assert "수정 이력" not in shown and "비교 및 복원" not in shown, url

    _html, history = read(desk, pages[0], "en")
    assert "Revisions of “스마트공장 보급 확대, 300곳 선정”" in history
    assert "Created" in history and "Compare with now" in history
    _html, revision = read(desk, pages[-1], "en")
    assert "Compare and restore" in revision and "Restore this version" in revision


# Statuses: "review → published", "상태: review"


def test_the_timeline_names_each_step_and_the_status_in_korean(desk, story):
    _html, shown = read(desk, reverse("admin:articles_article_change", args=[story.pk]), "ko")

    assert "상태: | 출고됨" in shown  # the heading: 상태: <strong>출고됨</strong>
    assert "진행 기록: 4건" in shown
    steps = re.findall(r"\| (작성|검토 요청|반려|출고됨) \|", shown.split("진행 기록")[1])
    assert steps == ["작성", "검토 요청", "반려", "검토 요청", "출고됨"]
    assert "수치를 확인해 주세요." in shown
    assert not RAW_STATUS.search(shown), RAW_STATUS.search(shown)
    assert not RAW_TRANSITION.search(shown) and "→" not in shown


def test_a_scheduled_story_shows_its_stage_in_korean(desk, editor):
    article = ArticleFactory(title="내일 나갈 기사", status="review", published_at=None)
    at = timezone.now() + timedelta(days=1)
    services.publish(article=article, by=editor, site_url=SITE, at=at)

    _html, shown = read(desk, reverse("admin:articles_article_change", args=[article.pk]), "ko")

    assert "상태: | 예약 출고" in shown
    assert "예약 출고 | · " in shown  # the step in the timeline, then who took it
    assert not RAW_STATUS.search(shown), RAW_STATUS.search(shown)


def test_the_revision_pages_name_statuses_in_korean(desk, editor, story):
    returned = ArticleFactory(title="돌아온 기사", status="review", published_at=None)
    services.return_to_reporter(article=returned, by=editor, note="다시", site_url=SITE)
    returned.refresh_from_db()
    returned.title = "돌아온 기사, 고친 제목"  # so that an older revision has something to restore
    returned.save()

    pages = [
        reverse("admin:articles_article_history", args=[story.pk]),
        *revision_urls(story),
        *revision_urls(returned),
    ]
    for url in pages:
        _html, shown = read(desk, url, "ko")
        assert not RAW_STATUS.search(shown), (url, RAW_STATUS.search(shown))
        assert not RAW_TRANSITION.search(shown) and "→" not in shown, url
        assert not re.search(r"상태\s*:\s*[a-z]", shown), url

    _html, restoring = read(desk, revision_urls(returned)[-1], "ko")
    assert "기사는 \u2018반려\u2019 상태 그대로이며, 복원해도 출고되지 않습니다." in restoring
    _html, restoring = read(desk, revision_urls(story)[-1], "ko")
    assert "기사는 출고 상태 그대로이며, 독자는 복원된 내용을 바로 봅니다." in restoring


def test_the_english_timeline_and_revisions_use_the_english_labels(desk, editor, story):
    returned = ArticleFactory(title="돌아온 기사", status="review", published_at=None)
    services.return_to_reporter(article=returned, by=editor, note="다시", site_url=SITE)
    returned.refresh_from_db()
    returned.title = "돌아온 기사, 고친 제목"  # so that an older revision has something to restore
    returned.save()

    _html, timeline = read(desk, reverse("admin:articles_article_change", args=[story.pk]), "en")
    _html, restoring = read(desk, revision_urls(returned)[-1], "en")

    assert "Status: | Published" in timeline
    steps = re.findall(
        r"\| (Written|Submitted for review|Returned|Published) \|", timeline.split("Timeline")[1]
    )
    assert steps == [
        "Written",
        "Submitted for review",
        "Returned",
        "Submitted for review",
        "Published",
    ]
    assert "Timeline: 4 steps" in timeline
    assert "“Returned”" in restoring  # The article stays “Returned”: restoring publishes nothing.
    for shown in (timeline, restoring):
        assert not re.search(r"Status:\s*\|?\s*[a-z]", shown)
        assert not RAW_TRANSITION.search(shown) and "→" not in shown
        for korean in ("상태", "출고됨", "검토 요청", "반려", "진행 기록"):
            assert korean not in shown
