import pytest

from tests.factories import (
    AdvertiserFactory,
    ArticleFactory,
    CommentFactory,
    PlacementFactory,
    UserFactory,
)

# A browser's user agent: views and clicks from programs are not counted.
BROWSER = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
)


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def article(reporter_user):
    """A published article by the reporter fixture's byline, without a photo (fast)."""
    return ArticleFactory(reporter=reporter_user.reporter, title="스마트공장 기사", slug="smart")


@pytest.fixture
def readers_comment(reader, article):
    return CommentFactory(article=article, user=reader, body="독자 A의 댓글")


@pytest.fixture
def placement(db):
    """A live banner in the sidebar's sub-right slot (made by a data migration)."""
    from ads.models import AdSlot

    return PlacementFactory(slot=AdSlot.objects.get(key="sub-right"), name="봄 캠페인")


@pytest.fixture
def advertiser(db):
    return AdvertiserFactory(name="한빛정밀")
