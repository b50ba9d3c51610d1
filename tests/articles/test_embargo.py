"""엠바고: a story scheduled under an embargo appears nowhere before its time — not on any
public page, feed, sitemap, search, list, JSON-LD or cached page, nor to anyone but editors —
and publishes itself at the time, as a scheduled story does. In the desk it is its own step,
marked and counted down."""

import json
import re
from datetime import datetime, timedelta
from unittest import mock

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticleEvent, DailyViews, Notification
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db

Status = Article.Status
Action = ArticleEvent.Action
SECRET = "엠바고 기사 반도체 수출 통계"
IN_A_DAY = timedelta(days=1)


def embargoed(reporter, lifts_at=None, **fields):
    """A story the desk has put under embargo, as the embargo step leaves it."""
    lifts_at = lifts_at or timezone.now() + IN_A_DAY
    return ArticleFactory(
        reporter=reporter,
        status=Status.PUBLISHED,
        published_at=lifts_at,
        embargo_until=lifts_at,
        **fields,
    )


def step_url(article, action):
    return reverse("admin:articles_article_workflow", args=[article.pk, action])


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def local_input(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


# The leak walk: every public surface, before and after the embargo lifts, with the page
# cache and the cached parts on.


@pytest.fixture
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300


@pytest.fixture
def newsroom(reporter_user):
    """A published story and the embargoed one: same section, reporter and tags, read today,
    so every list that could show the embargoed one would."""
    section = SectionFactory(name="반도체", slug="chips")
    sibling = ArticleFactory(
        title="반도체 업계 동향", section=section, reporter=reporter_user.reporter, tags=["반도체"]
    )
    secret = embargoed(
        reporter_user.reporter,
        title=SECRET,
        section=section,
        tags=["반도체"],
        legacy_id=4242,
        lifts_at=(timezone.now() + IN_A_DAY).replace(microsecond=0),
    )
    sibling.related.add(secret)  # even an editor's pick does not show it early
    for article in (sibling, secret):
        DailyViews.objects.create(article=article, date=timezone.localdate(), views=500)
    return sibling, secret


def public_surfaces(sibling, secret) -> dict[str, str]:
    slug = secret.reporter.slug
    return {
        "home": reverse("articles:home"),
        "section": reverse("articles:section", args=["chips"]),
        "section feed": reverse("articles:section_feed", args=["chips"]),
        "tag": reverse("articles:tag", args=[secret.tags.get().slug]),
        "reporter": reverse("reporters:detail", args=[slug]),
        "reporter feed": reverse("reporters:feed", args=[slug]),
        "feed": reverse("articles:feed"),
        "old site's feed": reverse("articles:legacy_feed"),
        "articles' sitemap": reverse("sitemap_section", args=["articles"]),
        "news sitemap": reverse("articles:news_sitemap"),
        "search": reverse("articles:search") + "?q=반도체",
        # related articles, the most-read box and the JSON-LD of a page that is readable
        "another article": sibling.get_absolute_url(),
    }


def addresses_of(secret) -> dict[str, str]:
    return {
        "article": secret.get_absolute_url(),
        "short link": reverse("articles:detail_short", args=[secret.pk]),
        "e-mail form": reverse("articles:email", args=[secret.pk]),
        "old site's link": reverse("articles:legacy_article") + "?idxno=4242",
    }


def test_an_embargoed_story_leaks_nowhere_and_appears_everywhere_when_it_lifts(
    page_cache_on, newsroom
):
    sibling, secret = newsroom
    reader = Client()
    surfaces = public_surfaces(sibling, secret)
    article_path = secret.get_absolute_url()

    for name, url in surfaces.items():
        response = reader.get(url)
        assert response.status_code == 200, name
        page = response.content.decode()
        assert SECRET not in page, f"the embargoed title leaks on the {name}"
        assert article_path not in page and f"/articles/{secret.pk}/" not in page, name
    for name, url in addresses_of(secret).items():
        assert reader.get(url, follow=True).status_code == 404, name
    comment = reader.post(
        reverse("comments:post", args=[secret.pk]), {"guest_name": "손님", "body": "먼저 댓글"}
    )
    assert comment.status_code == 404
    assert not secret.comments.exists()

    # The time comes: no save, no cron; every cached page and part moves on by itself.
    after = secret.embargo_until + timedelta(seconds=1)
    with mock.patch("django.utils.timezone.now", return_value=after):
        for name, url in surfaces.items():
            page = reader.get(url).content.decode()
            # Sitemaps list addresses, the rest titles too.
            shown = article_path in page and (name.endswith("sitemap") or SECRET in page)
            assert shown, f"not on the {name} after the embargo lifted"
        for name, url in addresses_of(secret).items():
            assert reader.get(url, follow=True).status_code == 200, name
        page = reader.get(article_path).content.decode()
    jsonld = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
    )
    story = (
        next(item for item in jsonld["@graph"] if item["@type"] == "NewsArticle")
        if ("@graph" in jsonld)
        else jsonld
    )
    assert story["headline"] == SECRET
    # The machine side says the time the story went out: the embargo's.
    assert datetime.fromisoformat(story["datePublished"]) == secret.embargo_until


def test_a_scheduled_story_put_under_embargo_does_not_come_out_at_its_old_time(
    page_cache_on, client, editor, reporter_user
):
    """The home page was cached while the story was due in an hour; the editor then puts it
    under embargo for tomorrow: at the old time nothing comes out, at the embargo it does."""
    scheduled = ArticleFactory(
        reporter=reporter_user.reporter,
        title=SECRET,
        published_at=timezone.now() + timedelta(hours=1),
    )
    home = reverse("articles:home")
    assert SECRET not in Client().get(home).content.decode()
    client.force_login(editor)
    lifts = (timezone.now() + IN_A_DAY).replace(second=0, microsecond=0)

    client.post(step_url(scheduled, Action.EMBARGO), {"at": local_input(lifts)})

    assert Article.objects.next_publication() == lifts
    past_old_time = scheduled.published_at + timedelta(minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=past_old_time):
        assert SECRET not in Client().get(home).content.decode()
        assert Client().get(scheduled.get_absolute_url()).status_code == 404
    with mock.patch("django.utils.timezone.now", return_value=lifts + timedelta(seconds=1)):
        assert SECRET in Client().get(home).content.decode()


def test_the_embargo_holds_even_if_the_publication_time_is_earlier(newsroom):
    """The one rule (published_by): the embargo wins over an earlier publication time."""
    _sibling, secret = newsroom
    Article.objects.filter(pk=secret.pk).update(published_at=timezone.now() - timedelta(hours=1))
    secret.refresh_from_db()

    assert not secret.is_published
    assert secret not in Article.objects.published()
    assert secret.stage == "embargoed"
    assert Article.objects.next_publication() == secret.embargo_until
    assert Client().get(secret.get_absolute_url()).status_code == 404


# Who may open an embargoed story before its time: editors only.

ROLES = {
    "anonymous": None,
    "reader": "reader",
    "its reporter": "reporter_user",
    "another reporter": "other_reporter_user",
    "moderator": "moderator",
    "ad staff": "ad_staff",
    "editor": "editor",
}


@pytest.mark.parametrize("role", ROLES)
def test_only_editors_may_open_an_embargoed_story_by_its_link(client, request, reporter_user, role):
    secret = embargoed(reporter_user.reporter, title=SECRET)
    if ROLES[role]:
        client.force_login(request.getfixturevalue(ROLES[role]))

    for url in (secret.get_absolute_url(), reverse("articles:detail_short", args=[secret.pk])):
        response = client.get(url, follow=True)
        if role == "editor":
            assert response.status_code == 200
            assert SECRET in response.content.decode()
            assert 'name="robots" content="noindex"' in response.content.decode()
        else:
            assert response.status_code == 404, url


def test_not_even_an_editor_may_e_mail_an_embargoed_story_out(client, editor, reporter_user):
    secret = embargoed(reporter_user.reporter, title=SECRET)
    client.force_login(editor)
    url = reverse("articles:email", args=[secret.pk])
    data = {"recipient": "someone@example.com", "sender_name": "편집자", "message": ""}

    assert client.get(url).status_code == 404
    assert client.post(url, data).status_code == 404
    assert not mail.outbox


def test_its_reporter_may_still_preview_a_story_only_scheduled(client, reporter_user):
    """The embargo is what closes the preview link to reporters, not scheduling."""
    scheduled = ArticleFactory(
        reporter=reporter_user.reporter, published_at=timezone.now() + IN_A_DAY
    )
    client.force_login(reporter_user)

    assert client.get(scheduled.get_absolute_url()).status_code == 200


def test_its_reporter_sees_the_embargo_in_the_desk_but_cannot_change_or_preview_it(
    client, reporter_user
):
    secret = embargoed(reporter_user.reporter, title=SECRET)
    client.force_login(reporter_user)

    listing = client.get(reverse("admin:articles_article_changelist")).content.decode()
    screen = client.get(change_url(secret))
    preview = client.post(
        reverse("admin:articles_article_preview", args=[secret.pk]), {"title": "x"}
    )
    dashboard = client.get(reverse("admin:index")).content.decode()

    assert "엠바고" in listing and SECRET in listing
    assert screen.status_code == 200
    assert "엠바고" in screen.content.decode() and "남음" in screen.content.decode()
    assert 'name="_workflow"' not in screen.content.decode()  # read-only, no steps
    assert "viewsitelink" not in screen.content.decode()  # no "view on site" to a 404
    assert preview.status_code == 403
    assert "엠바고" in dashboard and SECRET in dashboard


def test_other_reporters_do_not_see_it_in_the_desk(client, reporter_user, other_reporter_user):
    secret = embargoed(reporter_user.reporter, title=SECRET)
    client.force_login(other_reporter_user)

    assert SECRET not in client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert client.get(change_url(secret)).status_code == 403
    assert SECRET not in client.get(reverse("admin:index")).content.decode()


# The embargo step (엠바고 예약): editors only, its time confirmed in KST.


@pytest.mark.parametrize("role", ROLES)
def test_only_editors_may_put_a_story_under_embargo(client, request, reporter_user, role):
    article = ArticleFactory(reporter=reporter_user.reporter, status=Status.REVIEW)
    at = local_input(timezone.now() + IN_A_DAY)
    if ROLES[role]:
        client.force_login(request.getfixturevalue(ROLES[role]))

    shown = client.get(step_url(article, Action.EMBARGO), {"at": at})
    taken = client.post(step_url(article, Action.EMBARGO), {"at": at})

    article.refresh_from_db()
    if role == "editor":
        assert shown.status_code == 200
        assert taken.status_code == 302
        assert article.stage == "embargoed"
    else:
        assert shown.status_code in (302, 403, 404) and taken.status_code in (302, 403, 404)
        if ROLES[role] and role != "reader":
            assert shown.status_code == 403 and taken.status_code == 403
        assert article.status == Status.REVIEW and article.embargo_until is None
        assert not article.events.exists()


def test_the_editor_confirms_the_embargo_in_korea_time_and_the_reporter_is_told(
    client, editor, reporter_user
):
    reporter_user.email = "oh@news.example"
    reporter_user.save()
    article = ArticleFactory(reporter=reporter_user.reporter, status=Status.REVIEW, title=SECRET)
    lifts = (timezone.localtime() + IN_A_DAY).replace(hour=9, minute=0, second=0, microsecond=0)
    client.force_login(editor)

    screen = client.get(change_url(article)).content.decode()
    confirm = client.get(step_url(article, Action.EMBARGO), {"at": local_input(lifts)})
    done = client.post(step_url(article, Action.EMBARGO), {"at": local_input(lifts)}, follow=True)

    assert 'name="workflow_embargo_at"' in screen and "엠바고 예약" in screen
    page = confirm.content.decode()
    assert lifts.strftime("%Y-%m-%d 09:00") in page and "한국 시각" in page
    article.refresh_from_db()
    assert article.embargo_until == lifts and article.published_at == lifts
    assert article.stage == "embargoed" and not article.is_published
    event = article.events.get()
    assert event.action == Action.EMBARGO and event.publish_at == lifts
    assert "엠바고" in done.content.decode()
    told = Notification.objects.get(recipient=reporter_user)
    assert "엠바고" in str(told) and "09:00" in str(told)


def test_the_change_forms_embargo_picker_leads_to_the_confirmation(client, editor, reporter_user):
    article = ArticleFactory(reporter=reporter_user.reporter, status=Status.REVIEW)
    client.force_login(editor)
    form = client.get(change_url(article)).context["adminform"].form
    lifts = local_input(timezone.now() + IN_A_DAY)

    response = client.post(
        change_url(article),
        {
            "title": article.title,
            "slug": article.slug,
            "section": article.section.pk,
            "reporter": article.reporter.pk,
            "body": article.body,
            "comments_open": "on",
            "version_seen": form["version_seen"].value(),
            "_workflow": "embargo",
            "workflow_embargo_at": lifts,
        },
    )

    assert response.status_code == 302
    assert response["Location"].startswith(step_url(article, Action.EMBARGO))
    assert "at=" in response["Location"]


@pytest.mark.parametrize("at", ["", "내일 아침", "past"])
def test_a_bad_or_past_embargo_time_is_refused_with_a_clear_error(client, editor, at):
    article = ArticleFactory(status=Status.REVIEW)
    if at == "past":
        at = local_input(timezone.now() - timedelta(hours=1))
    client.force_login(editor)

    response = client.post(step_url(article, Action.EMBARGO), {"at": at})

    assert response.status_code == 200
    assert response.context["form"].errors["at"]
    article.refresh_from_db()
    assert article.status == Status.REVIEW and article.embargo_until is None


def test_publishing_now_lifts_the_embargo(client, editor, reporter_user):
    secret = embargoed(reporter_user.reporter, title=SECRET)
    client.force_login(editor)

    confirm = client.get(step_url(secret, Action.PUBLISH)).content.decode()
    client.post(step_url(secret, Action.PUBLISH))

    assert "엠바고" in confirm
    secret.refresh_from_db()
    assert secret.embargo_until is None and secret.is_published
    assert Client().get(secret.get_absolute_url()).status_code == 200


def test_withdrawing_calls_the_embargo_off(client, editor, reporter_user):
    secret = embargoed(reporter_user.reporter, title=SECRET)
    client.force_login(editor)

    client.post(step_url(secret, Action.WITHDRAW), {"note": "취재원 요청"})

    secret.refresh_from_db()
    assert secret.status == Status.WITHDRAWN and secret.embargo_until is None
    assert Client().get(secret.get_absolute_url()).status_code == 404


def test_scheduling_an_embargoed_story_makes_it_an_ordinary_scheduled_one(
    client, editor, reporter_user
):
    secret = embargoed(reporter_user.reporter)
    client.force_login(editor)
    at = timezone.now() + timedelta(hours=2)

    client.post(step_url(secret, Action.SCHEDULE), {"at": local_input(at)})

    secret.refresh_from_db()
    assert secret.stage == "scheduled" and secret.embargo_until is None


def test_saving_the_change_form_keeps_the_embargo(client, editor, reporter_user):
    secret = embargoed(reporter_user.reporter)
    lifts = secret.embargo_until
    client.force_login(editor)
    form = client.get(change_url(secret)).context["adminform"].form

    client.post(
        change_url(secret),
        {
            "title": "고친 제목",
            "slug": secret.slug,
            "section": secret.section.pk,
            "reporter": secret.reporter.pk,
            "body": secret.body,
            "comments_open": "on",
            "version_seen": form["version_seen"].value(),
        },
    )

    secret.refresh_from_db()
    assert secret.title == "고친 제목" and secret.embargo_until == lifts


def test_bulk_publishing_leaves_embargoed_stories_alone(client, editor, reporter_user):
    secret = embargoed(reporter_user.reporter)
    client.force_login(editor)
    data = {"action": "publish", "_selected_action": [secret.pk]}

    confirm = client.post(reverse("admin:articles_article_changelist"), data).content.decode()
    client.post(reverse("admin:articles_article_changelist"), {**data, "post": "yes"})

    assert "엠바고" in confirm
    secret.refresh_from_db()
    assert secret.stage == "embargoed"


# Marked and counted down: the list, its filter and the editors' dashboard.


def test_the_desk_marks_embargoed_stories_and_counts_them_down(client, editor, reporter_user):
    secret = embargoed(
        reporter_user.reporter,
        title=SECRET,
        lifts_at=timezone.now() + timedelta(hours=5, minutes=30),
    )
    scheduled = ArticleFactory(title="그냥 예약 기사", published_at=timezone.now() + IN_A_DAY)
    client.force_login(editor)
    changelist = reverse("admin:articles_article_changelist")

    listing = client.get(changelist).content.decode()
    only_embargoed = client.get(changelist, {"embargo": "yes"}).content.decode()
    dashboard = client.get(reverse("admin:index")).content.decode()
    screen = client.get(change_url(secret)).content.decode()

    lifts = timezone.localtime(secret.embargo_until).strftime("%Y-%m-%d %H:%M")
    assert 'class="embargo-badge"' in listing
    assert SECRET in only_embargoed and scheduled.title not in only_embargoed
    assert "엠바고 중" in dashboard and lifts in dashboard and "5시간" in dashboard
    assert "5시간" in screen and "남음" in screen and "한국 시각" in screen
    assert "viewsitelink" in screen  # editors may open its page


def test_the_dashboard_says_when_nothing_is_under_embargo(client, editor):
    client.force_login(editor)

    assert "엠바고 중인 기사가 없습니다." in client.get(reverse("admin:index")).content.decode()
