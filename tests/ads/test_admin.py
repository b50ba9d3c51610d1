"""Ad staff in the admin: what each role may reach, banner uploads, ad code, the list's figures."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ads.models import Advertiser, Placement
from articles.models import Article
from tests.factories import (
    AdStatFactory,
    AdvertiserFactory,
    PlacementFactory,
    SectionFactory,
    UserFactory,
    image_bytes,
)

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "reader", "reporter_user", "editor", "moderator", "ad_staff"]
ALLOWED = {"ad_staff"}
# Admin pages of the ads app, and the object each needs.
ADS_PAGES = [
    ("admin:ads_placement_changelist", None),
    ("admin:ads_placement_add", None),
    ("admin:ads_placement_change", "placement"),
    ("admin:ads_placement_delete", "placement"),
    ("admin:ads_placement_report", "placement"),
    ("admin:ads_placement_report_csv", "placement"),
    ("admin:ads_advertiser_changelist", None),
    ("admin:ads_advertiser_add", None),
    ("admin:ads_advertiser_change", "advertiser"),
    ("admin:ads_advertiser_report", "advertiser"),
    ("admin:ads_advertiser_report_csv", "advertiser"),
    ("admin:ads_adslot_changelist", None),
    ("admin:ads_adslot_change", "slot"),
    ("admin:ads_adstat_changelist", None),
]


def log_in(client, request, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))


def placement_form(slot, advertiser, **overrides):
    start = timezone.localtime() - timedelta(hours=1)
    end = start + timedelta(days=7)
    data = {
        "advertiser": advertiser.pk,
        "name": "봄맞이 협동로봇 캠페인",
        "slot": slot.pk,
        "kind": "image",
        "alt_text": "협동로봇 신제품 출시",
        "target_url": "https://robot.example/spring",
        "starts_at_0": start.strftime("%Y-%m-%d"),
        "starts_at_1": start.strftime("%H:%M:%S"),
        "ends_at_0": end.strftime("%Y-%m-%d"),
        "ends_at_1": end.strftime("%H:%M:%S"),
        "weight": "1",
        "position": "0",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def banner_upload(width=300, height=250, content=None, name="banner.png"):
    return SimpleUploadedFile(
        name, content or image_bytes(width, height, "PNG"), content_type="image/png"
    )


class TestAccess:
    @pytest.mark.parametrize("role", ROLES)
    def test_only_ad_staff_reach_the_ads_admin(self, client, request, sub_right, role):
        placement = PlacementFactory(slot=sub_right)
        objects = {"placement": placement, "advertiser": placement.advertiser, "slot": sub_right}
        log_in(client, request, role)

        for name, needs in ADS_PAGES:
            url = reverse(name, args=[objects[needs].pk] if needs else [])
            response = client.get(url)
            if role in ALLOWED:
                assert response.status_code == 200, url
            elif role in ("anonymous", "reader"):
                assert response.status_code == 302, url
                assert response["Location"].startswith(reverse("admin:login")), url
            else:
                assert response.status_code == 403, url

    @pytest.mark.parametrize("role", ["anonymous", "reader", "reporter_user", "editor"])
    def test_nobody_else_can_create_or_change_placements(self, client, request, sub_right, role):
        placement = PlacementFactory(slot=sub_right, name="원래 이름")
        log_in(client, request, role)

        client.post(
            reverse("admin:ads_placement_add"),
            placement_form(sub_right, placement.advertiser, image=banner_upload()),
        )
        client.post(
            reverse("admin:ads_placement_change", args=[placement.pk]),
            placement_form(sub_right, placement.advertiser, name="바꿔치기"),
        )
        client.post(reverse("admin:ads_placement_delete", args=[placement.pk]), {"post": "yes"})

        assert list(Placement.objects.values_list("name", flat=True)) == ["원래 이름"]

    def test_ad_staff_cannot_touch_articles_or_comments(self, client, ad_staff, published_article):
        client.force_login(ad_staff)

        for name, args in [
            ("admin:articles_article_changelist", []),
            ("admin:articles_article_add", []),
            ("admin:articles_article_change", [published_article.pk]),
            ("admin:articles_section_changelist", []),
            ("admin:comments_comment_changelist", []),
        ]:
            assert client.get(reverse(name, args=args)).status_code == 403, name

        response = client.post(
            reverse("admin:articles_article_add"),
            {"title": "광고팀 기사", "slug": "ad", "section": SectionFactory().pk, "body": "x"},
        )
        client.post(
            reverse("admin:articles_article_delete", args=[published_article.pk]), {"post": "yes"}
        )

        assert response.status_code == 403
        assert list(Article.objects.all()) == [published_article]

    def test_the_admin_index_shows_ad_staff_only_advertising(self, client, ad_staff):
        client.force_login(ad_staff)

        content = client.get(reverse("admin:index")).content.decode()

        assert reverse("admin:ads_placement_changelist") in content
        assert reverse("admin:articles_article_changelist") not in content


class TestBannerUpload:
    def test_ad_staff_create_an_advertiser_and_a_banner_placement(
        self, client, ad_staff, sub_right, media_root
    ):
        client.force_login(ad_staff)
        client.post(
            reverse("admin:ads_advertiser_add"),
            {"name": "한빛정밀기계", "contact_email": "ad@hanbit.example"},
        )
        advertiser = Advertiser.objects.get(name="한빛정밀기계")

        response = client.post(
            reverse("admin:ads_placement_add"),
            placement_form(sub_right, advertiser, image=banner_upload(name="../../evil.png")),
        )

        assert response.status_code == 302, response.context["adminform"].form.errors
        placement = Placement.objects.get()
        assert placement.status == Placement.Status.LIVE
        assert placement.image.name.startswith("ads/") and "evil" not in placement.image.name
        assert (media_root / placement.image.name).exists()
        assert (placement.image_width, placement.image_height) == (300, 250)

    def test_a_banner_twice_the_slot_size_is_accepted_for_high_density_screens(
        self, client, ad_staff, sub_right
    ):
        client.force_login(ad_staff)

        response = client.post(
            reverse("admin:ads_placement_add"),
            placement_form(sub_right, AdvertiserFactory(), image=banner_upload(600, 500)),
        )

        assert response.status_code == 302
        assert Placement.objects.get().image_width == 600

    def test_a_banner_of_the_wrong_size_is_refused_saying_why_and_the_form_is_kept(
        self, client, ad_staff, sub_right
    ):
        client.force_login(ad_staff)

        response = client.post(
            reverse("admin:ads_placement_add"),
            placement_form(sub_right, AdvertiserFactory(), image=banner_upload(640, 400)),
        )

        content = response.content.decode()
        assert response.status_code == 200
        assert "640x400" in content and "300x250" in content and "600x500" in content
        assert 'value="봄맞이 협동로봇 캠페인"' in content
        assert 'value="https://robot.example/spring"' in content
        assert not Placement.objects.exists()

    @pytest.mark.parametrize(
        ("content", "name"),
        [
            (b"this is not an image", "banner.png"),
            (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "banner.svg"),
            (image_bytes(300, 250, "PNG") + b"<script>alert(1)</script>", "banner.png"),
        ],
    )
    def test_files_that_are_not_clean_images_are_refused_or_cleaned(
        self, client, ad_staff, sub_right, media_root, content, name
    ):
        client.force_login(ad_staff)

        response = client.post(
            reverse("admin:ads_placement_add"),
            placement_form(
                sub_right, AdvertiserFactory(), image=banner_upload(content=content, name=name)
            ),
        )

        if response.status_code == 200:
            assert "올바른 이미지" in response.content.decode()
            assert not Placement.objects.exists()
        else:  # a real image with bytes appended: stored re-encoded, without them
            stored = (media_root / Placement.objects.get().image.name).read_bytes()
            assert b"<script>" not in stored

    @pytest.mark.parametrize(
        "url", ["javascript:alert(1)", "data:text/html,hi", "ftp://robot.example/", "robot"]
    )
    def test_target_addresses_other_than_http_are_refused(self, client, ad_staff, sub_right, url):
        client.force_login(ad_staff)

        response = client.post(
            reverse("admin:ads_placement_add"),
            placement_form(sub_right, AdvertiserFactory(), image=banner_upload(), target_url=url),
        )

        assert response.status_code == 200
        assert "target_url" in response.context["adminform"].form.errors
        assert not Placement.objects.exists()


class TestAdCode:
    @pytest.fixture
    def network_placement(self, sub_right):
        return PlacementFactory(
            slot=sub_right, kind=Placement.Kind.NETWORK, image="", network_code="<p>원래 코드</p>"
        )

    def post_code(self, client, placement, code):
        return client.post(
            reverse("admin:ads_placement_change", args=[placement.pk]),
            placement_form(
                placement.slot,
                placement.advertiser,
                name=placement.name,
                kind="network",
                alt_text="",
                target_url="",
                network_code=code,
            ),
        )

    def test_ad_staff_see_the_code_read_only(self, client, ad_staff, network_placement):
        client.force_login(ad_staff)

        content = client.get(
            reverse("admin:ads_placement_change", args=[network_placement.pk])
        ).content.decode()

        assert 'name="network_code"' not in content
        assert "&lt;p&gt;원래 코드&lt;/p&gt;" in content

    def test_ad_staff_without_the_permission_cannot_change_the_code(
        self, client, ad_staff, network_placement
    ):
        client.force_login(ad_staff)

        response = self.post_code(client, network_placement, "<script>steal()</script>")

        assert response.status_code == 200
        assert "광고 코드 관리" in response.content.decode()
        network_placement.refresh_from_db()
        assert network_placement.network_code == "<p>원래 코드</p>"

    def test_ad_staff_without_the_permission_cannot_add_a_network_placement(
        self, client, ad_staff, sub_right
    ):
        client.force_login(ad_staff)

        response = client.post(
            reverse("admin:ads_placement_add"),
            placement_form(
                sub_right, AdvertiserFactory(), kind="network", network_code="<script>x()</script>"
            ),
        )

        assert response.status_code == 200
        assert not Placement.objects.exists()

    def test_ad_staff_without_the_permission_may_still_reschedule_it(
        self, client, ad_staff, network_placement
    ):
        client.force_login(ad_staff)
        data = placement_form(
            network_placement.slot,
            network_placement.advertiser,
            kind="network",
            alt_text="",
            target_url="",
            weight="5",
        )

        response = client.post(
            reverse("admin:ads_placement_change", args=[network_placement.pk]), data
        )

        assert response.status_code == 302
        network_placement.refresh_from_db()
        assert network_placement.weight == 5
        assert network_placement.network_code == "<p>원래 코드</p>"

    def test_with_the_permission_the_code_is_saved(self, client, ad_staff, network_placement):
        ad_staff.user_permissions.add(Permission.objects.get(codename="manage_ad_code"))
        client.force_login(ad_staff)

        response = self.post_code(client, network_placement, "<p>새 코드</p>")

        assert response.status_code == 302
        network_placement.refresh_from_db()
        assert network_placement.network_code == "<p>새 코드</p>"

    def test_nobody_has_the_permission_by_default(self, groups):
        holders = [
            name
            for name, group in groups.items()
            if group.permissions.filter(codename="manage_ad_code").exists()
        ]
        assert holders == []


class TestPlacementList:
    def test_shows_status_and_todays_figures(self, client, ad_staff, sub_right):
        now = timezone.now()
        live = PlacementFactory(slot=sub_right, name="게재중 배너")
        today = timezone.localdate()
        AdStatFactory(placement=live, date=today, impressions=1000, clicks=25)
        AdStatFactory(placement=live, date=today - timedelta(days=1), impressions=9999, clicks=99)
        PlacementFactory(slot=sub_right, name="예약 배너", starts_at=now + timedelta(days=1))
        PlacementFactory(
            slot=sub_right,
            name="종료 배너",
            starts_at=now - timedelta(days=5),
            ends_at=now - timedelta(days=1),
        )
        PlacementFactory(slot=sub_right, name="중지 배너", is_active=False)
        client.force_login(ad_staff)

        response = client.get(reverse("admin:ads_placement_changelist"))

        content = response.content.decode()
        for label in ("노출 중", "예약", "종료", "일시 중지"):
            assert label in content
        row = content[content.index("게재중 배너") :].split("</tr>")[0]
        assert "1,000" in row and "25" in row and "9,999" not in row
        assert reverse("admin:ads_placement_report", args=[live.pk]) in row

    def test_status_filter(self, client, ad_staff, sub_right):
        PlacementFactory(slot=sub_right, name="게재중 배너")
        PlacementFactory(slot=sub_right, name="중지 배너", is_active=False)
        client.force_login(ad_staff)

        response = client.get(reverse("admin:ads_placement_changelist"), {"status": "paused"})

        assert [p.name for p in response.context["cl"].result_list] == ["중지 배너"]

    def test_query_count_does_not_grow_with_placements(self, client, ad_staff, sub_right):
        client.force_login(ad_staff)
        url = reverse("admin:ads_placement_changelist")

        def queries() -> int:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            return len(captured)

        placement = PlacementFactory(slot=sub_right)
        AdStatFactory(placement=placement)
        queries()  # warm the site-wide caches
        few = queries()
        for _ in range(10):
            AdStatFactory(placement=PlacementFactory(slot=sub_right))

        assert queries() == few

    def test_placements_with_figures_are_kept_for_the_record(self, client, ad_staff, sub_right):
        unused = PlacementFactory(slot=sub_right, name="실수로 만든 배너")
        counted = PlacementFactory(slot=sub_right, name="집행된 배너")
        AdStatFactory(placement=counted)
        client.force_login(ad_staff)

        for placement in (unused, counted):
            client.post(reverse("admin:ads_placement_delete", args=[placement.pk]), {"post": "yes"})

        assert list(Placement.objects.values_list("name", flat=True)) == ["집행된 배너"]

    def test_the_refusal_says_why_and_what_to_do_instead(self, client, ad_staff, sub_right):
        counted = PlacementFactory(slot=sub_right, name="집행된 배너")
        AdStatFactory(placement=counted)
        client.force_login(ad_staff)

        page = client.post(
            reverse("admin:ads_placement_delete", args=[counted.pk]), {"post": "yes"}
        ).text

        assert "청구 기록으로 남기 때문에 삭제할 수 없습니다" in page
        assert "일시 중지하세요" in page and "권한이 없습니다" not in page
        assert reverse("admin:ads_placement_change", args=[counted.pk]) in page


def test_a_slots_key_cannot_be_changed_once_created(client, ad_staff, sub_right):
    client.force_login(ad_staff)

    client.post(
        reverse("admin:ads_adslot_change", args=[sub_right.pk]),
        {
            "key": "renamed",
            "name": "서브우측",
            "width": 300,
            "height": 250,
            "max_placements": 3,
            "rotation": "position",
            "is_active": "on",
        },
    )

    sub_right.refresh_from_db()
    assert sub_right.key == "sub-right"


def test_superusers_manage_everything(client, sub_right):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))

    content = client.get(reverse("admin:ads_placement_add")).content.decode()

    assert 'name="network_code"' in content


def test_the_figures_are_read_only_even_for_a_superuser(client):
    stat = AdStatFactory(impressions=10, clicks=1)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    assert client.get(reverse("admin:ads_adstat_changelist")).status_code == 200
    assert client.get(reverse("admin:ads_adstat_change", args=[stat.pk])).status_code == 200
    change = client.post(reverse("admin:ads_adstat_change", args=[stat.pk]), {"clicks": 99})
    assert change.status_code == 403
    assert client.get(reverse("admin:ads_adstat_add")).status_code == 403
    assert client.get(reverse("admin:ads_adstat_delete", args=[stat.pk])).status_code == 403
    stat.refresh_from_db()
    assert stat.clicks == 1
