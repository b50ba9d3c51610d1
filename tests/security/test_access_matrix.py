"""Who may change what, over HTTP: every state-changing endpoint by every role.

The expected allow/deny is the table below. Each cell is tried against the same data
(rolled back after every request) and judged by what happened to the database: an
allowed request changes it, a denied one changes nothing at all.
"""

import pytest
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core import mail
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from taggit.models import Tag

from accounts.models import User
from ads.models import AdSlot, AdStat, Advertiser, Placement
from articles.models import Article, ArticleAutosave, DailyViews, Photo, Section
from comments.models import Comment, CommentBan, CommentReport, CommentVote
from outlet.models import SiteSettings
from reporters.models import Reporter
from tests.factories import (
    AdSlotFactory,
    AdvertiserFactory,
    ArticleFactory,
    CommentFactory,
    PhotoFactory,
    PlacementFactory,
    UserFactory,
    image_bytes,
)

from .conftest import BROWSER
from .helpers import form_data, stays_on_site

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "reader_a",
    "reader_b",
    "banned",
    "reporter",
    "editor",
    "moderator",
    "ad_staff",
)
ROLE_FIXTURES = {
    "anonymous": None,
    "reader_a": "reader",
    "reader_b": "other_reader",
    "banned": "banned_reader",
    "reporter": "reporter_user",
    "editor": "editor",
    "moderator": "moderator",
    "ad_staff": "ad_staff",
}

Y, N = "allow", "deny"
ALL, NOBODY = (Y,) * 8, (N,) * 8

# fmt: off
MATRIX = {
    # columns: anonymous, reader A, reader B, banned reader, reporter, editor, moderator, ad staff
    # Guests comment under a nickname (site setting, on by default); banned readers cannot.
    "post a comment":                       (Y, Y, Y, N, Y, Y, Y, Y),
    # Only the author edits or deletes a comment; moderators hide, they do not edit.
    "edit reader A's comment":              (N, Y, N, N, N, N, N, N),
    "delete reader A's comment":            (N, Y, N, N, N, N, N, N),
    # A guest's comment is managed with its password alone: being logged in, as whoever,
    # is no substitute; one written before guests chose passwords is the moderators'.
    "edit a guest's comment with its password":   ALL,
    "delete a guest's comment with its password": ALL,
    "edit a guest's comment with a wrong password":   NOBODY,
    "delete a guest's comment with a wrong password": NOBODY,
    "edit an old guest comment (no password)":  NOBODY,
    "delete an old guest comment (no password)": NOBODY,
    "vote on reader A's comment":           (N, Y, Y, N, Y, Y, Y, Y),
    # Nobody reports their own comment; a banned reader may still report abuse.
    "report reader A's comment":            (N, N, Y, Y, Y, Y, Y, Y),
    "hide a comment (moderate)":            (N, N, N, N, N, Y, Y, N),
    "close an article's comments":          (N, N, N, N, N, Y, Y, N),
    "email the article":                    ALL,
    # A link: GET counts the click and redirects (documented exception to "no change on GET").
    "click a banner (GET)":                 ALL,
    # Beacons: POST only, no CSRF token (sendBeacon cannot send one), can only add one.
    "ad impression beacon":                 ALL,
    "article view beacon":                  ALL,
    # The admin. Reporters change their own unpublished articles; editors everything editorial.
    "admin: change a reporter's draft":     (N, N, N, N, Y, Y, N, N),
    "admin: change a published article":    (N, N, N, N, N, Y, N, N),
    "admin: add an article":                (N, N, N, N, Y, Y, N, N),
    "admin: delete an article":             (N, N, N, N, N, Y, N, N),
    # The writing screen's autosave: whoever may edit the article (or add one), nobody else.
    "admin: autosave a reporter's draft":   (N, N, N, N, Y, Y, N, N),
    "admin: autosave a published article":  (N, N, N, N, N, Y, N, N),
    "admin: autosave a new article":        (N, N, N, N, Y, Y, N, N),
    # Deleting an article would erase its comments, which nobody may do.
    "admin: delete an article with comments": NOBODY,
    # Changing a photo changes every story that shows it: on another's story, editors only.
    "admin: change the photo of another reporter's article": (N, N, N, N, N, Y, N, N),
    "admin: delete the photo of another reporter's article": (N, N, N, N, N, Y, N, N),
    "admin: change a comment's status":     (N, N, N, N, N, Y, Y, N),
    # The moderation queue's own buttons, and bans: moderators and editors only.
    "admin: hide a comment from the queue": (N, N, N, N, N, Y, Y, N),
    "admin: bar a reader from commenting":  (N, N, N, N, N, Y, Y, N),
    "admin: lift a reader's ban":           (N, N, N, N, N, Y, Y, N),
    # Comments are never written or erased in the admin, not even by a superuser.
    "admin: add a comment":                 NOBODY,
    "admin: delete a comment":              NOBODY,
    "admin: change a placement":            (N, N, N, N, N, N, N, Y),
    "admin: add a placement":               (N, N, N, N, N, N, N, Y),
    "admin: delete a placement":            (N, N, N, N, N, N, N, Y),
    "admin: change an ad slot":             (N, N, N, N, N, N, N, Y),
    "admin: add an ad slot":                (N, N, N, N, N, N, N, Y),
    "admin: delete an ad slot":             (N, N, N, N, N, N, N, Y),
    "admin: change an advertiser":          (N, N, N, N, N, N, N, Y),
    "admin: add an advertiser":             (N, N, N, N, N, N, N, Y),
    "admin: delete an advertiser":          (N, N, N, N, N, N, N, Y),
    "admin: change the site settings":      (N, N, N, N, N, Y, N, N),
    "admin: add site settings":             NOBODY,
    "admin: delete the site settings":      NOBODY,
    # Accounts are the superuser's: nobody else adds, changes (say, to superuser) or deletes one.
    "admin: make a user a superuser":       NOBODY,
    "admin: add a user":                    NOBODY,
    "admin: delete a user":                 NOBODY,
}
# fmt: on


def snapshot() -> dict:
    """Every row that any endpoint above could change, and the mail sent."""
    models = [
        User, Group, Article, ArticleAutosave, Photo, Section, Tag, DailyViews, Reporter,
        Comment, CommentVote, CommentReport, CommentBan, AdSlot, Advertiser, Placement, AdStat,
        SiteSettings,
    ]  # fmt: skip
    state = {model.__name__: sorted(map(str, model.objects.values_list())) for model in models}
    state["user groups"] = sorted(map(str, User.groups.through.objects.values_list()))
    state["mail"] = [message.to for message in mail.outbox]
    return state


@pytest.fixture
def world(
    superuser, reader, other_reader, banned_reader, reporter_user, editor, moderator, ad_staff
):
    """The objects the endpoints act on, and a superuser's copy of each admin form."""
    slot = AdSlot.objects.get(key="sub-right")
    w = {
        "article": ArticleFactory(
            title="공개 기사",
            slug="public",
            lead_photo=PhotoFactory(image=ContentFile(image_bytes(60, 40), name="small.png")),
        ),
        "draft": ArticleFactory(
            title="오기자의 초고", status=Article.Status.DRAFT, reporter=reporter_user.reporter
        ),
        "placement": PlacementFactory(slot=slot),
        "spare_placement": PlacementFactory(slot=slot, name="지울 광고"),
        "spare_slot": AdSlotFactory(key="spare", name="빈 자리"),
        "spare_advertiser": AdvertiserFactory(name="광고 없는 광고주"),
        "target_user": UserFactory(username="target"),
    }
    w["photo"] = w["article"].lead_photo
    w["comment"] = CommentFactory(article=w["article"], user=reader, body="독자 A의 댓글")
    w["guest_comment"] = CommentFactory(
        article=w["article"],
        user=None,
        guest_name="손님",
        guest_password=make_password("손님비밀번호"),
        body="손님 댓글",
    )
    w["old_guest_comment"] = CommentFactory(
        article=w["article"], user=None, guest_name="옛손님", body="비밀번호 없는 옛 댓글"
    )
    SiteSettings.current()

    w["forms"] = AdminForms(superuser, w)
    return w


class AdminForms(dict):
    """A superuser's copy of each admin form, read the first time a test needs it."""

    PAGES = {
        "draft": ("admin:articles_article_change", "draft"),
        "article": ("admin:articles_article_change", "article"),
        "article_add": ("admin:articles_article_add", None),
        "photo": ("admin:articles_photo_change", "photo"),
        "comment": ("admin:comments_comment_change", "comment"),
        "placement": ("admin:ads_placement_change", "placement"),
        "placement_add": ("admin:ads_placement_add", None),
        "slot": ("admin:ads_adslot_change", "slot"),
        "advertiser": ("admin:ads_advertiser_change", "advertiser"),
        "settings": ("admin:outlet_sitesettings_change", "settings"),
        "user": ("admin:accounts_user_change", "target_user"),
        "user_add": ("admin:accounts_user_add", None),
    }

    def __init__(self, superuser, world):
        super().__init__()
        self.superuser, self.world = superuser, world

    def __missing__(self, form):
        url_name, key = self.PAGES[form]
        objects = {
            **self.world,
            "slot": self.world["placement"].slot,
            "advertiser": self.world["placement"].advertiser,
            "settings": SiteSettings.current(),
        }
        admin = Client()
        admin.force_login(self.superuser)
        response = admin.get(reverse(url_name, args=[objects[key].pk] if key else []))
        assert response.status_code == 200, url_name
        self[form] = form_data(response.content.decode())
        return self[form]


def banner():
    return SimpleUploadedFile("banner.png", image_bytes(300, 250), content_type="image/png")


def admin_post(form: str, url_name: str, *args, **changes):
    def build(w):
        data = {
            key: value for key, value in w["forms"][form].items() if key != "csrfmiddlewaretoken"
        }
        return (
            "post",
            reverse(url_name, args=[a(w) if callable(a) else a for a in args]),
            data | {key: value(w) if callable(value) else value for key, value in changes.items()},
        )

    return build


def admin_delete(url_name: str, pick):
    return lambda w: ("post", reverse(url_name, args=[pick(w).pk]), {"post": "yes"})


def pk_of(key):
    return lambda w: w[key].pk


def guest_request(url_name: str, comment: str, **data):
    return lambda w: ("post", reverse(f"comments:{url_name}", args=[w[comment].pk]), data)


# How each endpoint is called: (method, url, data) from the world.
REQUESTS = {
    "post a comment": lambda w: (
        "post",
        reverse("comments:post", args=[w["article"].pk]),
        {"body": "새 의견입니다", "guest_name": "손님", "guest_password": "1234"},
    ),
    "edit reader A's comment": lambda w: (
        "post",
        reverse("comments:edit", args=[w["comment"].pk]),
        {"body": "고친 댓글"},
    ),
    "delete reader A's comment": lambda w: (
        "post",
        reverse("comments:delete", args=[w["comment"].pk]),
        {},
    ),
    "edit a guest's comment with its password": guest_request(
        "guest_edit", "guest_comment", password="손님비밀번호", body="손님이 고친 댓글"
    ),
    "delete a guest's comment with its password": guest_request(
        "guest_delete", "guest_comment", password="손님비밀번호"
    ),
    "edit a guest's comment with a wrong password": guest_request(
        "guest_edit", "guest_comment", password="틀린비밀번호", body="남이 고친 댓글"
    ),
    "delete a guest's comment with a wrong password": guest_request(
        "guest_delete", "guest_comment", password="틀린비밀번호"
    ),
    "edit an old guest comment (no password)": guest_request(
        "guest_edit", "old_guest_comment", password="", body="남이 고친 댓글"
    ),
    "delete an old guest comment (no password)": guest_request(
        "guest_delete", "old_guest_comment", password=""
    ),
    "vote on reader A's comment": lambda w: (
        "post",
        reverse("comments:vote", args=[w["comment"].pk]),
        {"value": "like"},
    ),
    "report reader A's comment": lambda w: (
        "post",
        reverse("comments:report", args=[w["comment"].pk]),
        {"reason": "abuse"},
    ),
    "hide a comment (moderate)": lambda w: (
        "post",
        reverse("comments:moderate", args=[w["comment"].pk]),
        {"action": "hide"},
    ),
    "close an article's comments": lambda w: (
        "post",
        reverse("comments:open", args=[w["article"].pk]),
        {"open": "0"},
    ),
    "email the article": lambda w: (
        "post",
        reverse("articles:email", args=[w["article"].pk]),
        {"recipient": "friend@example.com", "sender_name": "홍길동"},
    ),
    "click a banner (GET)": lambda w: (
        "get",
        reverse("ads:click", args=[w["placement"].pk]),
        {},
    ),
    "ad impression beacon": lambda w: (
        "post",
        reverse("ads:impressions"),
        {"placement": [w["placement"].pk]},
    ),
    "article view beacon": lambda w: (
        "post",
        reverse("articles:viewed", args=[w["article"].pk]),
        {},
    ),
    "admin: change a reporter's draft": admin_post(
        "draft", "admin:articles_article_change", pk_of("draft"), title="고친 초고"
    ),
    "admin: change a published article": admin_post(
        "article", "admin:articles_article_change", pk_of("article"), title="고친 기사"
    ),
    "admin: add an article": admin_post(
        "article_add",
        "admin:articles_article_add",
        title="새 기사",
        slug="new",
        section=lambda w: w["article"].section.pk,
        body="<p>본문</p>",
        status=Article.Status.DRAFT,
    ),
    "admin: delete an article": admin_delete("admin:articles_article_delete", lambda w: w["draft"]),
    "admin: autosave a reporter's draft": lambda w: (
        "post",
        reverse("admin:articles_article_autosave", args=[w["draft"].pk]),
        {"title": "자동 저장된 초고", "body": "<p>본문</p>"},
    ),
    "admin: autosave a published article": lambda w: (
        "post",
        reverse("admin:articles_article_autosave", args=[w["article"].pk]),
        {"title": "자동 저장된 기사"},
    ),
    "admin: autosave a new article": lambda w: (
        "post",
        reverse("admin:articles_article_autosave"),
        {"title": "새 기사 초고"},
    ),
    "admin: delete an article with comments": admin_delete(
        "admin:articles_article_delete", lambda w: w["article"]
    ),
    "admin: change the photo of another reporter's article": admin_post(
        "photo", "admin:articles_photo_change", pk_of("photo"), caption="바꾼 사진 설명"
    ),
    "admin: delete the photo of another reporter's article": admin_delete(
        "admin:articles_photo_delete", lambda w: w["photo"]
    ),
    "admin: change a comment's status": admin_post(
        "comment", "admin:comments_comment_change", pk_of("comment"), status="hidden"
    ),
    "admin: hide a comment from the queue": lambda w: (
        "post",
        reverse("admin:comments_comment_hide", args=[w["comment"].pk]),
        {},
    ),
    "admin: bar a reader from commenting": lambda w: (
        "post",
        reverse("admin:comments_commentban_add"),
        {"user": w["target_user"].username, "reason": "abuse", "term": "7"},
    ),
    "admin: lift a reader's ban": lambda w: (
        "post",
        reverse(
            "admin:comments_commentban_lift",
            args=[CommentBan.objects.get(user__username="banned").pk],
        ),
        {},
    ),
    "admin: add a comment": lambda w: (
        "post",
        reverse("admin:comments_comment_add"),
        {"article": w["article"].pk, "body": "관리자 댓글", "status": "visible"},
    ),
    "admin: delete a comment": admin_delete(
        "admin:comments_comment_delete", lambda w: w["comment"]
    ),
    "admin: change a placement": admin_post(
        "placement", "admin:ads_placement_change", pk_of("placement"), name="바꾼 이름"
    ),
    "admin: add a placement": admin_post(
        "placement_add",
        "admin:ads_placement_add",
        advertiser=lambda w: w["spare_advertiser"].pk,
        name="새 광고",
        slot=lambda w: w["placement"].slot.pk,
        kind="image",
        image=lambda w: banner(),
        alt_text="새 광고",
        target_url="https://robot.example/",
    ),
    "admin: delete a placement": admin_delete(
        "admin:ads_placement_delete", lambda w: w["spare_placement"]
    ),
    "admin: change an ad slot": admin_post(
        "slot", "admin:ads_adslot_change", lambda w: w["placement"].slot.pk, name="바꾼 자리"
    ),
    "admin: add an ad slot": lambda w: (
        "post",
        reverse("admin:ads_adslot_add"),
        {
            "key": "new-slot",
            "name": "새 자리",
            "width": "300",
            "height": "100",
            "max_placements": "1",
            "rotation": "position",
            "is_active": "on",
        },
    ),
    "admin: delete an ad slot": admin_delete("admin:ads_adslot_delete", lambda w: w["spare_slot"]),
    "admin: change an advertiser": admin_post(
        "advertiser",
        "admin:ads_advertiser_change",
        lambda w: w["placement"].advertiser.pk,
        name="바꾼 광고주",
    ),
    "admin: add an advertiser": lambda w: (
        "post",
        reverse("admin:ads_advertiser_add"),
        {"name": "새 광고주", "contact_email": ""},
    ),
    "admin: delete an advertiser": admin_delete(
        "admin:ads_advertiser_delete", lambda w: w["spare_advertiser"]
    ),
    "admin: change the site settings": admin_post(
        "settings", "admin:outlet_sitesettings_change", 1, name="바꾼 이름"
    ),
    "admin: add site settings": lambda w: (
        "post",
        reverse("admin:outlet_sitesettings_add"),
        {"name": "두 번째", "pk": "2"},
    ),
    "admin: delete the site settings": lambda w: (
        "post",
        reverse("admin:outlet_sitesettings_delete", args=[1]),
        {"post": "yes"},
    ),
    "admin: make a user a superuser": admin_post(
        "user",
        "admin:accounts_user_change",
        pk_of("target_user"),
        is_superuser="on",
        is_staff="on",
    ),
    "admin: add a user": admin_post(
        "user_add",
        "admin:accounts_user_add",
        username="intruder",
        password1="a-long-and-unusual-passphrase",
        password2="a-long-and-unusual-passphrase",
    ),
    "admin: delete a user": admin_delete("admin:accounts_user_delete", lambda w: w["target_user"]),
}

POST_ENDPOINTS = [name for name in MATRIX if name != "click a banner (GET)"]
BEACONS = {"ad impression beacon", "article view beacon"}


def send(client, method, url, data):
    return getattr(client, method)(url, data, HTTP_USER_AGENT=BROWSER)


def judge(response, changed: bool) -> str:
    status = response.status_code
    if changed:
        return Y if status in (200, 204, 302) else f"changed, yet answered {status}"
    if status in (302, 403, 404):
        return N
    return f"changed nothing, answered {status}"


def try_as(request, role, attempt, *, enforce_csrf_checks=False):
    """The outcome of ``attempt`` by ``role``, judged on the data, then rolled back."""
    with transaction.atomic():
        cache.clear()  # rate limits and repeat windows start afresh for each role
        mail.outbox = []
        client = Client(enforce_csrf_checks=enforce_csrf_checks)
        if fixture := ROLE_FIXTURES[role]:
            client.force_login(request.getfixturevalue(fixture))
        before = snapshot()
        response = attempt(client)
        verdict = judge(response, snapshot() != before)
        transaction.set_rollback(True)
    return verdict, response


def test_the_table_covers_every_endpoint_and_role():
    assert set(MATRIX) == set(REQUESTS)
    assert all(len(row) == len(ROLES) for row in MATRIX.values())


@pytest.mark.parametrize("endpoint", MATRIX)
def test_access_matrix(request, world, endpoint):
    method, url, _data = REQUESTS[endpoint](world)

    actual = {}
    for role in ROLES:
        payload = REQUESTS[endpoint](world)[2]  # fresh uploads for every try
        actual[role], _response = try_as(
            request, role, lambda client, payload=payload: send(client, method, url, payload)
        )

    assert actual == dict(zip(ROLES, MATRIX[endpoint], strict=True))


def first_allowed_role(endpoint) -> str:
    return ROLES[MATRIX[endpoint].index(Y)] if Y in MATRIX[endpoint] else "editor"


def test_get_changes_nothing(request, world):
    """Each endpoint hit with GET by someone who may POST to it: nothing changes.

    The banner click is the documented exception (a link: GET counts it), so it is not here.
    """
    changed = {}
    for endpoint in POST_ENDPOINTS:
        _method, url, _data = REQUESTS[endpoint](world)
        verdict, response = try_as(
            request,
            first_allowed_role(endpoint),
            lambda client, url=url: client.get(url, HTTP_USER_AGENT=BROWSER),
        )
        if verdict not in (N, f"changed nothing, answered {response.status_code}"):
            changed[endpoint] = verdict
        elif response.status_code not in (200, 302, 403, 404, 405):
            changed[endpoint] = f"answered {response.status_code}"

    assert changed == {}


def test_a_post_without_a_csrf_token_is_refused_and_changes_nothing(request, world):
    """Every POST endpoint, by someone allowed to use it, without the token: 403, no change.

    The two beacons are csrf_exempt by design (see MATRIX): they answer 204 and count.
    """
    outcomes, expected = {}, {}
    for endpoint in POST_ENDPOINTS:
        method, url, _data = REQUESTS[endpoint](world)
        verdict, response = try_as(
            request,
            first_allowed_role(endpoint),
            lambda client, method=method, url=url, endpoint=endpoint: send(
                client, method, url, REQUESTS[endpoint](world)[2]
            ),
            enforce_csrf_checks=True,
        )
        outcomes[endpoint] = (verdict, response.status_code)
        expected[endpoint] = (Y, 204) if endpoint in BEACONS else (N, 403)

    assert outcomes == expected


def test_a_comment_refused_by_the_csrf_check_comes_back_with_its_text(world):
    client = Client(enforce_csrf_checks=True)
    url = reverse("comments:post", args=[world["article"].pk])

    response = client.post(url, {"body": "오래 열어 둔 페이지의 의견", "guest_name": "손님"})

    content = response.content.decode()
    assert response.status_code == 403
    assert "오래 열어 둔 페이지의 의견" in content and 'value="손님"' in content
    # True for a page left open and for a first visit without JavaScript (no cookie yet).
    assert "보안 확인을 위해 비밀번호를 다시 입력하고 등록을 눌러 주세요" in content
    assert not Comment.objects.filter(body="오래 열어 둔 페이지의 의견").exists()


def test_the_click_counts_only_on_get_and_the_beacons_only_on_post(world, client):
    placement, article = world["placement"], world["article"]

    assert client.post(reverse("ads:click", args=[placement.pk])).status_code == 405
    assert client.get(reverse("ads:impressions")).status_code == 405
    assert client.get(reverse("articles:viewed", args=[article.pk])).status_code == 405
    assert not AdStat.objects.exists() and not DailyViews.objects.exists()


# --- next= never leaves the site --------------------------------------------------------

OFF_SITE = [
    "//evil.example",
    "https://evil.example/",
    "/\\evil.example",
    "\\\\evil.example",
    "///evil.example",
    "javascript:alert(1)",
    "http://testserver@evil.example/",
    "http:evil.example",
    "https:/evil.example",
    "\t//evil.example",
    "/%2F/evil.example",
    "data:text/html,<script>alert(1)</script>",
]
# Not addresses at all: must not be taken for names of views (a 500) either.
NOT_ADDRESSES = ["abc", "0", "1' OR '1'='1", "articles:home"]


def landing(response) -> str:
    assert response.status_code in (301, 302), response.status_code
    return response["Location"]


@pytest.mark.parametrize("next_url", OFF_SITE + NOT_ADDRESSES)
def test_next_never_leaves_the_site_anywhere(client, reader, next_url):
    password = "correct-horse-battery"
    places = {}

    places["login"] = landing(
        client.post(
            reverse("accounts:login"),
            {"username": "reader", "password": password, "next": next_url},
        )
    )
    places["login, already logged in"] = landing(
        client.get(reverse("accounts:login"), {"next": next_url})
    )
    places["sign-up, already logged in"] = landing(
        client.get(reverse("accounts:signup"), {"next": next_url})
    )
    places["logout"] = landing(client.post(reverse("accounts:logout"), {"next": next_url}))
    places["sign-up"] = landing(
        client.post(
            reverse("accounts:signup"),
            {
                "username": "newreader",
                "display_name": "새독자",
                "email": "new@example.com",
                "password1": "a-long-and-unusual-passphrase",
                "password2": "a-long-and-unusual-passphrase",
                "privacy_consent": "on",
                "next": next_url,
            },
        )
    )
    for name in ("set_layout", "set_language"):
        arg = "mobile" if name == "set_layout" else "en"
        places[name] = landing(client.get(reverse(name, args=[arg]), {"next": next_url}))

    assert {place: url for place, url in places.items() if not stays_on_site(url)} == {}


@pytest.mark.parametrize("referer", ["https://evil.example/", "//evil.example/x"])
def test_the_login_link_after_a_refused_vote_never_leads_off_site(client, world, referer):
    response = client.post(
        reverse("comments:vote", args=[world["comment"].pk]),
        {"value": "like"},
        HTTP_REFERER=referer,
    )

    assert response.status_code == 403
    assert "evil.example" not in response.content.decode()


def test_the_login_forms_carry_only_a_safe_next(client):
    for name in ("accounts:login", "accounts:signup"):
        response = client.get(reverse(name), {"next": "https://evil.example/"})
        assert stays_on_site(form_data(response.content.decode())["next"] or "/")


def test_a_reporter_cannot_escalate_through_the_groups_admin(client, reporter_user, editor):
    for user in (reporter_user, editor):
        client.force_login(user)
        group = Group.objects.get(name="Reporters")
        response = client.post(
            reverse("admin:auth_group_change", args=[group.pk]),
            {"name": "Reporters", "permissions": []},
        )
        assert response.status_code == 403
        assert group.permissions.exists()


def test_no_staff_role_can_read_another_users_password_hash_or_sessions(
    client, editor, moderator, reader
):
    for user in (editor, moderator):
        client.force_login(user)
        content = client.get(reverse("admin:accounts_user_change", args=[reader.pk])).content
        assert reader.password.encode() not in content


def test_ad_staff_cannot_reach_the_users_or_groups(client, ad_staff):
    client.force_login(ad_staff)

    for name in ("admin:accounts_user_changelist", "admin:auth_group_changelist"):
        assert client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("reporter_user", False), ("moderator", False), ("ad_staff", False), ("editor", True)],
)
def test_sections_are_editorial_only(client, request, role, allowed):
    client.force_login(request.getfixturevalue(role))

    client.post(
        reverse("admin:articles_section_add"),
        {"name": "새 섹션", "slug": "new", "position": "0", "is_active": "on"},
    )

    assert Section.objects.filter(slug="new").exists() == allowed
