"""What readers see of 메인 편집 and 속보: pinned stories in the editors' order, only what
the public may read, and a breaking-news banner on every page — at once on cached pages
too, and gone at its end."""

from datetime import timedelta
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from frontpage import services
from frontpage.models import BreakingNews, Pin
from tests.factories import ArticleFactory, PhotoFactory, SectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    """Readers get cached pages: every change must show through them."""
    settings.PAGE_CACHE_SECONDS = 60


def page(url, **kwargs) -> str:
    return Client().get(url, **kwargs).content.decode()


def home() -> str:
    return page(reverse("articles:home"))


def top_story(html: str) -> str:
    return html.split('<article class="top-story')[1].split("</article>")[0]


def headlines(html: str) -> str:
    return html.split('class="front-headlines"')[1].split("</section>")[0]


def pin(article, section=None, *, top=False, ends_at=None):
    return services.pin(article=article, section=section, ends_at=ends_at, by=None, top=top)


class TestThePinnedTopStory:
    def test_replaces_the_latest_story_and_the_latest_moves_to_the_headlines(self):
        pinned = ArticleFactory(title="편집국이 고른 톱기사")
        latest = ArticleFactory(title="방금 나온 기사", lead_photo=PhotoFactory())
        assert "방금 나온 기사" in top_story(home())

        pin(pinned, top=True)

        html = home()
        assert "편집국이 고른 톱기사" in top_story(html)
        assert latest.title in headlines(html)

    def test_headlines_follow_the_editors_order(self):
        first, second, third = (ArticleFactory(title=f"헤드라인 {n}") for n in "가나다")
        for article in (first, second, third):
            pin(article)
        services.reorder(
            section=None,
            pin_ids=[Pin.objects.get(article=a).pk for a in (third, first, second)],
        )

        html = home()
        assert "헤드라인 다" in top_story(html)
        listed = headlines(html)
        assert listed.index("헤드라인 가") < listed.index("헤드라인 나")

    def test_nothing_pinned_leaves_the_home_page_as_it_was(self):
        ArticleFactory(title="최신 기사")

        html = home()

        assert "최신 기사" in top_story(html)
        assert "front-headlines" not in html

    @pytest.mark.parametrize(
        "state",
        [
            {"status": Article.Status.DRAFT},
            {"status": Article.Status.REVIEW},
            {"status": Article.Status.WITHDRAWN},
            {"published_at": timezone.now() + timedelta(hours=2)},  # scheduled
        ],
    )
    def test_never_shows_a_story_the_public_may_not_read(self, state):
        ArticleFactory(title="공개된 기사")
        hidden = ArticleFactory(title="아직 비공개 기사", **state)

        pin(hidden, top=True)

        html = home()
        assert "아직 비공개 기사" not in html  # nowhere: neither top nor headlines
        assert "공개된 기사" in top_story(html)

    def test_a_pinned_story_taken_down_leaves_the_cached_home_page_at_once(self):
        story = ArticleFactory(title="내려갈 톱기사")
        ArticleFactory(title="다른 기사")
        pin(story, top=True)
        assert "내려갈 톱기사" in home()

        Article.objects.filter(pk=story.pk).update(status=Article.Status.WITHDRAWN)

        assert "내려갈 톱기사" not in home()

    def test_a_scheduled_story_pinned_ahead_leads_the_moment_it_is_due(self):
        ArticleFactory(title="지금 톱")
        due = ArticleFactory(title="정각의 톱", published_at=timezone.now() + timedelta(minutes=5))
        pin(due, top=True)
        assert "정각의 톱" not in home()

        with mock.patch("django.utils.timezone.now", return_value=due.published_at):
            assert "정각의 톱" in top_story(home())


class TestPinsChangeCachedPagesAtOnce:
    def test_pinning_unpinning_and_reordering(self):
        a = ArticleFactory(title="기사 에이")
        b = ArticleFactory(title="기사 비")
        assert "기사 비" in top_story(home())  # the latest, cached now

        first = pin(a, top=True)
        assert "기사 에이" in top_story(home())

        second = pin(b)
        services.reorder(section=None, pin_ids=[second.pk, first.pk])
        assert "기사 비" in top_story(home())

        services.unpin(pin=second)
        services.unpin(pin=Pin.objects.get(pk=first.pk))
        assert "기사 비" in top_story(home())
        assert "front-headlines" not in home()

    def test_a_pin_ends_at_its_time_on_a_cached_page(self):
        ArticleFactory(title="최신 기사")
        ends_at = timezone.now() + timedelta(hours=1)
        pin(
            ArticleFactory(title="한 시간 톱", published_at=timezone.now() - timedelta(days=1)),
            top=True,
            ends_at=ends_at,
        )
        assert "한 시간 톱" in top_story(home())

        with mock.patch("django.utils.timezone.now", return_value=ends_at - timedelta(seconds=1)):
            assert "한 시간 톱" in top_story(home())
        with mock.patch("django.utils.timezone.now", return_value=ends_at + timedelta(seconds=1)):
            assert "한 시간 톱" not in top_story(home())

    def test_no_cache_in_front_keeps_a_page_past_a_pins_end(self):
        pin(ArticleFactory(), top=True, ends_at=timezone.now() + timedelta(seconds=20))

        response = Client().get(reverse("articles:home"))

        max_age = int(response["Cache-Control"].split("s-maxage=")[1].split(",")[0])
        assert 0 < max_age <= 20


class TestSectionPages:
    def test_show_their_own_pins_first_and_only_on_the_first_page(self, settings):
        section = SectionFactory(name="정책")
        other = SectionFactory(name="산업")
        ArticleFactory.create_batch(3, section=section)
        lead = ArticleFactory(
            title="정책 톱", section=section, published_at=timezone.now() - timedelta(days=3)
        )
        pin(lead, section, top=True)
        pin(ArticleFactory(title="산업 톱", section=other), other, top=True)

        html = page(section.get_absolute_url())

        assert "정책 톱" in top_story(html)
        assert "산업 톱" not in html

    def test_the_home_page_does_not_show_a_sections_pins(self):
        section = SectionFactory()
        ArticleFactory(title="홈 최신")
        pin(
            ArticleFactory(
                title="섹션에만 고정",
                section=section,
                published_at=timezone.now() - timedelta(days=2),
            ),
            section,
            top=True,
        )

        assert "섹션에만 고정" not in top_story(home())


class TestBreakingNewsBanner:
    def flag(self, article, **kwargs):
        return services.flag_breaking(
            article=article,
            ends_at=kwargs.get("ends_at", timezone.now() + timedelta(hours=1)),
            by=None,
        )

    def test_shows_on_every_public_page_with_a_link_to_the_story(self, published_article):
        story = ArticleFactory(title="긴급: 공장 화재")
        urls = [
            reverse("articles:home"),
            published_article.get_absolute_url(),
            published_article.section.get_absolute_url(),
            reverse("articles:search") + "?q=공장",
            "/no-such-page/",
        ]
        for url in urls:
            page(url)  # cached before the flag

        self.flag(story)

        for url in urls:
            html = page(url)
            banner = html.split('class="breaking-news"')[1].split("</section>")[0]
            assert "긴급: 공장 화재" in banner, url
            assert f'href="{story.get_absolute_url()}"' in banner

    def test_is_a_labelled_region_not_a_dialog(self):
        self.flag(ArticleFactory(title="속보 기사"))

        html = home()

        assert '<section class="breaking-news" aria-labelledby="breaking-news-label">' in html
        assert 'id="breaking-news-label"' in html
        assert "dialog" not in html.split('class="breaking-news"')[1].split("</section>")[0]

    def test_disappears_at_its_end_from_cached_pages(self):
        ends_at = timezone.now() + timedelta(hours=1)
        self.flag(ArticleFactory(title="한 시간 속보"), ends_at=ends_at)
        assert "한 시간 속보" in home()

        with mock.patch("django.utils.timezone.now", return_value=ends_at + timedelta(seconds=1)):
            html = home()

        assert "breaking-news" not in html

    def test_cleared_by_hand_leaves_cached_pages_at_once(self):
        flag = self.flag(ArticleFactory(title="내릴 속보"))
        assert "내릴 속보" in home()

        services.clear_breaking(breaking=flag, by=None)

        assert "breaking-news" not in home()

    def test_never_shows_a_story_the_public_may_not_read(self):
        draft = ArticleFactory(title="초안 속보", status=Article.Status.DRAFT)
        BreakingNews.objects.create(article=draft, ends_at=timezone.now() + timedelta(hours=1))

        assert "초안 속보" not in home()

    def test_withdrawing_the_story_takes_the_banner_down(self):
        story = ArticleFactory(title="철회될 속보")
        self.flag(story)
        assert "철회될 속보" in home()

        story.status = Article.Status.WITHDRAWN
        story.save()

        assert "breaking-news" not in home()

    def test_shows_in_both_layouts_and_languages(self):
        self.flag(ArticleFactory(title="모두에게 속보"))
        client = Client()
        client.get(reverse("set_layout", args=["mobile"]) + "?next=/")

        assert "모두에게 속보" in client.get(reverse("articles:home")).content.decode()
        assert "속보" in home()


def test_the_banner_costs_no_query_once_cached(client, django_assert_max_num_queries, settings):
    """It is on every page: after the first render it is read from the cache."""
    settings.PAGE_CACHE_SECONDS = 0
    services.flag_breaking(
        article=ArticleFactory(title="비용 없는 속보"),
        ends_at=timezone.now() + timedelta(hours=1),
        by=None,
    )
    from frontpage.templatetags.frontpage import breaking_news_banner

    breaking_news_banner()
    with django_assert_max_num_queries(1):  # the versions, from the shared cache
        assert breaking_news_banner()["breaking"][0]["title"] == "비용 없는 속보"
