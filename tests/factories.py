"""factory_boy factories for the tests; each builds a valid object with no arguments."""

import io
from datetime import timedelta

import factory
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from accounts.models import User
from ads.models import AdSlot, AdStat, Advertiser, Placement
from articles.models import Article, Photo, Section
from comments.models import Comment, CommentBan, CommentReport
from newsletters.models import PRIVACY_NOTICE_VERSION, Subscriber
from reporters.models import Reporter


def image_bytes(width: int = 640, height: int = 400, fmt: str = "PNG", color="steelblue") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, fmt)
    return buffer.getvalue()


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"독자{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.set(Group.objects.filter(name__in=extracted))
        if create:
            self.save()


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"산업{n}")
    slug = factory.Sequence(lambda n: f"section-{n}")


class ReporterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reporter

    name = factory.Sequence(lambda n: f"김기자{n}")
    slug = factory.Sequence(lambda n: f"reporter-{n}")
    email = factory.Sequence(lambda n: f"reporter{n}@news.example")
    title = "산업부 기자"
    bio = "기계·로봇 산업을 취재합니다."


class PhotoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Photo

    image = factory.LazyFunction(lambda: ContentFile(image_bytes(), name="photo.png"))
    caption = "스마트공장 생산라인에서 로봇이 부품을 조립하고 있다."
    credit = "사진=홍길동 기자"
    alt_text = "로봇 팔이 부품을 조립하는 모습"


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"스마트공장 보급 확대 {n}")
    slug = factory.Sequence(lambda n: f"smart-factory-{n}")
    subtitle = "중소 제조업체 디지털 전환 가속"
    section = factory.SubFactory(SectionFactory)
    reporter = factory.SubFactory(ReporterFactory)
    summary = "정부가 중소 제조업체의 스마트공장 보급을 늘린다."
    body = "<p>정부가 올해 스마트공장 보급 사업을 확대한다.</p><p>업계는 환영했다.</p>"
    status = Article.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(seconds=10))

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.add(*extracted)


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    article = factory.SubFactory(ArticleFactory)
    user = factory.SubFactory(UserFactory)
    body = factory.Sequence(lambda n: f"좋은 기사 감사합니다. {n}")


class CommentReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommentReport

    comment = factory.SubFactory(CommentFactory)
    user = factory.SubFactory(UserFactory)
    reason = CommentReport.Reason.ABUSE


class CommentBanFactory(factory.django.DjangoModelFactory):
    """A reader barred for seven days from now."""

    class Meta:
        model = CommentBan

    user = factory.SubFactory(UserFactory)
    reason = CommentReport.Reason.ABUSE
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))


class AdSlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdSlot
        django_get_or_create = ["key"]

    key = factory.Sequence(lambda n: f"slot-{n}")
    name = factory.Sequence(lambda n: f"광고 자리 {n}")
    width = 300
    height = 250
    max_placements = 3


class AdvertiserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Advertiser
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"한빛정밀{n}")
    contact_email = factory.Sequence(lambda n: f"ad{n}@advertiser.example")


class PlacementFactory(factory.django.DjangoModelFactory):
    """A live banner of the slot's size, running from yesterday for a month."""

    class Meta:
        model = Placement

    slot = factory.SubFactory(AdSlotFactory)
    advertiser = factory.SubFactory(AdvertiserFactory)
    name = factory.Sequence(lambda n: f"봄 캠페인 {n}")
    image = factory.LazyAttribute(
        lambda p: ContentFile(image_bytes(p.slot.width, p.slot.height), name="banner.png")
    )
    alt_text = "산업용 로봇 신제품 출시"
    target_url = factory.Sequence(lambda n: f"https://advertiser{n}.example/landing")
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    ends_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))


class AdStatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdStat

    placement = factory.SubFactory(PlacementFactory)
    date = factory.LazyFunction(timezone.localdate)


class SubscriberFactory(factory.django.DjangoModelFactory):
    """A confirmed newsletter subscriber to the whole digest, who agreed to today's notice."""

    class Meta:
        model = Subscriber
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"subscriber{n}@example.com")
    status = Subscriber.Status.CONFIRMED
    consent_version = PRIVACY_NOTICE_VERSION
    consented_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def sections(self, create, extracted, **kwargs):
        if create and extracted:
            self.sections.set(extracted)
