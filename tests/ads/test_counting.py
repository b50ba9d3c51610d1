"""Clicks and impressions: counted once per visitor, never for bots, never to a foreign URL."""

import re
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ads.models import AdStat, Placement
from ads.services import impressions, record
from tests.ads.helpers import BROWSER
from tests.concurrency import InThread, wait_for_a_row_lock
from tests.factories import AdStatFactory, ArticleFactory, PlacementFactory


def counts(placement) -> tuple[int, int]:
    """Today's (impressions, clicks) of the placement."""
    stat = AdStat.objects.filter(placement=placement, date=timezone.localdate()).first()
    return (stat.impressions, stat.clicks) if stat else (0, 0)


def click(client, placement_id, ip="203.0.113.7", user_agent=BROWSER, **params):
    return client.get(
        reverse("ads:click", args=[placement_id]),
        params,
        REMOTE_ADDR=ip,
        HTTP_USER_AGENT=user_agent,
    )


def beacon(client, ids, ip="203.0.113.7", user_agent=BROWSER):
    return client.post(
        reverse("ads:impressions"),
        {"placement": [str(pk) for pk in ids]},
        REMOTE_ADDR=ip,
        HTTP_USER_AGENT=user_agent,
    )


@pytest.mark.django_db
class TestClick:
    def test_counts_and_redirects_to_the_stored_address(self, client, sub_right):
        placement = PlacementFactory(slot=sub_right, target_url="https://robot.example/?utm=1")

        response = click(client, placement.pk)

        assert response.status_code == 302
        assert response["Location"] == "https://robot.example/?utm=1"
        assert "no-cache" in response["Cache-Control"]
        assert counts(placement) == (0, 1)

    @pytest.mark.parametrize(
        "params",
        [
            {"next": "https://evil.example/"},
            {"url": "https://evil.example/"},
            {"target_url": "//evil.example"},
            {"redirect": "javascript:alert(1)"},
        ],
    )
    def test_never_redirects_to_an_address_from_the_request(self, client, sub_right, params):
        placement = PlacementFactory(slot=sub_right, target_url="https://robot.example/")

        response = click(client, placement.pk, **params)

        assert response["Location"] == "https://robot.example/"

    def test_unknown_expired_scheduled_and_paused_placements_are_404(self, client, sub_right):
        now = timezone.now()
        expired = PlacementFactory(
            slot=sub_right, starts_at=now - timedelta(days=9), ends_at=now - timedelta(minutes=1)
        )
        scheduled = PlacementFactory(slot=sub_right, starts_at=now + timedelta(minutes=1))
        paused = PlacementFactory(slot=sub_right, is_active=False)

        for pk in (expired.pk, scheduled.pk, paused.pk, 999999, 2**63):
            response = click(client, pk, next="https://evil.example/")
            assert response.status_code == 404
            assert "evil.example" not in response.get("Location", "")
        assert not AdStat.objects.exists()

    def test_network_placements_have_no_click_address(self, client, sub_right):
        placement = PlacementFactory(
            slot=sub_right, kind=Placement.Kind.NETWORK, image="", network_code="<p>ad</p>"
        )

        assert click(client, placement.pk).status_code == 404

    def test_a_repeated_click_within_the_window_counts_once(self, client, sub_right):
        placement = PlacementFactory(slot=sub_right)

        for _ in range(3):
            assert click(client, placement.pk).status_code == 302
        click(client, placement.pk, ip="198.51.100.1")

        assert counts(placement) == (0, 2)

    @pytest.mark.parametrize(
        "user_agent",
        [
            "",
            "Googlebot/2.1 (+http://www.google.com/bot.html)",
            "Mozilla/5.0 (compatible; Yeti/1.1; +http://naver.me/spd) NaverBot",
            "curl/8.5.0",
            "python-requests/2.32.3",
            "Wget/1.21.3",
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/131.0 Safari/537.36",
            "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
            "facebookexternalhit/1.1",
        ],
    )
    def test_bots_are_redirected_but_not_counted(self, client, sub_right, user_agent):
        placement = PlacementFactory(slot=sub_right)

        assert click(client, placement.pk, user_agent=user_agent).status_code == 302
        assert beacon(client, [placement.pk], user_agent=user_agent).status_code == 204

        assert counts(placement) == (0, 0)

    def test_posting_is_not_allowed(self, client, sub_right):
        placement = PlacementFactory(slot=sub_right)

        assert client.post(reverse("ads:click", args=[placement.pk])).status_code == 405


@pytest.mark.django_db
class TestImpressions:
    def test_a_beacon_counts_each_live_placement_it_names(self, client, sub_right):
        first, second = PlacementFactory(slot=sub_right), PlacementFactory(slot=sub_right)

        response = beacon(client, [first.pk, second.pk])

        assert response.status_code == 204
        assert counts(first) == counts(second) == (1, 0)

    def test_counts_stay_right_when_the_page_comes_from_a_cache(
        self, client, settings, sub_right, django_assert_num_queries
    ):
        settings.PAGE_CACHE_SECONDS = 60  # caching.pages: whole pages for anonymous readers
        placement = PlacementFactory(slot=sub_right)
        article = ArticleFactory()
        html = client.get(article.get_absolute_url()).content.decode()
        with django_assert_num_queries(1):  # the next readers get the cached page
            assert client.get(article.get_absolute_url()).content.decode() == html
        assert counts(placement) == (0, 0)  # rendering counts nothing; browsers report
        ids = re.search(r'data-ad-placements="([\d ]+)"', html).group(1).split()
        url = re.search(r'data-ad-beacon="([^"]+)"', html).group(1)

        # Five readers are served that same HTML; each browser sends its beacon.
        for reader in range(5):
            Client().post(
                url, {"placement": ids}, REMOTE_ADDR=f"10.0.0.{reader}", HTTP_USER_AGENT=BROWSER
            )

        assert counts(placement) == (5, 0)

    def test_the_same_visitor_is_counted_once_a_minute(self, client, sub_right):
        placement = PlacementFactory(slot=sub_right)

        beacon(client, [placement.pk])
        beacon(client, [placement.pk])

        assert counts(placement) == (1, 0)

    @pytest.mark.parametrize(
        "values",
        [
            ["abc"],
            ["-1"],
            ["1.5"],
            ["²"],
            ["99999999999999999999999999"],
            [""],
            ["1; DROP TABLE ads_adstat"],
        ],
    )
    def test_ignores_ids_that_are_not_ids(self, client, sub_right, values):
        PlacementFactory(slot=sub_right)

        response = client.post(
            reverse("ads:impressions"), {"placement": values}, HTTP_USER_AGENT=BROWSER
        )

        assert response.status_code == 204
        assert not AdStat.objects.exists()

    def test_ignores_unknown_and_expired_placements(self, client, sub_right):
        now = timezone.now()
        expired = PlacementFactory(
            slot=sub_right, starts_at=now - timedelta(days=9), ends_at=now - timedelta(minutes=1)
        )

        beacon(client, [expired.pk, 424242])

        assert not AdStat.objects.exists()

    def test_only_post_is_allowed_and_no_csrf_token_is_needed(self, sub_right):
        placement = PlacementFactory(slot=sub_right)
        client = Client(enforce_csrf_checks=True)

        assert client.get(reverse("ads:impressions")).status_code == 405
        assert beacon(client, [placement.pk]).status_code == 204
        assert counts(placement) == (1, 0)


@pytest.mark.django_db
def test_record_adds_to_the_days_row(sub_right):
    stat = AdStatFactory(placement=PlacementFactory(slot=sub_right), impressions=10, clicks=2)

    record(placement_ids=[stat.placement_id], kind="impressions")
    record(placement_ids=[stat.placement_id], kind="clicks")

    stat.refresh_from_db()
    assert (stat.impressions, stat.clicks) == (11, 3)


@pytest.mark.django_db
def test_days_are_counted_in_the_site_time_zone(sub_right, clock):
    placement = PlacementFactory(slot=sub_right)

    clock(2026, 3, 2, 23, 59, 59)
    record(placement_ids=[placement.pk], kind="clicks")
    clock(2026, 3, 3, 0, 0, 0)  # midnight in Seoul; still 2 March in UTC
    record(placement_ids=[placement.pk], kind="clicks")
    record(placement_ids=[placement.pk], kind="impressions")

    assert {(s.date.isoformat(), s.impressions, s.clicks) for s in AdStat.objects.all()} == {
        ("2026-03-02", 0, 1),
        ("2026-03-03", 1, 1),
    }


@pytest.mark.django_db
def test_a_batch_of_impressions_that_fails_half_way_counts_each_once_when_tried_again(sub_right):
    from django.db import OperationalError

    first, second = PlacementFactory(slot=sub_right), PlacementFactory(slot=sub_right)
    impressions.pending.clear()
    # Amounts no primary key will equal, so that only the second placement's UPDATE fails.
    impressions.pending.update({first.pk: 4_000_001, second.pk: 5_000_001})

    def locked_at_the_second(execute, sql, params, many, context):
        if sql.startswith("UPDATE") and params and params[0] == 5_000_001:
            raise OperationalError("database is locked")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(locked_at_the_second), pytest.raises(OperationalError):
        impressions.flush()
    assert counts(first) == (0, 0)
    assert impressions.pending == {first.pk: 4_000_001, second.pk: 5_000_001}

    impressions.flush()

    assert (counts(first), counts(second)) == ((4_000_001, 0), (5_000_001, 0))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's concurrency")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
class TestConcurrency:
    THREADS, PER_THREAD = 8, 25

    def run_in_threads(self, work):
        start = threading.Barrier(self.THREADS)

        def thread(number):
            try:
                start.wait()  # all threads race for the day's first row together
                for n in range(self.PER_THREAD):
                    work(number, n)
            finally:
                connection.close()

        with ThreadPoolExecutor(self.THREADS) as pool:
            list(pool.map(thread, range(self.THREADS)))

    def test_concurrent_clicks_end_exact(self, sub_right):
        placement = PlacementFactory(slot=sub_right)

        self.run_in_threads(lambda t, n: click(Client(), placement.pk, ip=f"10.1.{t}.{n}"))

        assert counts(placement) == (0, self.THREADS * self.PER_THREAD)

    def test_concurrent_impressions_of_two_placements_end_exact(self, sub_right):
        first, second = PlacementFactory(slot=sub_right), PlacementFactory(slot=sub_right)

        self.run_in_threads(
            lambda t, n: record(placement_ids=[first.pk, second.pk], kind="impressions")
        )

        total = self.THREADS * self.PER_THREAD
        assert counts(first) == counts(second) == (total, 0)


@pytest.fixture
def no_leftover_impressions():
    impressions.pending.clear()
    yield
    impressions.pending.clear()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locks")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("no_leftover_impressions")
def test_a_placement_deleted_while_impressions_are_written_costs_the_others_none(
    sub_right, ad_staff
):
    """Ad staff delete a placement never shown (statistics protect one that was) whose
    impressions are in the batch being written: the writer waits for the deletion and
    counts the others (before, the batch failed on the deleted placement and was lost)."""
    kept, deleted = PlacementFactory(slot=sub_right), PlacementFactory(slot=sub_right)
    desk = Client()
    desk.force_login(ad_staff)
    deleting = InThread(
        lambda: desk.post(
            reverse("admin:ads_placement_delete", args=[deleted.pk]), {"post": "yes"}
        ),
        hold_after=lambda sql: sql.startswith("DELETE") and "ads_placement" in sql,
    )
    impressions.pending.update({kept.pk: 4, deleted.pk: 5})
    writing = InThread(impressions.flush)
    wait_for_a_row_lock()

    deleting.go_on()
    writing.result()

    assert deleting.result().status_code == 302
    assert not Placement.objects.filter(pk=deleted.pk).exists()
    assert counts(kept) == (4, 0)
    assert not impressions.pending


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locks")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("no_leftover_impressions")
def test_a_placement_first_shown_while_ad_staff_delete_it_is_kept_and_they_are_told(
    sub_right, ad_staff
):
    """The batch locks the placement first and writes its first statistics while the
    deletion waits: the deletion then finds them, and the page says what it says of any
    placement with statistics (it cannot be deleted; pause it), where it used to fail with
    an error."""
    shown = PlacementFactory(slot=sub_right, name="봄 기획전 배너")
    impressions.pending.update({shown.pk: 5})
    desk = Client()
    desk.force_login(ad_staff)
    writing = InThread(impressions.flush, hold_after=lambda sql: "FOR NO KEY UPDATE" in sql)
    deleting = InThread(
        lambda: desk.post(reverse("admin:ads_placement_delete", args=[shown.pk]), {"post": "yes"})
    )
    wait_for_a_row_lock()  # the deletion waits for the writer

    writing.go_on()
    writing.result()
    page = deleting.result()

    assert page.status_code == 200
    assert Placement.objects.filter(pk=shown.pk).exists()
    assert counts(shown) == (5, 0)
    # The refusal any placement with statistics gets, naming it and what to do instead.
    assert "청구 기록으로 남기 때문에 삭제할 수 없습니다" in page.text
    assert "봄 기획전 배너" in page.text and "일시 중지하세요" in page.text
