import json
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, DailyViews, Section
from outlet.models import SiteSettings
from tests.factories import ArticleFactory, PhotoFactory, ReporterFactory, SectionFactory

pytestmark = pytest.mark.django_db


def main_content(response) -> str:
    """The page's <main>, without the sidebar's most-read list."""
    content = response.content.decode()
    return content[content.index("<main") : content.index("</main>")]


@pytest.fixture
def site():
    settings = SiteSettings.current()
    settings.name = "산업기술신문"
    settings.tagline = "산업기술 뉴스채널"
    settings.save()
    return settings


def test_home_shows_top_story_sections_and_most_read(client, published_article, site):
    other = ArticleFactory(section=published_article.section, title="로봇 수출 사상 최대")
    DailyViews.objects.create(article=other, date=timezone.localdate(), views=100)

    response = client.get(reverse("articles:home"))

    content = response.content.decode()
    assert response.status_code == 200
    assert "산업기술신문" in content and "산업기술 뉴스채널" in content
    assert published_article.title in content
    assert published_article.section.name in content
    most_read = content[content.index('id="most-read-title"') :]
    assert "로봇 수출 사상 최대" in most_read


def test_home_lists_no_drafts_or_scheduled_articles(client, published_article):
    ArticleFactory(title="아직 초안", status=Article.Status.DRAFT)
    ArticleFactory(title="내일 공개", published_at=timezone.now() + timedelta(days=1))

    content = client.get(reverse("articles:home")).content.decode()

    assert "아직 초안" not in content and "내일 공개" not in content


def test_section_page_lists_its_published_articles(client, published_article):
    elsewhere = ArticleFactory(title="다른 섹션 기사")

    response = client.get(published_article.section.get_absolute_url())

    main = main_content(response)
    assert published_article.title in main
    assert elsewhere.title not in main


@pytest.mark.parametrize(
    "page_number", ["abc", "0", "-1", "999999", "99999999999999999999999", "1.5"]
)
def test_bad_page_numbers_never_fail(client, page_number):
    section = SectionFactory()
    for _ in range(25):
        ArticleFactory(section=section)

    response = client.get(section.get_absolute_url(), {"page": page_number})

    assert response.status_code == 200
    assert response.context["page_obj"].number in (1, 2)


@pytest.mark.parametrize(
    ("address", "canonical"),
    [
        ("/?utm_source=newsletter&utm_medium=email", "http://testserver/"),
        ("/sections/{slug}/?page=2&fbclid=abc", "http://testserver/sections/{slug}/?page=2"),
        ("/search/?q=로봇&x=1&page=2", "http://testserver/search/?q=%EB%A1%9C%EB%B4%87&amp;page=2"),
    ],
)
def test_the_canonical_address_keeps_only_what_makes_another_page(
    client, published_article, address, canonical
):
    # A campaign's tags or a made-up parameter must not make one page many to search engines.
    slug = published_article.section.slug
    content = client.get(address.format(slug=slug)).content.decode()

    assert f'<link rel="canonical" href="{canonical.format(slug=slug)}">' in content
    assert f'<meta property="og:url" content="{canonical.format(slug=slug)}">' in content


def test_unknown_section_is_404(client, db):
    assert client.get(reverse("articles:section", args=["nowhere"])).status_code == 404


def test_tag_page_lists_tagged_articles_including_korean_tags(client, published_article):
    response = client.get(reverse("articles:tag", args=["로봇"]))

    assert response.status_code == 200
    assert published_article.title in response.content.decode()


def test_a_tag_only_unpublished_stories_carry_is_unknown_to_readers(client, db):
    later = timezone.now() + timedelta(hours=3)
    ArticleFactory(tags=["엠바고전용태그"], embargo_until=later)
    ArticleFactory(tags=["예약전용태그"], published_at=later)
    ArticleFactory(tags=["초안전용태그"], status=Article.Status.DRAFT, published_at=None)

    for tag in ("엠바고전용태그", "예약전용태그", "초안전용태그", "없는태그"):
        assert client.get(reverse("articles:tag", args=[tag])).status_code == 404, tag


def test_a_tag_is_known_while_one_published_story_carries_it(client, db):
    url = reverse("articles:tag", args=["협동로봇"])
    draft = ArticleFactory(tags=["협동로봇"], title="초안 기사", status=Article.Status.DRAFT)
    live = ArticleFactory(tags=["협동로봇"], title="공개 기사")

    content = client.get(url).content.decode()
    assert "공개 기사" in content and draft.title not in content

    live.status = Article.Status.DRAFT
    live.save()
    assert client.get(url).status_code == 404


def test_reporter_page_shows_profile_and_published_articles_only(client, published_article):
    reporter = published_article.reporter
    ArticleFactory(reporter=reporter, title="기자의 초안", status=Article.Status.DRAFT)

    response = client.get(reporter.get_absolute_url())

    content = main_content(response)
    assert reporter.name in content and reporter.bio in content
    assert f"mailto:{reporter.email}" in content
    assert published_article.title in content and "기자의 초안" not in content


def test_inactive_reporter_has_no_page(client, db):
    reporter = ReporterFactory(is_active=False)
    assert client.get(reporter.get_absolute_url()).status_code == 404


class TestArticlePage:
    def test_shows_every_element_of_the_reference_page(self, client, published_article, site):
        published_article.related.add(ArticleFactory(title="편집자가 고른 기사"))

        response = client.get(published_article.get_absolute_url())

        content = response.content.decode()
        local = timezone.localtime(published_article.published_at)
        assert response.status_code == 200
        assert published_article.section.name in content
        assert (
            f'<h1 id="article-title" class="article-title">{published_article.title}</h1>'
            in content
        )
        assert published_article.subtitle in content
        stamp = local.replace(microsecond=0).isoformat()
        assert f'<time datetime="{stamp}">{local:%Y-%m-%d %H:%M:%S}</time>' in content
        assert "기사등록" in content
        assert f"▲ {published_article.lead_photo.caption}" in content
        assert published_article.lead_photo.credit in content
        assert 'srcset="' in content and "image/webp" in content
        assert "정부가 올해 스마트공장 보급 사업을 확대한다." in content
        assert f"{published_article.reporter.name} 기자" in content
        assert f'href="mailto:{published_article.reporter.email}"' in content
        assert published_article.reporter.get_absolute_url() in content
        assert "#로봇" in content
        assert "관련기사" in content and "편집자가 고른 기사" in content
        assert "산업기술신문, 산업기술 뉴스채널" in content
        assert "[산업기술신문]" in content
        assert reverse("articles:email", args=[published_article.pk]) in content
        assert "data-print" in content
        assert "기사수정" not in content  # not changed since it was published

    def test_times_are_in_the_site_time_zone(self, client, settings, db):
        settings.TIME_ZONE = "Asia/Seoul"
        article = ArticleFactory(
            published_at=timezone.datetime(2021, 1, 27, 7, 23, 10, tzinfo=timezone.UTC)
        )

        content = client.get(article.get_absolute_url()).content.decode()

        assert "2021-01-27 16:23:10" in content
        assert 'datetime="2021-01-27T16:23:10+09:00"' in content

    def test_modified_time_shown_when_changed_after_publishing(self, client, db):
        article = ArticleFactory(published_at=timezone.now() - timedelta(days=1))

        content = client.get(article.get_absolute_url()).content.decode()

        assert "기사수정" in content

    def test_head_has_description_canonical_open_graph_and_json_ld(
        self, client, published_article, site
    ):
        content = client.get(published_article.get_absolute_url()).content.decode()

        canonical = f"http://testserver{published_article.get_absolute_url()}"
        assert f'<link rel="canonical" href="{canonical}">' in content
        assert f'<meta property="og:title" content="{published_article.title}">' in content
        assert '<meta property="og:type" content="article">' in content
        assert 'property="og:image"' in content
        assert '<meta name="description" content="' in content
        match = re.search(r'<script type="application/ld\+json">(.*?)</script>', content, re.S)
        data = json.loads(match.group(1))
        assert data["@type"] == "NewsArticle"
        assert data["headline"] == published_article.title
        assert data["mainEntityOfPage"] == canonical
        assert data["author"][0]["name"] == published_article.reporter.name
        assert data["author"][0]["email"] == published_article.reporter.email
        assert data["publisher"]["name"] == "산업기술신문"
        assert data["articleSection"] == published_article.section.name
        assert data["image"][0].startswith("http://testserver/media/")
        assert data["datePublished"] and data["dateModified"]

    def test_a_scheduled_article_is_never_modified_before_it_is_published(self, client, editor):
        article = ArticleFactory(published_at=timezone.now() + timedelta(days=1))
        client.force_login(editor)  # editors preview what is scheduled

        content = client.get(article.get_absolute_url()).content.decode()

        match = re.search(r'<script type="application/ld\+json">(.*?)</script>', content, re.S)
        data = json.loads(match.group(1))
        meta = dict(re.findall(r'<meta property="article:(\w+)_time" content="([^"]+)">', content))
        assert data["dateModified"] == data["datePublished"]
        assert meta["modified"] == meta["published"]

    def test_json_ld_cannot_close_its_script_element(self, client, db):
        article = ArticleFactory(title="</script><script>alert(1)</script>")

        content = client.get(article.get_absolute_url()).content.decode()

        assert "<script>alert(1)" not in content

    @pytest.mark.parametrize("slug", ["wrong-slug", "", "스마트"])
    def test_wrong_or_missing_slug_redirects_permanently(self, client, published_article, slug):
        url = f"/articles/{published_article.pk}/{slug + '/' if slug else ''}"

        response = client.get(url)

        assert response.status_code == 301
        assert response["Location"] == published_article.get_absolute_url()

    def test_korean_slug_is_canonical(self, client, db):
        article = ArticleFactory(slug="스마트공장-보급-확대")

        assert client.get(article.get_absolute_url()).status_code == 200

    @pytest.mark.parametrize(
        "kwargs",
        [
            {"status": Article.Status.DRAFT},
            {"status": Article.Status.REVIEW},
            {"published_at": timezone.now() + timedelta(hours=1)},
        ],
    )
    def test_drafts_and_scheduled_articles_are_404_to_the_public(self, client, reader, kwargs):
        article = ArticleFactory(**kwargs)

        assert client.get(article.get_absolute_url()).status_code == 404
        client.force_login(reader)
        assert client.get(article.get_absolute_url()).status_code == 404
        assert client.get(reverse("articles:email", args=[article.pk])).status_code == 404

    def test_unknown_id_is_404(self, client, db):
        assert client.get("/articles/999999/anything/").status_code == 404

    def test_editor_may_preview_a_draft_and_sees_the_edit_link(self, client, editor):
        article = ArticleFactory(status=Article.Status.DRAFT)
        client.force_login(editor)

        response = client.get(article.get_absolute_url())

        assert response.status_code == 200
        assert (
            reverse("admin:articles_article_change", args=[article.pk]) in response.content.decode()
        )
        assert 'name="robots" content="noindex"' in response.content.decode()

    def test_reporter_previews_only_their_own_drafts(
        self, client, reporter_user, other_reporter_user
    ):
        own = ArticleFactory(status=Article.Status.DRAFT, reporter=reporter_user.reporter)
        others = ArticleFactory(status=Article.Status.DRAFT, reporter=other_reporter_user.reporter)
        client.force_login(reporter_user)

        assert client.get(own.get_absolute_url()).status_code == 200
        assert client.get(others.get_absolute_url()).status_code == 404

    def test_edit_link_is_hidden_from_readers_and_other_reporters(
        self, client, published_article, reader, reporter_user
    ):
        edit_url = reverse("admin:articles_article_change", args=[published_article.pk])
        for user in (None, reader, reporter_user):
            client.logout()
            if user:
                client.force_login(user)
            assert edit_url not in client.get(published_article.get_absolute_url()).content.decode()

    def test_query_count_does_not_grow_with_tags_and_related_articles(
        self, client, django_assert_max_num_queries, published_article
    ):
        def queries_for(article):
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            client.get(article.get_absolute_url())  # warm the site-wide caches
            with CaptureQueriesContext(connection) as captured:
                assert client.get(article.get_absolute_url()).status_code == 200
            return len(captured)

        small = queries_for(published_article)
        big = ArticleFactory(lead_photo=PhotoFactory(), tags=[f"태그{n}" for n in range(30)])
        big.related.add(*[ArticleFactory(tags=["태그1"]) for _ in range(10)])

        assert queries_for(big) <= small
        with django_assert_max_num_queries(8):
            client.get(big.get_absolute_url())


def test_body_html_is_sanitized_when_saved(db):
    article = ArticleFactory()
    article.body = (
        '<p onclick="x()">안녕<script>alert(1)</script></p>'
        '<a href="javascript:alert(1)">나쁜 링크</a><a href="https://example.com">좋은 링크</a>'
        '<img src="https://tracker.example/p.gif"><img src="/media/photos/a.jpg" alt="사진">'
        '<iframe src="https://evil.example"></iframe><h2 style="color:red">소제목</h2>'
    )
    article.full_clean()

    assert "<script" not in article.body and "onclick" not in article.body
    assert "javascript:" not in article.body
    assert '<a href="https://example.com" rel="noopener noreferrer">좋은 링크</a>' in article.body
    assert "tracker.example" not in article.body
    assert '<img src="/media/photos/a.jpg" alt="사진">' in article.body
    assert "<iframe" not in article.body and "style=" not in article.body
    assert "<h2>소제목</h2>" in article.body
    # What the allowlist took the address from goes too: no link to nowhere, no empty image.
    assert "나쁜 링크" in article.body and article.body.count("<a ") == 1
    assert article.body.count("<img") == 1


def test_404_page_is_in_the_site_look(client, db):
    response = client.get("/no/such/page/")

    assert response.status_code == 404
    assert "section-nav" in response.content.decode()


def test_an_inactive_section_leaves_the_navigation_and_has_no_page(client):
    active, inactive = SectionFactory(name="정책"), SectionFactory(name="폐지된면", is_active=False)

    home = client.get(reverse("articles:home")).content.decode()

    assert active.get_absolute_url() in home
    assert inactive.get_absolute_url() not in home
    assert client.get(inactive.get_absolute_url()).status_code == 404
    assert list(Section.objects.active().filter(pk__in=[active.pk, inactive.pk])) == [active]


def test_a_lead_made_from_the_body_reads_as_text_everywhere(client, db):
    """With no summary, lists, the page's description, feeds and JSON-LD start with the body's
    words: entities read once, paragraphs apart, no table cells, captions or frames."""
    article = ArticleFactory(
        summary="",
        body=(
            '<p>중소기업 R&amp;D 투자가 "크게" 늘었다.</p>'
            "<table><tbody><tr><td>구분</td><td>2025년</td></tr></tbody></table>"
            "<p>둘째 문단입니다.</p>"
        ),
    )
    lead = '중소기업 R&D 투자가 "크게" 늘었다. 둘째 문단입니다.'

    section = client.get(article.section.get_absolute_url()).content.decode()
    page = client.get(article.get_absolute_url()).content.decode()
    feed = client.get(reverse("articles:feed")).content.decode()

    assert article.lead == lead
    assert "중소기업 R&amp;D 투자가 &quot;크게&quot; 늘었다. 둘째 문단입니다." in section
    assert 'content="중소기업 R&amp;D 투자가 &quot;크게&quot; 늘었다. 둘째' in page
    assert "R&amp;amp;D" not in feed and "R&amp;D" in feed
    assert "구분2025년" not in section + page + feed
    [ld] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert json.loads(ld)["description"] == lead


class TestPartsEveryReaderShares:
    """The section navigation and an article's related list are cached as parts: each page
    still marks its own section, and a change shows on the next page."""

    @staticmethod
    def current_links(html: str) -> list[str]:
        nav = html[html.index('<nav class="section-nav"') :]
        nav = nav[: nav.index("</nav>")]
        return re.findall(r'<a href="([^"]+)" aria-current="page">', nav)

    def test_each_page_marks_its_own_section_in_the_navigation(self, client):
        policy, industry = SectionFactory(name="정책"), SectionFactory(name="산업")
        ArticleFactory(section=policy)

        pages = {
            url: client.get(url).content.decode()
            for url in (
                policy.get_absolute_url(),
                industry.get_absolute_url(),
                reverse("articles:home"),
                policy.get_absolute_url(),
            )
        }

        assert self.current_links(pages[policy.get_absolute_url()]) == [policy.get_absolute_url()]
        assert self.current_links(pages[industry.get_absolute_url()]) == [
            industry.get_absolute_url()
        ]
        assert self.current_links(pages[reverse("articles:home")]) == [reverse("articles:home")]

    def test_a_renamed_section_shows_in_the_navigation_at_once(self, client):
        section = SectionFactory(name="정책")
        assert ">정책</a>" in client.get(reverse("articles:home")).content.decode()

        section.name = "정책·제도"
        section.save()

        html = client.get(reverse("articles:home")).content.decode()
        assert ">정책·제도</a>" in html and ">정책</a>" not in html

    def test_a_new_related_pick_shows_at_once(self, client, published_article):
        assert (
            "편집자가 고른 기사"
            not in client.get(published_article.get_absolute_url()).content.decode()
        )

        published_article.related.add(ArticleFactory(title="편집자가 고른 기사"))

        html = client.get(published_article.get_absolute_url()).content.decode()
        assert 'id="related-title"' in html and "편집자가 고른 기사" in html

    def test_related_lists_are_each_articles_own(self, client):
        first, second = ArticleFactory(title="첫 기사"), ArticleFactory(title="둘째 기사")
        first.related.add(ArticleFactory(title="첫 기사의 관련 기사"))
        second.related.add(ArticleFactory(title="둘째 기사의 관련 기사"))

        first_html = client.get(first.get_absolute_url()).content.decode()
        second_html = client.get(second.get_absolute_url()).content.decode()

        assert "첫 기사의 관련 기사" in first_html and "둘째 기사의 관련 기사" not in first_html
        assert "둘째 기사의 관련 기사" in second_html and "첫 기사의 관련 기사" not in second_html


class TestTheArticleKeptForLoggedInReaders:
    """A logged-in reader's page is never cached whole; the article itself is kept under
    the versions an anonymous reader's page is cached under, so a change to it shows on
    the next page, and a page reads no article row while nothing changed."""

    @pytest.fixture
    def logged_in(self, client, reader):
        client.force_login(reader)
        return client

    def test_a_warm_page_reads_no_article_row(self, logged_in, published_article):
        url = published_article.get_absolute_url()
        logged_in.get(url)

        with CaptureQueriesContext(connection) as queries:
            assert logged_in.get(url).status_code == 200

        assert not [q for q in queries if 'FROM "articles_article"' in q["sql"]]

    def test_an_edit_shows_at_once(self, logged_in, published_article):
        url = published_article.get_absolute_url()
        logged_in.get(url)

        published_article.title = "고친 제목"
        published_article.save()

        assert "고친 제목" in logged_in.get(url).content.decode()

    def test_an_edit_in_bulk_shows_at_once(self, logged_in, published_article):
        url = published_article.get_absolute_url()
        logged_in.get(url)

        Article.objects.filter(pk=published_article.pk).update(subtitle="일괄로 고친 부제")

        assert "일괄로 고친 부제" in logged_in.get(url).content.decode()

    def test_a_withdrawn_article_is_gone_at_once(self, logged_in, published_article):
        url = published_article.get_absolute_url()
        assert logged_in.get(url).status_code == 200

        Article.objects.filter(pk=published_article.pk).update(status=Article.Status.DRAFT)

        assert logged_in.get(url).status_code == 404

    def test_a_new_comment_count_shows_at_once(self, logged_in, published_article):
        url = published_article.get_absolute_url()

        def count() -> str:
            html = logged_in.get(url).content.decode()
            return re.search(r'class="comment-count">([^<]*)<', html)[1]

        before = count()
        logged_in.post(
            reverse("comments:post", args=[published_article.pk]), {"body": "첫 댓글입니다"}
        )

        assert "0" in before and "1" in count()
