"""Hostile input through every field a person can fill in and every URL parameter.

Each case passes when: the answer is never a 5xx; no page runs anything from the input
(no script, event handler or javascript:/data: link made of it); input that is refused
comes back with a form error and with what was typed still in the form; input that is
accepted shows up escaped wherever it is displayed (rich-text bodies: sanitized).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from taggit.utils import parse_tags

from accounts.models import User
from ads.models import AdSlot, Placement
from articles.models import Article, Photo
from comments.models import Comment
from outlet.models import SiteSettings
from tests.factories import SectionFactory, image_bytes

from .conftest import BROWSER
from .helpers import (
    BROKEN_UTF8,
    as_received,
    executable_markup,
    get_raw,
    post_raw,
    stays_on_site,
)

pytestmark = pytest.mark.django_db

# Each is something a person could paste into a form; together they try every way out of
# a text node or an attribute, into a link, a query, a template or the file system.
PAYLOADS = {
    "script-and-handler": "<script>alert(1)</script><img src=x onerror=alert(2)>",
    "attribute-breakout-svg-handler": '"><svg onload=alert(1)>',
    "javascript-url": "javascript:alert(1)",
    "data-url-svg": "data:image/svg+xml,<svg/onload=alert(1)>",
    "html-specials": "<>\"'&",
    "sql": "' OR 1=1; DROP TABLE articles_article; --",
    "template": "{{ 7*7 }}{% debug %}",
    "path-traversal": "../../../../etc/passwd",
    "rtl-override": "\u202etxt.exe\u202c 기사",
    "nul-byte": "a\x00b",
    "broken-utf-8": BROKEN_UTF8,
    "100k-chars": "long" * 25_000,
}

ERROR_MARKERS = ("errorlist", "errornote", "field-errors", "form-errors")


def admin_datetime(name: str, moment) -> dict:
    moment = timezone.localtime(moment)
    return {f"{name}_0": moment.strftime("%Y-%m-%d"), f"{name}_1": moment.strftime("%H:%M:%S")}


def small_png(name="photo.png", width=64, height=48):
    return SimpleUploadedFile(name, image_bytes(width, height), content_type="image/png")


# --- how each field is filled in, and where it shows once accepted ----------------------


def article_admin(field_name):
    def submit(client, request, value):
        data = {
            "title": "정상 제목",
            "subtitle": "",
            "slug": "hostile",
            "section": SectionFactory().pk,
            "summary": "",
            "body": "<p>본문</p>",
            "new_tags": "",
            "comments_open": "on",
            field_name: value,
        }
        response = post_raw(client, reverse("admin:articles_article_add"), data)
        if response.status_code == 302:  # saved as a draft: the editor then publishes it
            article = Article.objects.latest("pk")
            client.post(reverse("admin:articles_article_workflow", args=[article.pk, "publish"]))
        return response

    return submit


def new_article_page(client, request):
    article = Article.objects.latest("pk")
    return client.get(article.get_absolute_url())


def home_page(client, request):
    return client.get(reverse("articles:home"))


def photo_admin(field_name):
    def submit(client, request, value):
        data = {"caption": "공장 전경", "credit": "사진=홍길동", "alt_text": "공장 건물"}
        data |= {field_name: value, "image": small_png()}
        return post_raw(client, reverse("admin:articles_photo_add"), data, multipart=True)

    return submit


def article_with_the_photo(client, request):
    article = request.getfixturevalue("article")
    Article.objects.filter(pk=article.pk).update(lead_photo=Photo.objects.get())
    return client.get(article.get_absolute_url())


def reporter_admin(field_name):
    def submit(client, request, value):
        data = {
            "name": "김기자",
            "slug": "hostile-reporter",
            "email": "kim@news.example",
            "title": "",
            "bio": "",
            "is_active": "on",
            field_name: value,
        }
        return post_raw(client, reverse("admin:reporters_reporter_add"), data, multipart=True)

    return submit


def reporter_page(client, request):
    return client.get(reverse("reporters:detail", args=["hostile-reporter"]))


def section_admin(client, request, value):
    data = {"name": value, "slug": "hostile-section", "position": "0", "is_active": "on"}
    return post_raw(client, reverse("admin:articles_section_add"), data)


def section_page(client, request):
    return client.get(reverse("articles:section", args=["hostile-section"]))


def site_settings_admin(field_name):
    def submit(client, request, value):
        data = {
            "name": "뉴스룸",
            "tagline": "",
            "description": "",
            "contact_email": "",
            "contact_phone": "",
            "address": "",
            "publisher": "",
            "registration_number": "",
            field_name: value,
        }
        SiteSettings.current()
        return post_raw(client, reverse("admin:outlet_sitesettings_change", args=[1]), data)

    return submit


def comment_post(client, request, value):
    article = request.getfixturevalue("article")
    return post_raw(client, reverse("comments:post", args=[article.pk]), {"body": value})


def guest_comment_post(client, request, value):
    article = request.getfixturevalue("article")
    url = reverse("comments:post", args=[article.pk])
    return post_raw(
        client, url, {"body": "손님 의견입니다", "guest_name": value, "guest_password": "1234"}
    )


def article_page(client, request):
    return client.get(request.getfixturevalue("article").get_absolute_url())


def comment_edit(client, request, value):
    comment = request.getfixturevalue("readers_comment")
    return post_raw(client, reverse("comments:edit", args=[comment.pk]), {"body": value})


def comment_report(field_name):
    def submit(client, request, value):
        comment = request.getfixturevalue("readers_comment")
        data = {"reason": "other", "detail": "", field_name: value}
        return post_raw(client, reverse("comments:report", args=[comment.pk]), data)

    return submit


def report_in_the_moderation_queue(client, request):
    client.force_login(request.getfixturevalue("moderator"))
    comment = request.getfixturevalue("readers_comment")
    return client.get(reverse("admin:comments_comment_change", args=[comment.pk]))


def search(client, request, value):
    return get_raw(client, reverse("articles:search"), {"q": value})


def email_article(field_name):
    def submit(client, request, value):
        article = request.getfixturevalue("article")
        data = {"recipient": "friend@example.com", "sender_name": "홍길동", "message": ""}
        return post_raw(
            client, reverse("articles:email", args=[article.pk]), data | {field_name: value}
        )

    return submit


def the_email(client, request):
    [message] = mail.outbox
    assert message.content_subtype == "plain" and not getattr(message, "alternatives", None)
    return message.body


def signup(field_name):
    def submit(client, request, value):
        data = {
            "username": "newreader",
            "display_name": "새독자",
            "email": "new@example.com",
            "password1": "a-long-and-unusual-passphrase",
            "password2": "a-long-and-unusual-passphrase",
            "privacy_consent": "on",
            field_name: value,
        }
        return post_raw(client, reverse("accounts:signup"), data)

    return submit


def login(client, request, value):
    data = {"username": value, "password": "not-the-password"}
    return post_raw(client, reverse("accounts:login"), data)


def placement_admin(field_name):
    def submit(client, request, value):
        slot = AdSlot.objects.get(key="sub-right")
        data = {
            "advertiser": request.getfixturevalue("advertiser").pk,
            "name": "봄 캠페인",
            "slot": slot.pk,
            "kind": Placement.Kind.IMAGE,
            "image": small_png("banner.png", slot.width, slot.height),
            "alt_text": "협동로봇 신제품",
            "target_url": "https://robot.example/spring",
            **admin_datetime("starts_at", timezone.now() - timedelta(hours=1)),
            **admin_datetime("ends_at", timezone.now() + timedelta(days=7)),
            "weight": "1",
            "position": "0",
            "is_active": "on",
            field_name: value,
        }
        return post_raw(client, reverse("admin:ads_placement_add"), data, multipart=True)

    return submit


def placement_list(client, request):
    return client.get(reverse("admin:ads_placement_changelist"))


def public_page_with_the_banner(client, request):
    client.logout()
    return client.get(reverse("articles:home"))


@dataclass(frozen=True)
class Field:
    submit: Callable
    role: str | None
    # Where an accepted value is displayed; None when it is shown nowhere.
    shown_on: Callable | None
    # How the accepted value appears there: "escaped" (verbatim, HTML-escaped),
    # "sanitized" (rich text: only the markup check), "tags" (split into tag names),
    # "plain" (plain-text e-mail).
    shown_as: str = "escaped"
    # Whether a refused value must come back in the form (a radio choice cannot).
    kept: bool = True
    ordinary: str = "스마트공장 로봇"
    extra: dict = field(default_factory=dict)


FIELDS = {
    "article title (admin)": Field(article_admin("title"), "editor", new_article_page),
    "article subtitle (admin)": Field(article_admin("subtitle"), "editor", new_article_page),
    "article summary (admin)": Field(article_admin("summary"), "editor", home_page),
    "article body (admin)": Field(article_admin("body"), "editor", new_article_page, "sanitized"),
    "article new tags (admin)": Field(
        article_admin("new_tags"), "editor", new_article_page, "tags"
    ),
    "photo caption (admin)": Field(photo_admin("caption"), "editor", article_with_the_photo),
    "photo credit (admin)": Field(photo_admin("credit"), "editor", article_with_the_photo),
    "photo alt text (admin)": Field(photo_admin("alt_text"), "editor", article_with_the_photo),
    "reporter name (admin)": Field(reporter_admin("name"), "editor", reporter_page),
    "reporter bio (admin)": Field(reporter_admin("bio"), "editor", reporter_page),
    "section name (admin)": Field(section_admin, "editor", section_page),
    "outlet name (site settings)": Field(site_settings_admin("name"), "editor", home_page),
    "tagline (site settings)": Field(site_settings_admin("tagline"), "editor", home_page),
    "address (site settings)": Field(site_settings_admin("address"), "editor", home_page),
    "comment body": Field(comment_post, "reader", article_page),
    "guest nickname": Field(guest_comment_post, None, article_page, ordinary="손님"),
    "comment edit": Field(comment_edit, "reader", article_page),
    "report detail": Field(
        comment_report("detail"), "other_reader", report_in_the_moderation_queue
    ),
    "report reason": Field(comment_report("reason"), "other_reader", None, kept=False),
    "search query": Field(search, None, None, kept=False),
    "email recipient": Field(email_article("recipient"), None, None, ordinary="a@example.com"),
    "email sender name": Field(email_article("sender_name"), None, the_email, "plain"),
    "email message": Field(email_article("message"), None, the_email, "plain"),
    "sign-up username": Field(signup("username"), None, None, ordinary="newreader2"),
    "sign-up display name": Field(signup("display_name"), None, home_page),
    "sign-up e-mail": Field(signup("email"), None, None, ordinary="new2@example.com"),
    "login username": Field(login, None, None, ordinary="nobody"),
    "ad name (admin)": Field(placement_admin("name"), "ad_staff", placement_list),
    "ad alt text (admin)": Field(
        placement_admin("alt_text"), "ad_staff", public_page_with_the_banner
    ),
    "ad target URL (admin)": Field(
        placement_admin("target_url"), "ad_staff", None, ordinary="https://robot.example/x"
    ),
}

# Refusing these is the rule, not a failure: they are never valid input for the field.
ALWAYS_REFUSED = {"report reason", "login username"}


def content_of(response) -> str:
    return response if isinstance(response, str) else response.content.decode()


def assert_nothing_runs(content: str):
    assert executable_markup(content) == []


def expected_on_display(field: Field, received: str) -> list[str]:
    if field.shown_as == "tags":
        return [escape(name) for name in parse_tags(received)]
    if field.shown_as == "plain":
        return [received]
    return [escape(received)]


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("field_name", FIELDS)
def test_hostile_input_is_refused_in_the_form_or_shown_harmlessly(
    client, request, field_name, payload
):
    field = FIELDS[field_name]
    if field.role:
        client.force_login(request.getfixturevalue(field.role))
    value = PAYLOADS[payload]
    received = as_received(value)

    response = field.submit(client, request, value)

    assert response.status_code < 500
    content = content_of(response)
    assert_nothing_runs(content)
    if response.status_code in (301, 302, 303):  # accepted: Post/Redirect/Get
        assert field_name not in ALWAYS_REFUSED
        if field.shown_on is not None:
            shown = field.shown_on(client, request)
            if not isinstance(shown, str):
                assert shown.status_code == 200
            shown = content_of(shown)
            if field.shown_as != "plain":  # a plain-text e-mail has no markup to run
                assert_nothing_runs(shown)
            if field.shown_as != "sanitized":
                for text in expected_on_display(field, received):
                    assert text in shown, f"{text[:60]!r} is not shown as typed"
    else:
        assert response.status_code in (200, 400, 403, 429)
        if field_name != "search query":
            assert any(marker in content for marker in ERROR_MARKERS), "no form error shown"
        if field.kept:
            assert escape(received) in content, "what was typed is not kept in the form"


@pytest.mark.parametrize("field_name", FIELDS)
def test_the_same_forms_accept_ordinary_input(client, request, field_name):
    """The control: each form above really can be sent, so a refusal there was the payload's."""
    field = FIELDS[field_name]
    if field.role:
        client.force_login(request.getfixturevalue(field.role))

    response = field.submit(client, request, field.ordinary)

    if field_name in ALWAYS_REFUSED or field_name == "search query":
        assert response.status_code == 200
    else:
        assert response.status_code == 302, content_of(response)[:3000]


def test_a_comment_body_is_shown_escaped_with_its_line_breaks(client, reader, article):
    client.force_login(reader)
    body = '첫 줄 <b onmouseover="alert(1)">굵게</b>\r\nhttps://example.com/"onmouseover="alert(1)'

    client.post(reverse("comments:post", args=[article.pk]), {"body": body})

    content = client.get(article.get_absolute_url()).content.decode()
    assert_nothing_runs(content)
    assert "첫 줄 &lt;b onmouseover=&quot;alert(1)&quot;&gt;굵게&lt;/b&gt;<br>" in content
    assert 'rel="nofollow ugc noopener"' in content


@pytest.mark.parametrize("name", ["🙂", "!!!", "<>", "★★"])
def test_a_tag_without_letters_or_digits_is_refused_with_a_clear_error(client, editor, name):
    """Its page would have no address, and the article page linking to it would fail."""
    client.force_login(editor)

    response = article_admin("new_tags")(client, None, f"로봇, {name}")

    assert response.status_code == 200
    assert "글자나 숫자" in response.content.decode()
    assert not Article.objects.exists()


# --- URL parameters ---------------------------------------------------------------------

# Already percent-encoded, as they would arrive in the request line.
URL_VALUES = {
    "zero": "0",
    "negative": "-1",
    "huge": "9" * 30,
    "float": "1.5",
    "word": "abc",
    "superscript-digit": "%C2%B2",
    "arabic-digit": "%D9%A1",
    "nul": "%00",
    "broken-utf-8": "%FF%FE",
    "script": "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "sql": "1%27%20OR%20%271%27%3D%271",
    "template": "%7B%7B7*7%7D%7D",
    "traversal": "..%2F..%2F..%2Fetc%2Fpasswd",
    "long": "%EA%B0%80" * 5_000,
}


@pytest.fixture
def url_world(article, readers_comment, placement, reader):
    return {"article": article, "comment": readers_comment, "placement": placement}


# Each query parameter, on the page that reads it.
QUERY_PARAMETERS = {
    "page (section)": lambda w: (w["article"].section.get_absolute_url(), "page"),
    "page (reporter)": lambda w: (w["article"].reporter.get_absolute_url(), "page"),
    "page (tag)": lambda w: (reverse("articles:tag", args=["로봇"]), "page"),
    "page (my comments)": lambda w: (reverse("comments:mine"), "page"),
    "page (search)": lambda w: (reverse("articles:search") + "?q=스마트공장&x=", "page"),
    "cpage (comments)": lambda w: (w["article"].get_absolute_url(), "cpage"),
    "csort (comments)": lambda w: (w["article"].get_absolute_url(), "csort"),
    "q (search)": lambda w: (reverse("articles:search"), "q"),
    "idxno (old article address)": lambda w: (reverse("articles:legacy_article"), "idxno"),
    "sc_section_code (old list)": lambda w: (reverse("articles:legacy_section"), "sc_section_code"),
    "next (login)": lambda w: (reverse("accounts:login"), "next"),
    "next (sign-up)": lambda w: (reverse("accounts:signup"), "next"),
    "next (layout switch)": lambda w: (reverse("set_layout", args=["mobile"]), "next"),
    "next (language switch)": lambda w: (reverse("set_language", args=["en"]), "next"),
    "start (ad report)": lambda w: (
        reverse("admin:ads_placement_report", args=[w["placement"].pk]),
        "start",
    ),
}


def hostile_answer(response) -> str | None:
    """What is wrong with the answer to a hostile address, or None."""
    # 400: admin addresses carrying control characters (web.middleware).
    if response.status_code not in (200, 204, 301, 302, 400, 403, 404):
        return f"status {response.status_code}"
    if found := executable_markup(response.content.decode()):
        return f"runs {found}"
    if response.status_code in (301, 302) and not stays_on_site(response["Location"]):
        return f"leaves the site for {response['Location']}"
    return None


@pytest.mark.parametrize("parameter", QUERY_PARAMETERS)
def test_hostile_query_parameters_never_fail_or_inject(client, request, url_world, parameter):
    if parameter.startswith(("page (my", "start")):
        role = "ad_staff" if "report" in parameter else "reader"
        client.force_login(request.getfixturevalue(role))
    path, name = QUERY_PARAMETERS[parameter](url_world)
    separator = "&" if "?" in path else "?"

    failures = {}
    for value, encoded in URL_VALUES.items():
        response = client.get(f"{path}{separator}{name}={encoded}")
        if problem := hostile_answer(response):
            failures[value] = problem

    assert failures == {}


# Every path with a number or a slug in it; {} is the hostile part.
PATHS = [
    "/articles/{}/",
    "/articles/{}/smart/",
    "/articles/1/{}/",
    "/articles/{}/email/",
    "/sections/{}/",
    "/sections/{}/rss/",
    "/tags/{}/",
    "/reporters/{}/",
    "/reporters/{}/rss/",
    "/comments/{}/reply/",
    "/comments/{}/edit/",
    "/comments/{}/delete/",
    "/comments/{}/report/",
    "/ads/{}/click/",
    "/ads/{}/frame/",
    "/layout/{}/",
    "/language/{}/",
]
POST_PATHS = [
    "/articles/{}/viewed/",
    "/comments/articles/{}/post/",
    "/comments/articles/{}/open/",
    "/comments/{}/vote/",
    "/comments/{}/moderate/",
]
PATH_VALUES = {
    **{key: value for key, value in URL_VALUES.items() if key != "long"},
    "korean": "%ED%95%9C%EA%B8%80",
    "long": "%EA%B0%80" * 2_000,
    "nul-in-korean": "%ED%95%9C%00",
}


@pytest.mark.parametrize("path", PATHS + POST_PATHS)
def test_hostile_ids_and_slugs_in_paths_never_fail_or_inject(client, url_world, moderator, path):
    client.force_login(moderator)
    send = client.post if path in POST_PATHS else client.get

    failures = {}
    for value, encoded in PATH_VALUES.items():
        response = send(path.format(encoded), {"value": "like"}, HTTP_USER_AGENT=BROWSER)
        if problem := hostile_answer(response):
            failures[value] = problem

    assert failures == {}


def test_a_huge_article_number_in_the_view_beacon_spoils_no_ones_count(client, article):
    """The beacon's number goes into a batch with other readers' views: it must not fail it."""
    client.post(f"/articles/{'9' * 30}/viewed/", HTTP_USER_AGENT=BROWSER)
    response = client.post(reverse("articles:viewed", args=[article.pk]), HTTP_USER_AGENT=BROWSER)

    assert response.status_code == 204
    article.refresh_from_db()
    assert article.view_count == 1


@pytest.mark.parametrize("parent", ["²", "١٢", "9" * 30, "-1", "abc", "1.0", "\x00"])
def test_a_tampered_reply_target_never_fails_and_keeps_the_comment(client, reader, article, parent):
    client.force_login(reader)

    response = client.post(
        reverse("comments:post", args=[article.pk]), {"body": "답글입니다", "parent": parent}
    )

    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert "답글입니다" in response.content.decode()
    assert not Comment.objects.filter(parent__isnull=False).exists()


def test_hostile_display_names_are_escaped_wherever_comments_show(client, article):
    user = User.objects.create_user(
        "mallory", password="x" * 12, display_name='"><svg onload=alert(1)>'
    )
    client.force_login(user)
    client.post(reverse("comments:post", args=[article.pk]), {"body": "안녕하세요"})

    for url in (article.get_absolute_url(), reverse("comments:mine"), reverse("articles:home")):
        content = client.get(url).content.decode()
        assert_nothing_runs(content)
        assert "&quot;&gt;&lt;svg onload=alert(1)&gt;" in content


@pytest.mark.parametrize(
    "url",
    [
        "/admin/articles/article/?status=%00",
        "/admin/articles/article/?q=%00",
        "/admin/autocomplete/?app_label=articles&model_name=article&field_name=related&term=%00",
    ],
)
def test_admin_queries_with_nul_are_refused_not_crashed(client, editor, url):
    client.force_login(editor)

    assert client.get(url).status_code == 400


def test_imported_categories_without_letters_make_no_broken_tags(client, db, tmp_path):
    from django.core.management import call_command

    from articles.models import Article

    feed = tmp_path / "feed.xml"
    feed.write_text(
        """<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title>
        <item><title>별표 기사</title><link>https://old.example/news/articleView.html?idxno=7</link>
        <description>&lt;p&gt;본문&lt;/p&gt;</description><category>산업</category>
        <category>★</category><category>로봇</category>
        <pubDate>Wed, 27 Jan 2021 16:23:10 +0900</pubDate></item></channel></rss>""",
        encoding="utf-8",
    )

    call_command("import_feed", str(feed), stdout=open(tmp_path / "out", "w"))  # noqa: SIM115

    article = Article.objects.get(legacy_id=7)
    assert [tag.name for tag in article.tags.all()] == ["로봇"]
    assert client.get(article.get_absolute_url()).status_code == 200
