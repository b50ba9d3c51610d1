"""Search over the text readers read: compounds, markup, the plain-text column kept on every
write path, the bounded count and the index PostgreSQL answers from."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from articles import search
from articles.models import Article
from articles.search import search_tokens
from articles.search_text import plain_text
from articles.services import merge_tags, restore_revision
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's index")


def found(client, query, **params) -> list[str]:
    response = client.get(reverse("articles:search"), {"q": query, **params})
    assert response.status_code == 200
    return [hit.article.title for hit in response.context["hits"]]


def article(title="가", body="<p>본문</p>", **kwargs):
    return ArticleFactory(title=title, subtitle="", summary="", body=body, **kwargs)


class TestCompounds:
    def test_a_two_syllable_word_is_found_inside_a_compound_in_the_body(self, client):
        compound = article("신제품", body="<p>두산로보틱스가 새 협동로봇을 내놨다.</p>")
        article("다른 소식", body="<p>로보틱스 업계 동향</p>")

        assert found(client, "로봇") == [compound.title]

    def test_a_long_word_is_found_in_the_middle_of_a_compound(self, client):
        inside = article(body="<p>광주경제자유구역청은 27일 설명회를 열었다.</p>")
        article("나", body="<p>경제 자유 구역</p>")  # the same syllables, apart

        assert found(client, "경제자유구역") == [inside.title]

    def test_a_single_syllable_finds_it_anywhere(self, client):
        last = article("가", body="<p>협동로봇</p>")
        first = article("나", body="<p>봇물 터지듯</p>")
        article("다", body="<p>로보틱스</p>")

        assert set(found(client, "봇")) == {last.title, first.title}

    def test_words_run_together_across_inline_markup_but_not_across_paragraphs(self, client):
        inline = article("가", body="<p><strong>협동</strong>로봇</p>")
        article("나", body="<p>협동</p><p>로봇</p>")

        assert found(client, "협동로봇") == [inline.title]

    def test_korean_and_latin_in_one_word(self, client):
        mixed = article("가", body="<p>LG전자가 AI로봇을 공개했다.</p>")
        article("나", body="<p>AI 기반 로봇</p>")

        assert found(client, "AI로봇") == [mixed.title]
        assert found(client, "lg전자") == [mixed.title]

    @on_postgresql
    def test_latin_words_are_found_from_their_start(self, client):
        start = article("가", body="<p>Robotics and AI</p>")
        article("나", body="<p>He said it.</p>")

        assert found(client, "robot") == [start.title]
        assert found(client, "ai") == [start.title]


class TestMarkupIsNotText:
    @pytest.mark.parametrize(
        "body, word",
        [
            ('<p><a href="https://example.com/hydrogen">기사 보기</a></p>', "hydrogen"),
            ('<p><a href="https://example.com/" title="수소충전소">기사</a></p>', "수소충전소"),
            ("<p><strong>굵은 글씨</strong></p>", "strong"),
            ('<figure data-photo-id="7"><figcaption>사진</figcaption></figure>', "photo"),
            ('<p><img src="/media/a.jpg" alt="배터리공장" width="9" height="9"></p>', "배터리"),
            ("<table><tr><td>수치</td></tr></table>", "table"),
        ],
    )  # fmt: skip
    def test_a_word_only_inside_a_tag_or_attribute_is_not_found(self, client, body, word):
        article("가", body=body)

        assert found(client, word) == []

    def test_the_text_around_the_markup_is_found_and_entities_are_text(self, client):
        text = article(
            "가",
            body='<p>중기부 <a href="https://example.com/x">R&amp;D 예산</a>이 늘었다.</p>'
            "<figure><figcaption>수소충전소 전경</figcaption></figure>",
        )

        assert found(client, "R&D") == [text.title]
        assert found(client, "예산이") == [text.title]
        assert found(client, "수소충전소") == [text.title]  # a caption is what readers see

    def test_the_plain_text_keeps_blocks_apart_and_inline_markup_together(self):
        html = (
            "<h2>제목</h2><p>첫 <em>문</em>단&nbsp;&lt;끝&gt;</p><ul><li>하나</li><li>둘</li></ul>"
        )

        assert plain_text(html) == "제목 첫 문단 <끝> 하나 둘"


class TestNeverFound:
    def test_embargoed_scheduled_and_unpublished_articles_are_never_found(self, client):
        now = timezone.now()
        article("수소 공개")
        article("수소 초안", status=Article.Status.DRAFT)
        article("수소 예약", published_at=now + timedelta(hours=1))
        article(
            "수소 엠바고",
            published_at=now - timedelta(hours=1),
            embargo_until=now + timedelta(hours=2),
        )

        assert found(client, "수소") == ["수소 공개"]


class TestTheTextFollowsEveryChange:
    def test_save(self, client):
        story = article("가", body="<p>옛 낱말</p>")
        story.body = "<p>새낱말</p>"
        story.save()

        assert found(client, "새낱말") == ["가"] and found(client, "옛") == []

    def test_save_with_update_fields(self, client):
        story = article("옛제목")
        story.title = "새제목"
        story.save(update_fields=["title"])

        assert found(client, "새제목") == ["새제목"] and found(client, "옛제목") == []

    def test_save_of_an_article_loaded_for_a_list(self, client):
        article("옛제목")
        listed = Article.objects.for_listing().get()
        listed.title = "새제목"
        listed.save()

        assert found(client, "새제목") == ["새제목"] and found(client, "옛제목") == []

    def test_queryset_update(self, client):
        story = article("가", body="<p>옛 낱말</p>")
        Article.objects.filter(pk=story.pk).update(body="<p>새낱말</p>")

        assert found(client, "새낱말") == ["가"] and found(client, "옛") == []

    def test_bulk_update(self, client):
        story = article("가", body="<p>옛 낱말</p>")
        story.body = "<p>새낱말</p>"
        Article.objects.bulk_update([story], ["body"])

        assert found(client, "새낱말") == ["가"]

    def test_bulk_create(self, client, db):
        source = article("원본")
        Article.objects.bulk_create(
            [Article(title="대량", slug="bulk", section=source.section, body="<p>벌크낱말</p>",
                     status=Article.Status.PUBLISHED, published_at=source.published_at)]
        )  # fmt: skip

        assert found(client, "벌크낱말") == ["대량"]

    def test_tags_added_removed_renamed_and_deleted(self, client):
        story = article("가", tags=["수소경제"])
        assert found(client, "소경") == ["가"]

        story.tags.add("탄소중립")
        assert found(client, "탄소") == ["가"]
        story.tags.remove("탄소중립")
        assert found(client, "탄소") == []

        tag = Tag.objects.get(name="수소경제")
        tag.name = "그린수소"
        tag.save()
        assert found(client, "그린") == ["가"] and found(client, "수소경제") == []

        tag.delete()
        assert found(client, "그린") == []

    def test_merged_tags(self, client):
        article("가", tags=["전기차"])
        article("나", tags=["EV"])

        merge_tags(tags=Tag.objects.filter(name__in=["전기차", "EV"]), name="전기자동차")

        assert set(found(client, "전기자동차")) == {"가", "나"}
        assert found(client, "EV") == []

    def test_a_saved_article_keeps_the_tags_set_on_it_before(self, client):
        """Restoring a revision sets the tags, then saves the article it holds."""
        story = article("가", tags=["수소"])
        revision = story.history.latest()
        revision.tag_names = ["배터리"]
        revision.save()

        restore_revision(article=story, revision=revision, user=UserFactory())

        assert found(client, "배터리") == ["가"] and found(client, "수소") == []

    def test_the_demo_seeder_fills_the_tags(self, client):
        from demo.seeding import tag_articles

        story = article("가")
        tag_articles([(story, ["스마트팩토리"])])

        assert found(client, "팩토리") == ["가"]

    def test_the_migration_fills_existing_articles(self, client):
        story = article("가", body="<p>기존기사</p>", tags=["기존태그"])
        Article.objects.filter(pk=story.pk).update(search_text="", search_tags="")
        assert found(client, "기존기사") == []

        migration = importlib.import_module("articles.migrations.0013_article_search_text")
        migration.fill_search_text(apps, None)

        assert found(client, "기존기사") == ["가"] and found(client, "기존태그") == ["가"]


class TestRanking:
    def test_a_tag_ranks_with_the_subtitle_above_the_body_and_the_newest_first(self, client):
        now = timezone.now()
        article("본문", body="<p>수소</p>", published_at=now - timedelta(hours=1))
        article("태그", tags=["수소"], published_at=now - timedelta(hours=3))
        ArticleFactory(title="부제", subtitle="수소 경제", published_at=now - timedelta(hours=2))
        article("수소 제목", published_at=now - timedelta(days=9))

        assert found(client, "수소") == ["수소 제목", "부제", "태그", "본문"]

    def test_every_page_is_ranked_over_all_the_matches(self, client):
        now = timezone.now()
        for n in range(25):
            article(f"기사 {n}", body="<p>수소</p>", published_at=now - timedelta(hours=n))
        article("수소 옛 제목", published_at=now - timedelta(days=30))

        first = found(client, "수소")
        second = found(client, "수소", page=2)

        assert first[0] == "수소 옛 제목"
        assert first[1:] == [f"기사 {n}" for n in range(19)]
        assert second == [f"기사 {n}" for n in range(19, 25)]


class TestBoundedCount:
    def test_the_count_stops_at_the_limit_and_says_so(self, client, monkeypatch):
        monkeypatch.setattr(search, "COUNT_LIMIT", 3)
        for n in range(5):
            article(f"수소 {n}")

        response = client.get(reverse("articles:search"), {"q": "수소"})

        page_obj = response.context["page_obj"]
        assert page_obj.paginator.count == 3 and page_obj.paginator.more
        assert "More than 3 articles found" in response.content.decode() or (
            "기사 3건 이상" in response.content.decode()
        )

    def test_an_article_withdrawn_between_ranking_and_loading_is_not_shown(
        self, client, monkeypatch
    ):
        kept, withdrawn = article("수소 가"), article("수소 나")
        load = search._loaded

        def withdraw_first(pks):
            Article.objects.filter(pk=withdrawn.pk).update(status=Article.Status.WITHDRAWN)
            return load(pks)

        monkeypatch.setattr(search, "_loaded", withdraw_first)

        assert found(client, "수소") == [kept.title]

    def test_the_last_page_ends_at_the_limit(self, client, monkeypatch):
        monkeypatch.setattr(search, "COUNT_LIMIT", 25)
        for n in range(31):
            article(f"수소 {n}")

        response = client.get(reverse("articles:search"), {"q": "수소", "page": 2})

        page_obj = response.context["page_obj"]
        assert (page_obj.number, page_obj.paginator.num_pages) == (2, 2)
        assert len(response.context["hits"]) == 5 and page_obj.paginator.more

    def test_under_the_limit_the_count_is_exact(self, client):
        for n in range(4):
            article(f"수소 {n}")

        response = client.get(reverse("articles:search"), {"q": "수소"})

        assert response.context["page_obj"].paginator.count == 4
        assert not response.context["page_obj"].paginator.more

    def test_a_page_is_three_queries_whatever_the_matches(
        self, client, django_assert_max_num_queries
    ):
        for n in range(30):
            article(f"수소 {n}", tags=["에너지"])
        client.get(reverse("articles:search"), {"q": "수소"})  # the site-wide caches

        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("articles:search"), {"q": "수소 에너지", "page": 2})

        # The versions, the ranked page with the bounded count of the matches in it (not
        # a query and a round trip of its own), and the page's articles, which never
        # reads a body.
        assert len(queries) == 3
        sql = [query["sql"] for query in queries.captured_queries]
        assert sum("AS bounded" in query or "OVER ()" in query for query in sql) == 1
        assert not any('"body"' in query for query in sql)

    @on_postgresql
    @pytest.mark.parametrize(
        "query, counting",
        [("수소", "LIMIT 1001) AS bounded"), ("수소 연료", "LIMIT 1001) AS bounded"),
         ("수소경제", "OVER ()"), ("수소 수소경제", "OVER ()")],
    )  # fmt: skip
    def test_the_count_reads_the_matches_again_only_when_the_index_alone_says_which(
        self, client, query, counting
    ):
        """A word of one token is answered by the index: counting it to the limit costs
        less than counting every ranked match; a phrase's rows are read to check its
        tokens' positions, and the ranking's own reading of them is counted instead."""
        for n in range(25):
            article(f"수소경제 {n}", tags=["연료"])
        article("수소 경제")  # the phrase's syllables, apart

        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("articles:search"), {"q": query, "page": 2})

        assert sum(counting in q["sql"] for q in queries.captured_queries) == 1
        assert response.context["page_obj"].paginator.count == (26 if query == "수소" else 25)
        assert response.context["page_obj"].number == 2

    def test_the_count_of_a_later_page_is_all_the_matches(self, client):
        for n in range(45):
            article(f"수소 {n}")

        page_obj = client.get(reverse("articles:search"), {"q": "수소", "page": 3}).context[
            "page_obj"
        ]

        paginator = page_obj.paginator
        assert (page_obj.number, paginator.count, paginator.num_pages) == (3, 45, 3)
        assert len(page_obj.object_list) == 5 and not page_obj.has_next()

    @pytest.mark.parametrize(
        "page, shown",
        [("abc", 1), ("", 1), ("2.0", 1), ("0", 2), ("-1", 2), ("3", 2), ("99999", 2), ("2", 2)],
    )
    def test_a_page_out_of_range_is_the_last_and_a_bad_number_the_first(self, client, page, shown):
        """As Django's Paginator.get_page(): what a reader's address asks stays answered."""
        now = timezone.now()
        for n in range(25):
            article(f"수소 {n}", published_at=now - timedelta(hours=n))

        response = client.get(reverse("articles:search"), {"q": "수소", "page": page})

        page_obj = response.context["page_obj"]
        assert page_obj.number == shown and page_obj.paginator.count == 25
        titles = [hit.article.title for hit in response.context["hits"]]
        assert titles == [f"수소 {n}" for n in range(25)][(shown - 1) * 20 : shown * 20]


@on_postgresql
def test_article_rows_keep_what_ranking_reads_and_store_long_text_apart():
    """Migration 0016: ranking reads narrow rows (title, subtitle and tags in the row)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'articles_article'")
        assert "toast_tuple_target=512" in cursor.fetchone()[0]
        cursor.execute(
            "SELECT attname, attstorage FROM pg_attribute WHERE attrelid = "
            "'articles_article'::regclass AND attname IN ('title', 'subtitle', 'search_tags', "
            "'body', 'search_text')"
        )
        assert dict(cursor.fetchall()) == {
            "title": "m",
            "subtitle": "m",
            "search_tags": "m",
            "body": "x",
            "search_text": "x",
        }


@on_postgresql
def test_a_long_article_stored_apart_is_found_and_read_whole(client):
    body = "".join(f"<p>협동로봇 {n}번째 문단입니다.</p>" for n in range(400))
    long = article("긴 기사", body=body)

    assert found(client, "로봇") == ["긴 기사"]
    assert Article.objects.get(pk=long.pk).body == body


class TestTokens:
    @pytest.mark.parametrize(
        "word, tokens",
        [
            ("로봇", "'로봇'"),
            ("경제자유", "'경제' <-> '제자' <-> '자유'"),
            ("봇", "'봇':*"),
            ("AI로봇", "'ai' <-> '로봇'"),
            ("로봇AI", "'로봇' <-> '봇' <-> 'ai':*"),
            ("2026년", "'2026' <-> '년':*"),
            ("R&D", "'r' <-> 'd':*"),
            ("%", None),
        ],
    )  # fmt: skip
    def test_a_word_becomes_the_phrase_of_its_tokens(self, word, tokens):
        assert search_tokens(word) == tokens

    @on_postgresql
    def test_the_database_cuts_text_as_queries_are_cut(self):
        with connection.cursor() as cursor:
            cursor.execute("SELECT article_search_tokens(%s)", ["LG전자 협동로봇, 새 AI"])
            assert cursor.fetchone()[0] == "lg 전자 자 협동 동로 로봇 봇 새 ai"


@on_postgresql
@pytest.mark.parametrize("query", ["로봇", "경제자유", "AI로봇", "봇"])
def test_postgresql_answers_from_the_token_index(query):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # the test tables are tiny

    plan = Article.objects.filter(search._found_postgresql(query)).explain()

    assert "article_search_words_gin" in plan
