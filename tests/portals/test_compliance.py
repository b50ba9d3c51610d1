"""The compliance check before publishing: each rule in Korean text, and the warning step
editors meet on the step page, in bulk publishing and when changing a live story."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Origin, PortalCategory
from portals import compliance
from portals.models import ComplianceWarning
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db

Kind = ComplianceWarning.Kind

BODY = (
    "<p>산업통상자원부는 올해 중소 제조업체 1천200곳에 스마트공장 구축 비용을 지원한다고 "
    "10일 발표했다. 지원 규모는 지난해보다 20% 늘었다.</p>"
    '<p>업계는 인력난을 덜 수 있을 것으로 기대했다. 한 부품업체 대표는 "자동화 설비를 들이면 '
    '야간 근무를 줄일 수 있다"고 말했다.</p>'
)


def kinds(findings) -> set[str]:
    return {finding.kind for finding in findings}


@pytest.fixture
def industry(db):
    return SectionFactory(name="산업", slug="industry", portal_category=PortalCategory.INDUSTRY)


def draft(section, **fields):
    return ArticleFactory(section=section, status=Article.Status.DRAFT, published_at=None, **fields)


def test_a_clean_story_raises_nothing(industry):
    ArticleFactory(
        section=industry, title="로봇 수출 3개월 연속 증가", body="<p>로봇 수출이 늘었다.</p>"
    )
    article = draft(industry, title="스마트공장 지원 확대", body=BODY)
    assert compliance.check(article) == []


def test_a_story_sent_again_within_a_week_is_a_duplicate(industry):
    sent = ArticleFactory(
        section=industry,
        title="정부, 스마트공장 지원 20% 확대",
        body=BODY,
        published_at=timezone.now() - timedelta(days=2),
    )
    # The same story re-sent under a new headline, a sentence added.
    again = draft(
        industry,
        title="스마트공장 지원 20% 늘린다",
        body=BODY + "<p>신청은 다음 달부터 받는다.</p>",
    )
    [finding] = compliance.check(again)
    assert finding.kind == Kind.DUPLICATE
    assert sent.title in finding.detail and str(sent.pk) in finding.detail


def test_a_story_older_than_a_week_is_not_a_duplicate(industry):
    ArticleFactory(section=industry, body=BODY, published_at=timezone.now() - timedelta(days=8))
    assert Kind.DUPLICATE not in kinds(compliance.check(draft(industry, body=BODY)))


def test_a_headline_repeating_a_keyword_is_stuffed(industry):
    article = draft(industry, title="로봇 로봇은 로봇이 미래다", body=BODY)
    [finding] = compliance.check(article)
    assert finding.kind == Kind.HEADLINE
    assert "“로봇”" in finding.detail and "3" in finding.detail


def test_a_headline_made_of_keywords_is_stuffed(industry):
    article = draft(industry, title="로봇, 스마트공장, 자동화, 협동로봇, AI, 물류", body=BODY)
    assert kinds(compliance.check(article)) == {Kind.HEADLINE}


def test_an_advertisement_written_as_an_article_is_flagged(industry):
    body = (
        "<p>(주)한빛로봇이 새 청소로봇을 내놨다. 한빛로봇 관계자는 한빛로봇 제품이 최고라고 "
        "말했다. 한빛로봇은 할인 행사를 연다. 한빛로봇 대리점에서 살 수 있다.</p>"
        "<p>문의 02-1234-5678, 1588-1234. 자세한 내용은 www.hanbit-robot.co.kr 참조.</p>"
    )
    [finding] = compliance.check(draft(industry, title="청소로봇 신제품 출시", body=body))
    assert finding.kind == Kind.ADVERTISEMENT
    assert "02-1234-5678" in finding.detail and "1588-1234" in finding.detail
    assert "hanbit-robot.co.kr" in finding.detail
    assert "“한빛로봇”" in finding.detail


def test_a_live_story_rewritten_into_another_is_flagged(industry, editor):
    article = ArticleFactory(section=industry, title="스마트공장 지원 확대", body=BODY)
    assert compliance.check(article) == []
    article.title = "반도체 장비 수입 급감"
    article.body = (
        "<p>반도체 장비 수입이 석 달째 줄었다. 관세청 통계에 따르면 감소 폭이 커졌다.</p>"
    )
    [finding] = compliance.check(article)
    assert finding.kind == Kind.REWRITE
    assert "스마트공장 지원 확대" in finding.detail


def test_a_small_correction_to_a_live_story_is_no_rewrite(industry):
    article = ArticleFactory(section=industry, title="스마트공장 지원 확대", body=BODY)
    article.body = BODY.replace("20%", "25%")
    assert compliance.check(article) == []


def test_origins_the_text_does_not_bear_out(industry):
    press = draft(industry, body=BODY, origin=Origin.PRESS_RELEASE)
    assert kinds(compliance.check(press)) == {Kind.ORIGIN}
    press.body = BODY + "<p>(사진=산업부 제공)</p>"
    assert compliance.check(press) == []

    wire = draft(industry, body="<p>(서울=연합뉴스) 로봇 수출이 늘었다.</p>", origin=Origin.OWN)
    [finding] = compliance.check(wire)
    assert finding.kind == Kind.ORIGIN and "연합뉴스" in finding.detail
    wire.origin = Origin.WIRE
    assert compliance.check(wire) == []


def test_categories_that_do_not_fit(industry):
    contribution = draft(industry, body=BODY, origin=Origin.CONTRIBUTION)
    assert kinds(compliance.check(contribution)) == {Kind.CATEGORY}
    contribution.portal_category = PortalCategory.OPINION
    assert compliance.check(contribution) == []

    elsewhere = draft(industry, body=BODY, portal_category=PortalCategory.POLITICS)
    [finding] = compliance.check(elsewhere)
    assert finding.kind == Kind.CATEGORY and "산업" in finding.detail


# The warning step, over HTTP.


def step_url(article, action):
    return reverse("admin:articles_article_workflow", args=[article.pk, action])


@pytest.fixture
def duplicate(industry):
    ArticleFactory(section=industry, title="스마트공장 지원 확대", body=BODY)
    return draft(industry, title="스마트공장 지원을 늘린다", body=BODY)


def test_publishing_a_duplicate_stops_at_the_warning_step(client, editor, duplicate):
    client.force_login(editor)
    response = client.post(step_url(duplicate, "publish"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "포털 제휴 규정 경고" in page
    assert "최근 기사 재전송" in page
    assert "그래도 진행" in page
    duplicate.refresh_from_db()
    assert duplicate.status == Article.Status.DRAFT
    [warning] = ComplianceWarning.objects.all()
    assert (warning.article, warning.kind, warning.user, warning.went_ahead) == (
        duplicate,
        Kind.DUPLICATE,
        editor,
        False,
    )


def test_the_editor_may_publish_anyway_and_that_is_recorded(client, editor, duplicate):
    client.force_login(editor)
    client.post(step_url(duplicate, "publish"))  # the warning step, shown again: kept once
    client.post(step_url(duplicate, "publish"))
    response = client.post(step_url(duplicate, "publish"), {"portal_go_ahead": "yes"})

    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.is_published
    [warning] = ComplianceWarning.objects.all()
    assert warning.went_ahead and warning.step == "publish"
    # The article's page in the admin lists it.
    page = client.get(reverse("admin:articles_article_change", args=[duplicate.pk])).content
    assert "최근 기사 재전송" in page.decode()


def test_scheduling_keeps_its_time_through_the_warning_step(client, editor, duplicate):
    at = (timezone.localtime() + timedelta(days=1)).replace(second=0, microsecond=0)
    client.force_login(editor)
    response = client.post(step_url(duplicate, "schedule"), {"at": at.strftime("%Y-%m-%dT%H:%M")})
    assert 'name="at"' in response.content.decode()
    client.post(
        step_url(duplicate, "schedule"),
        {"at": at.strftime("%Y-%m-%dT%H:%M"), "portal_go_ahead": "yes"},
    )
    duplicate.refresh_from_db()
    assert duplicate.published_at == at and duplicate.is_scheduled


def test_bulk_publishing_warns_before_anything_goes_out(client, editor, duplicate, industry):
    clean = ArticleFactory(
        section=industry,
        status=Article.Status.REVIEW,
        published_at=None,
        title="로봇 수출 증가",
        body="<p>로봇 수출이 석 달 연속 늘었다.</p>",
    )
    duplicate.status = Article.Status.REVIEW
    duplicate.save()
    client.force_login(editor)
    changelist = reverse("admin:articles_article_changelist")
    chosen = {"action": "publish", "_selected_action": [duplicate.pk, clean.pk], "post": "yes"}

    response = client.post(changelist, chosen)
    assert response.status_code == 200
    assert "최근 기사 재전송" in response.content.decode()
    assert not Article.objects.filter(pk__in=[duplicate.pk, clean.pk]).published().exists()

    client.post(changelist, {**chosen, "portal_go_ahead": "yes"})
    assert Article.objects.filter(pk__in=[duplicate.pk, clean.pk]).published().count() == 2
    assert ComplianceWarning.objects.get().went_ahead


def test_changing_a_live_story_into_another_asks_first(client, editor, industry):
    article = ArticleFactory(section=industry, title="스마트공장 지원 확대", body=BODY)
    client.force_login(editor)
    url = reverse("admin:articles_article_change", args=[article.pk])
    form = {
        "title": "반도체 장비 수입 급감",
        "slug": article.slug,
        "section": industry.pk,
        "reporter": article.reporter.pk,
        "body": "<p>반도체 장비 수입이 석 달째 줄었다. 관세청 통계다.</p>",
        "origin": "own",
        "portal_category": "industry",
        "comments_open": "on",
        "version_seen": article.version,
    }
    response = client.post(url, form)
    assert response.status_code == 200
    assert "같은 주소로 다른 기사" in response.content.decode()
    article.refresh_from_db()
    assert article.title == "스마트공장 지원 확대"

    response = client.post(url, {**form, "portal_go_ahead": "on"})
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "반도체 장비 수입 급감"
    assert ComplianceWarning.objects.get(step="edit").went_ahead


def test_warnings_are_for_editors_to_read(
    client, editor, reporter_user, moderator, ad_staff, reader
):
    url = reverse("admin:portals_compliancewarning_changelist")
    for user, status in [(editor, 200), (reporter_user, 403), (moderator, 403), (ad_staff, 403)]:
        client.force_login(user)
        assert client.get(url).status_code == status, user
    client.force_login(reader)
    assert client.get(url).status_code == 302
