"""Origin and portal category on articles: the section's category by default, set by editors
(reporters see them, do not change them), filtered in the article list; existing rows were
filled from their sections by the migration."""

import pytest
from django.urls import reverse

from articles.models import Article, Origin, PortalCategory
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:articles_article_changelist")


def test_a_new_article_takes_its_sections_category_and_is_own_reporting():
    energy = SectionFactory(portal_category=PortalCategory.ECONOMY)
    article = ArticleFactory(section=energy)
    assert article.portal_category == PortalCategory.ECONOMY
    assert article.origin == Origin.OWN
    chosen = ArticleFactory(section=energy, portal_category=PortalCategory.WORLD)
    assert chosen.portal_category == PortalCategory.WORLD


def form(article, **changes):
    return {
        "title": article.title,
        "slug": article.slug,
        "section": article.section.pk,
        "body": article.body,
        "comments_open": "on",
        "version_seen": article.version,
        **changes,
    }


def test_an_editor_sets_origin_and_category(client, editor):
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    client.force_login(editor)
    response = client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        form(article, origin=Origin.PRESS_RELEASE, portal_category=PortalCategory.IT_SCIENCE),
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.origin, article.portal_category) == ("press_release", "it_science")


def test_a_reporter_sees_them_but_cannot_change_them(client, reporter_user):
    article = ArticleFactory(
        reporter=reporter_user.reporter, status=Article.Status.DRAFT, published_at=None
    )
    client.force_login(reporter_user)
    url = reverse("admin:articles_article_change", args=[article.pk])
    page = client.get(url).content.decode()
    assert "기사 출처" in page and "자체기사" in page
    assert 'name="origin"' not in page
    response = client.post(url, form(article, origin=Origin.WIRE, portal_category="opinion"))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.origin == Origin.OWN
    assert article.portal_category == article.section.portal_category


def test_the_article_list_filters_by_origin_and_category(client, editor):
    ArticleFactory(title="자체 취재 기사", origin=Origin.OWN)
    ArticleFactory(title="통신 기사", origin=Origin.WIRE, portal_category=PortalCategory.WORLD)
    client.force_login(editor)
    wire = client.get(CHANGELIST, {"origin__exact": "wire"}).content.decode()
    assert "통신 기사" in wire and "자체 취재 기사" not in wire
    world = client.get(CHANGELIST, {"portal_category__exact": "world"}).content.decode()
    assert "통신 기사" in world and "자체 취재 기사" not in world
    assert "포털 분류" in world
