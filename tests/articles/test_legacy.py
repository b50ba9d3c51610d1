"""The old site's addresses keep working after the move."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db

ARTICLE_VIEW = "/news/articleView.html"
ARTICLE_LIST = "/news/articleList.html"


class TestOldArticleAddresses:
    def test_redirect_permanently_to_the_imported_article(self, client):
        article = ArticleFactory(legacy_id=12345)

        response = client.get(ARTICLE_VIEW, {"idxno": "12345"})

        assert response.status_code == 301
        assert response["Location"] == article.get_absolute_url()

    def test_other_parameters_of_the_old_address_are_ignored(self, client):
        article = ArticleFactory(legacy_id=7)

        response = client.get(f"{ARTICLE_VIEW}?idxno=7&replyAll=&reply_sc_order_by=C")

        assert response.status_code == 301
        assert response["Location"] == article.get_absolute_url()

    @pytest.mark.parametrize(
        "kwargs",
        [
            {"status": Article.Status.DRAFT},
            {"status": Article.Status.REVIEW},
            {"published_at": timezone.now() + timedelta(hours=1)},
        ],
    )
    def test_unpublished_articles_are_not_revealed(self, client, kwargs):
        ArticleFactory(legacy_id=55, **kwargs)

        assert client.get(ARTICLE_VIEW, {"idxno": "55"}).status_code == 404

    @pytest.mark.parametrize(
        "idxno",
        [
            "",
            "abc",
            "0",
            "-1",
            "+5",
            "1.5",
            "1e3",
            " 12",
            "12 ",
            "١٢",  # Arabic-Indic digits, which int() would accept
            "\x00",
            "12\x00",
            "9223372036854775808",
            "99999999999999999999999999999999",
            "1 OR 1=1",
            "{{ 7*7 }}",
        ],
    )
    def test_anything_but_a_known_positive_number_is_404(self, client, idxno):
        ArticleFactory(legacy_id=12)

        assert client.get(ARTICLE_VIEW, {"idxno": idxno}).status_code == 404

    def test_a_missing_idxno_is_404(self, client, db):
        assert client.get(ARTICLE_VIEW).status_code == 404

    def test_an_unknown_number_is_404(self, client, db):
        assert client.get(ARTICLE_VIEW, {"idxno": "9223372036854775807"}).status_code == 404


class TestOldSectionAddresses:
    def test_redirect_permanently_to_the_section_with_that_code(self, client):
        section = SectionFactory(legacy_code="S1N2")

        response = client.get(ARTICLE_LIST, {"sc_section_code": "S1N2"})

        assert response.status_code == 301
        assert response["Location"] == section.get_absolute_url()

    def test_the_list_without_a_code_was_all_articles_so_it_goes_home(self, client, db):
        response = client.get(ARTICLE_LIST)

        assert response.status_code == 301
        assert response["Location"] == reverse("articles:home")

    @pytest.mark.parametrize("code", ["S9N9", "s1n2", "S1N2\x00", "' OR 1=1 --", "S" * 500])
    def test_an_unknown_code_is_404(self, client, code):
        SectionFactory(legacy_code="S1N2")

        assert client.get(ARTICLE_LIST, {"sc_section_code": code}).status_code == 404

    def test_an_inactive_section_is_404(self, client):
        SectionFactory(legacy_code="S1N3", is_active=False)

        assert client.get(ARTICLE_LIST, {"sc_section_code": "S1N3"}).status_code == 404


def test_the_old_feed_address_serves_the_main_feed_itself(client, published_article):
    old = client.get("/rss/allArticle.xml")
    new = client.get(reverse("articles:feed"))

    assert old.status_code == 200
    assert old["Content-Type"] == new["Content-Type"]
    channel = ET.fromstring(old.content).find("channel")  # noqa: S314 - our own output
    assert [item.findtext("title") for item in channel.iter("item")] == [published_article.title]
