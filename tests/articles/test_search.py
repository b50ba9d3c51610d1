import re
from datetime import timedelta
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.search import MAX_QUERY_LENGTH, highlight
from tests.factories import ArticleFactory, PhotoFactory

pytestmark = pytest.mark.django_db


def search(client, query, **params):
    return client.get(reverse("articles:search"), {"q": query, **params})


def found(response) -> list[str]:
    return [hit.article.title for hit in response.context["hits"]]


def ago(**kwargs):
    return timezone.now() - timedelta(**kwargs)


class TestMatching:
    def test_a_korean_partial_word_finds_the_compound_word_in_a_title(self, client):
        article = ArticleFactory(title="광주경제자유구역청, 미래차 기업 대상 투자설명회")
        ArticleFactory(title="반도체 장비 수출 증가")

        assert found(search(client, "경제자유")) == [article.title]

    def test_a_korean_partial_word_is_found_in_the_body_with_its_particle(self, client):
        article = ArticleFactory(
            title="투자설명회 개최", body="<p>광주경제자유구역청은 27일 투자설명회를 열었다.</p>"
        )

        assert found(search(client, "경제자유구역청")) == [article.title]
        assert found(search(client, "투자설명회를")) == [article.title]

    def test_every_word_of_the_query_must_be_found(self, client):
        both = ArticleFactory(title="협동로봇 수출 첫 1억 달러")
        ArticleFactory(title="협동로봇 신제품 출시")

        assert found(search(client, "협동로봇 수출")) == [both.title]

    def test_tag_names_are_searched(self, client):
        tagged = ArticleFactory(title="업계 동향", tags=["스마트공장"], body="<p>본문</p>")
        ArticleFactory(title="다른 소식", body="<p>본문</p>", summary="", subtitle="")

        assert found(search(client, "스마트공")) == [tagged.title]

    def test_latin_words_match_whatever_their_case(self, client):
        article = ArticleFactory(title="예지보전 AI로 설비 정지 줄여")

        assert found(search(client, "ai")) == [article.title]

    def test_drafts_articles_in_review_and_scheduled_articles_are_never_found(self, client):
        ArticleFactory(title="로봇 초안", status=Article.Status.DRAFT)
        ArticleFactory(title="로봇 검토중", status=Article.Status.REVIEW)
        ArticleFactory(title="로봇 예약", published_at=timezone.now() + timedelta(hours=1))
        published = ArticleFactory(title="로봇 공개")

        assert found(search(client, "로봇")) == [published.title]

    @pytest.mark.parametrize("wildcard", ["%", "_"])
    def test_like_wildcards_are_plain_characters(self, client, wildcard):
        literal = ArticleFactory(title=f"목표 100{wildcard} 달성")
        ArticleFactory(title="일반 기사", subtitle="", body="<p>본문</p>", tags=[])

        assert found(search(client, wildcard)) == [literal.title]

    def test_a_short_word_is_found_inside_a_compound_in_a_title(self, client):
        article = ArticleFactory(title="협동로봇 수출 첫 1억 달러")

        assert found(search(client, "로봇")) == [article.title]

    @pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text search")
    def test_a_short_word_matches_the_start_of_words_in_the_body(self, client):
        starts = ArticleFactory(title="가", subtitle="", body="<p>예지보전 AI로 정지를 줄였다.</p>")
        ArticleFactory(title="나", subtitle="", body="<p>He said it by email.</p>")

        assert found(search(client, "ai")) == [starts.title]


class TestRanking:
    def test_a_title_match_comes_before_a_newer_body_only_match(self, client):
        in_title = ArticleFactory(title="수소 충전소 확대", published_at=ago(days=3))
        in_body = ArticleFactory(
            title="에너지 정책 발표",
            subtitle="",
            body="<p>정부는 수소 충전소를 늘린다.</p>",
            published_at=ago(hours=1),
        )

        assert found(search(client, "수소")) == [in_title.title, in_body.title]

    def test_subtitle_and_tag_matches_rank_between_title_and_body(self, client):
        body = ArticleFactory(
            title="가", subtitle="", body="<p>배터리</p>", published_at=ago(hours=1)
        )
        tag = ArticleFactory(title="나", subtitle="", tags=["배터리"], published_at=ago(hours=2))
        subtitle = ArticleFactory(title="다", subtitle="배터리 증설", published_at=ago(hours=3))
        title = ArticleFactory(title="배터리 공장", published_at=ago(hours=4))

        ranked = found(search(client, "배터리"))

        assert ranked[0] == title.title
        assert set(ranked[1:3]) == {subtitle.title, tag.title}
        assert ranked[3] == body.title

    def test_the_newest_comes_first_among_equally_relevant_articles(self, client):
        older = ArticleFactory(title="조선 수주 1위", published_at=ago(days=2))
        newer = ArticleFactory(title="조선 수주 회복", published_at=ago(hours=2))

        assert found(search(client, "조선 수주")) == [newer.title, older.title]


class TestResultsPage:
    def test_the_words_are_marked_in_titles_and_snippets(self, client):
        ArticleFactory(
            title="산업용 로봇 안전기준 개정",
            body="<p>" + "가나다라 " * 40 + "<strong>협동 로봇</strong>의 인증이 간소화된다.</p>",
        )

        content = search(client, "로봇").content.decode()

        assert "산업용 <mark>로봇</mark> 안전기준 개정" in content
        assert "협동 <mark>로봇</mark>의 인증이 간소화된다." in content
        assert "…" in content  # the snippet starts near the word, not at the body's start
        assert "&lt;strong&gt;" not in content and "<strong>협동" not in content

    def test_html_in_titles_and_in_the_query_is_escaped(self, client):
        ArticleFactory(title="<script>alert(1)</script> 로봇 <b>수출</b>")

        content = search(client, "<script>alert(1)</script> 로봇").content.decode()

        assert "<script>alert(1)" not in content
        assert (
            "<mark>&lt;script&gt;alert(1)&lt;/script&gt;</mark> <mark>로봇</mark> &lt;b&gt;수출"
            in content
        )
        assert "<b>수출" not in content

    def test_highlight_escapes_everything_but_its_marks(self):
        marked = highlight('AI & "로봇" <i>', ["ai", "로봇"])

        assert marked == "<mark>AI</mark> &amp; &quot;<mark>로봇</mark>&quot; &lt;i&gt;"

    def test_the_query_stays_in_the_search_box(self, client):
        content = search(client, '로봇 "수출"').content.decode()

        assert 'value="로봇 &quot;수출&quot;"' in content

    def test_results_are_not_indexed_by_search_engines(self, client):
        ArticleFactory(title="로봇")

        content = search(client, "로봇").content.decode()

        assert '<meta name="robots" content="noindex">' in content
        assert re.search(r"<title>[^<]*로봇[^<]*</title>", content)

    @pytest.mark.parametrize("query", ["", "   ", "\t\n", "\x00"])
    def test_an_empty_query_shows_the_form_and_no_results(self, client, query):
        ArticleFactory(title="로봇")

        response = search(client, query)

        assert response.status_code == 200
        assert response.context["hits"] == [] and response.context["page_obj"] is None
        assert 'name="q"' in response.content.decode()

    def test_no_query_at_all_is_the_empty_search_page(self, client, db):
        response = client.get(reverse("articles:search"))

        assert response.status_code == 200 and response.context["hits"] == []

    def test_a_search_without_results_says_so(self, client, db):
        response = search(client, "없는낱말")

        assert response.status_code == 200
        assert response.context["page_obj"].paginator.count == 0

    def test_pages_keep_the_query(self, client):
        for n in range(25):
            ArticleFactory(title=f"로봇 기사 {n}")

        first = search(client, "로봇")
        next_link = re.search(r'<a href="([^"]+)" rel="next"', first.content.decode()).group(1)
        params = parse_qs(urlsplit(unescape(next_link)).query)
        second = client.get(reverse("articles:search") + "?" + urlsplit(unescape(next_link)).query)

        assert params == {"q": ["로봇"], "page": ["2"]}
        assert len(found(first)) == 20 and len(found(second)) == 5
        assert not set(found(first)) & set(found(second))

    @pytest.mark.parametrize("page", ["abc", "0", "-1", "99999", "99999999999999999999999"])
    def test_bad_page_numbers_never_fail(self, client, page):
        ArticleFactory(title="로봇")

        assert search(client, "로봇", page=page).status_code == 200

    def test_query_count_does_not_grow_with_the_results(
        self, client, django_assert_max_num_queries
    ):
        def queries_for(query):
            search(client, query)  # warm the site-wide caches
            with CaptureQueriesContext(connection) as captured:
                assert search(client, query).status_code == 200
            return len(captured)

        ArticleFactory(title="수소 한 건")
        one = queries_for("수소")
        for n in range(20):
            ArticleFactory(title=f"배터리 {n}", lead_photo=PhotoFactory(), tags=["전지", "소재"])

        assert queries_for("배터리") == one
        with django_assert_max_num_queries(3):  # the versions, the count and the page
            search(client, "배터리")


@pytest.mark.parametrize(
    "query",
    [
        "'; DROP TABLE articles_article; --",
        "' OR '1'='1",
        "%",
        "%%%%",
        "_",
        "\\",
        "\x00",
        "로봇\x00수출",
        "x" * 10_000,
        "{{ 7*7 }}",
        "{% debug %}",
        "<script>alert(1)</script>",
        "javascript:alert(1)",
        "\N{REPLACEMENT CHARACTER}\ufeff",
        "a b c d e f g h i j k l m n o p",
    ],
)
def test_hostile_queries_are_just_text(client, query):
    ArticleFactory(title="로봇 수출")

    response = search(client, query)

    content = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert(1)" not in content
    assert len(response.context["query"]) <= MAX_QUERY_LENGTH
    assert "\x00" not in response.context["query"]


@pytest.mark.parametrize("raw", ["q=%ff%fe%00", "q=%e2%82", "q=a&q=%00", "q[]=x", "page=%00&q=x"])
def test_broken_encodings_in_the_address_are_just_text(client, db, raw):
    assert client.get(f"{reverse('articles:search')}?{raw}").status_code == 200


def test_template_syntax_in_the_query_is_not_evaluated(client, db):
    content = search(client, "{{ 7*7 }}").content.decode()

    assert 'value="{{ 7*7 }}"' in content


def test_a_very_long_query_is_cut(client, db):
    response = search(client, "로봇" * 5_000)

    assert response.status_code == 200
    assert len(response.context["query"]) == MAX_QUERY_LENGTH
