"""holds(): a rule written once as a Q says the same of an object in hand as the database does."""

from datetime import timedelta

import pytest
from django.core.exceptions import FieldDoesNotExist
from django.db.models import F, Q
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, ReporterFactory, SectionFactory
from web.conditions import holds

pytestmark = pytest.mark.django_db

NOW = timezone.now()

CONDITIONS = [
    Q(status=Article.Status.PUBLISHED),
    Q(status=Article.Status.PUBLISHED, published_at__lte=NOW),
    Q(published_at__lt=NOW),
    Q(published_at__gt=NOW),
    Q(published_at__gte=NOW),
    Q(published_at__isnull=True),
    Q(published_at=None),
    ~Q(published_at__lte=NOW),
    Q(published_at__isnull=True) | Q(published_at__gt=NOW),
    ~(Q(status=Article.Status.DRAFT) | Q(section__is_active=False)),
    Q(section__is_active=True, reporter__is_active=True),
    Q(reporter__isnull=True),
    ~Q(reporter__is_active=True),
    Q(),
]


@pytest.fixture
def articles():
    hidden_desk = SectionFactory(is_active=False)
    return [
        ArticleFactory(published_at=NOW - timedelta(minutes=1)),
        ArticleFactory(published_at=NOW),
        ArticleFactory(published_at=NOW + timedelta(minutes=1)),
        ArticleFactory(published_at=None),
        ArticleFactory(status=Article.Status.DRAFT, published_at=NOW - timedelta(days=1)),
        ArticleFactory(section=hidden_desk, reporter=None),
        ArticleFactory(reporter=ReporterFactory(is_active=False)),
    ]


# Ids name the moment "NOW", so that every process collecting the tests gives the same ids.
@pytest.mark.parametrize("condition", CONDITIONS, ids=lambda q: str(q).replace(repr(NOW), "NOW"))
def test_holds_for_exactly_the_rows_the_database_returns(articles, condition):
    found = set(Article.objects.filter(condition).values_list("pk", flat=True))

    for article in Article.objects.select_related("section", "reporter"):
        assert holds(condition, article) is (article.pk in found), article


def test_what_it_cannot_check_in_python_is_refused_not_guessed(published_article):
    with pytest.raises(TypeError):
        holds(Q(updated_at__gt=F("published_at")), published_article)
    with pytest.raises(ValueError):
        holds(Q(title__icontains="공장"), published_article)
    with pytest.raises(ValueError):
        holds(Q(tags__name="로봇"), published_article)
    with pytest.raises(FieldDoesNotExist):
        holds(Q(no_such_field=1), published_article)
