"""A newsroom-sized dataset, written fast: ``python -m bench.seed --articles 10000``.

Tops the database up to the given number of published articles, so the benchmark can
seed 1,000, measure, then grow the same database to 10,000 and measure again. The first
call also writes what does not grow with the archive: sections, reporters, ~40 photos
(drawn like seed_demo's and saved through Photo.save(), so their renditions are real),
a tag vocabulary, 5,000 readers, 20 ad slots with 100 placements, a few drafts and
scheduled stories.

Everything else goes in with bulk_create, never row by row: per article ~20 comments
(a few hot stories get hundreds), 3-6 tags, some editor-picked related links, and daily
view counts for the most-read lists. Random choices are seeded, so runs are alike.
"""

import argparse
import io
import os
import random
import time
from collections.abc import Iterator
from datetime import timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.files.base import ContentFile  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count, F, IntegerField, OuterRef, Subquery, Value  # noqa: E402
from django.db.models.functions import Coalesce, Mod  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.html import escape  # noqa: E402
from django.utils.text import slugify  # noqa: E402
from PIL import Image, ImageDraw  # noqa: E402
from taggit.models import Tag, TaggedItem  # noqa: E402

from accounts.models import User  # noqa: E402
from ads.models import AdSlot, AdStat, Advertiser, Placement  # noqa: E402
from articles.models import Article, DailyViews, Photo, Section  # noqa: E402
from comments.models import Comment  # noqa: E402
from demo import content  # noqa: E402
from demo.management.commands.seed_demo import (  # noqa: E402
    draw_values,
    korean,
    picture,
    portrait,
    seed_site,
)
from reporters.models import Reporter  # noqa: E402

# About ten stories a day: 10,000 articles are an archive of nearly three years.
PUBLISH_EVERY = timedelta(hours=2, minutes=24)
COMMENTS_PER_ARTICLE = 20  # on average: 200,000 for 10,000 articles
HOT_EVERY = 100  # one story in a hundred gets hundreds of comments
PHOTOS = 40
READERS = 5000
READER_PASSWORD = "bench-reader-password"  # noqa: S105 - throwaway benchmark accounts
AD_SLOTS = 20
PLACEMENTS = 100
BATCH = 2000

EXTRA_SECTIONS = [("world", "국제"), ("markets", "시장·증권"), ("opinion", "오피니언")]
EXTRA_REPORTERS = [
    "강도현", "김나래", "이준서", "박하윤", "정우진", "최서윤", "조민호", "윤지아",
    "장태오", "임소희", "한결", "오유진", "서지훈", "권나은",
]  # fmt: skip
TOPIC_PREFIXES = ["스마트", "친환경", "디지털", "첨단", "차세대", "무인", "고효율", "지능형"]
TOPIC_NOUNS = [
    "공장", "물류", "센서", "배터리", "로봇", "소재", "부품", "설비", "금형", "용접",
    "모터", "반도체", "조선", "항공", "철강", "수소", "전력망", "검사장비", "감속기", "공작기계",
]  # fmt: skip
COMMENT_LINES = [
    "현장에서 일하는 입장에서 정말 반가운 소식입니다.",
    "기사 잘 읽었습니다. 후속 보도도 부탁드립니다.",
    "숫자만 보면 좋아 보이지만 인력 문제는 여전히 숙제인 것 같습니다.",
    "작년에도 비슷한 발표가 있었는데 달라진 점이 무엇인지 궁금합니다.",
    "수출이 늘었다니 다행이네요. 환율 영향은 얼마나 되는지도 알고 싶습니다.",
    "우리 공장도 내년에 도입을 검토 중인데 참고가 많이 됐습니다.",
    "지방 산업단지에도 이런 투자가 이어지길 바랍니다.",
    "기술 표준이 먼저 정리돼야 할 것 같아요. 업체마다 방식이 달라 호환이 어렵습니다.",
    "중소기업까지 지원이 닿았으면 좋겠네요.",
    "좋은 기사 감사합니다.",
    "납기와 단가 문제는 기사에 나온 것보다 훨씬 심각합니다.",
    "해외 사례와 비교한 자료가 있으면 좋겠습니다.",
]
GUESTS = ["지나가던 독자", "공장장", "부품업체 직원", "현장엔지니어", "구독자"]
AD_SIZES = [(300, 250), (300, 100), (728, 90), (160, 600)]


def stamp(message: str, started: float) -> None:
    print(f"  {message} ({time.monotonic() - started:.1f} s)", flush=True)


def batched(items: list, size: int = BATCH) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --- Once: what does not grow with the archive ---------------------------------------------


def tag_vocabulary() -> list[str]:
    """A few hundred Korean tags: the demo's, its firms and places, and topic compounds."""
    words = []
    for kit in content.KITS:
        words += kit["tags"] + kit["extra_tags"]
        words += [tag for story in kit["stories"] for tag in story["tags"]]
    words += content.MAKERS + content.FACTORIES + content.ENERGY_FIRMS + content.VENDORS
    words += content.INSTITUTES + content.ASSOCIATIONS + content.COUNTRIES
    words += [region for region, _province, _complex in content.REGIONS]
    words += [complex_ for _region, _province, complex_ in content.REGIONS]
    words += [prefix + noun for prefix in TOPIC_PREFIXES for noun in TOPIC_NOUNS]
    return list(dict.fromkeys(word.strip() for word in words if word.strip()))


def seed_base(rng: random.Random) -> None:
    started = time.monotonic()
    seed_site()
    for position, (slug, name) in enumerate([*content.SECTIONS, *EXTRA_SECTIONS]):
        Section.objects.get_or_create(slug=slug, defaults={"name": name, "position": position})

    for data in content.REPORTERS:
        reporter = Reporter(**{key: data[key] for key in ("slug", "name", "email", "title", "bio")})
        reporter.photo = ContentFile(portrait(data["palette"]), name=f"{data['slug']}.jpg")
        reporter.save()
    Reporter.objects.bulk_create(
        Reporter(
            slug=f"reporter-{number:02d}",
            name=name,
            email=f"reporter{number:02d}@bench.example",
            title="기자",
            bio=f"{name} 기자는 산업 현장을 취재합니다.",
        )
        for number, name in enumerate(EXTRA_REPORTERS, start=1)
    )
    stamp(f"{Section.objects.count()} sections, {Reporter.objects.count()} reporters", started)

    # Real photos with real renditions, made the slow way once; articles share them.
    for number in range(PHOTOS):
        caption, motif, palette, credit = content.PHOTOS[number % len(content.PHOTOS)]
        photo = Photo(
            caption=caption if number < len(content.PHOTOS) else f"{caption} ({number})",
            credit=f"그래픽={credit} 기자",
            alt_text=content.MOTIFS[motif].format(accent="색"),
        )
        photo.image = ContentFile(picture(motif, palette, f"bench-{number}"), name="bench.jpg")
        photo.save()
    stamp(f"{PHOTOS} photos with renditions", started)

    Tag.objects.bulk_create(
        Tag(name=name, slug=slugify(name, allow_unicode=True)) for name in tag_vocabulary()
    )
    password = make_password(READER_PASSWORD)  # hashed once, shared by every reader
    User.objects.bulk_create(
        (
            User(
                username=f"reader{number:04d}",
                display_name=f"독자{number:04d}",
                email=f"reader{number:04d}@bench.example",
                password=password,
            )
            for number in range(1, READERS + 1)
        ),
        batch_size=BATCH,
    )
    stamp(f"{Tag.objects.count()} tags, {READERS} readers", started)

    seed_ads(rng)
    stamp(f"{AdSlot.objects.count()} ad slots, {Placement.objects.count()} placements", started)

    # A few stories the public must not see: scheduled ones and drafts.
    now = timezone.now()
    section = Section.objects.first()
    unpublished = []
    for number in range(10):
        scheduled = number % 2 == 0
        unpublished.append(
            Article(
                title=f"예약 기사 {number}" if scheduled else f"작성 중인 기사 {number}",
                slug=f"unpublished-{number}",
                section=section,
                body="<p>아직 공개되지 않은 기사입니다.</p>",
                status=Article.Status.PUBLISHED if scheduled else Article.Status.DRAFT,
                published_at=now + timedelta(hours=number + 1) if scheduled else None,
            )
        )
    Article.objects.bulk_create(unpublished)


def banner_file(width: int, height: int) -> ContentFile:
    image = Image.new("RGB", (width, height), (11, 74, 139))
    ImageDraw.Draw(image).rectangle((0, int(height * 0.7), width, height), fill=(242, 183, 5))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return ContentFile(buffer.getvalue(), name=f"bench-{width}x{height}.png")


def seed_ads(rng: random.Random) -> None:
    """20 slots (the two the pages show first), 100 banners, a month of figures."""
    # The two sidebar slots the pages show come with the migrations.
    slots = []
    for number in range(AD_SLOTS - 2):
        width, height = AD_SIZES[number % len(AD_SIZES)]
        slots.append(
            AdSlot(key=f"slot-{number:02d}", name=f"광고{number:02d}", width=width, height=height)
        )
    AdSlot.objects.bulk_create(slots)
    slots = list(AdSlot.objects.order_by("pk"))
    advertisers = Advertiser.objects.bulk_create(
        Advertiser(name=f"광고주{number:02d}", contact_email=f"ad{number:02d}@bench.example")
        for number in range(25)
    )
    advertisers = list(Advertiser.objects.order_by("pk"))
    now = timezone.now().replace(second=0, microsecond=0)
    # One banner file per size, made through Placement.save(); the others point at it.
    images: dict[tuple[int, int], Placement] = {}
    placements = []
    for number in range(PLACEMENTS):
        # The two sidebar slots get a dozen each; the rest are spread over the others.
        slot = slots[number % 2] if number < 24 else slots[2 + number % (AD_SLOTS - 2)]
        if number % 10 == 8:  # expired
            starts, ends = now - timedelta(days=60), now - timedelta(days=5)
        elif number % 10 == 9:  # scheduled
            starts, ends = now + timedelta(days=3), now + timedelta(days=40)
        else:
            starts, ends = now - timedelta(days=rng.randint(1, 40)), now + timedelta(days=30)
        placement = Placement(
            slot=slot,
            advertiser=advertisers[number % len(advertisers)],
            name=f"캠페인 {number:03d}",
            alt_text=f"광고 {number:03d}",
            target_url=f"https://www.example.com/ad/{number}",
            starts_at=starts,
            ends_at=ends,
            weight=rng.randint(1, 5),
            position=number,
        )
        size = (slot.width, slot.height)
        if size not in images:
            placement.image = banner_file(*size)
            placement.save()
            images[size] = placement
        else:
            first = images[size]
            placement.image = first.image.name
            placement.image_width, placement.image_height = first.image_width, first.image_height
            placements.append(placement)
    Placement.objects.bulk_create(placements)
    today = timezone.localdate()
    stats = []
    for placement in Placement.objects.all():
        for age in range(30):
            day = today - timedelta(days=age)
            if (
                timezone.localdate(placement.starts_at)
                <= day
                < timezone.localdate(placement.ends_at)
            ):
                impressions = rng.randint(300, 5000)
                stats.append(
                    AdStat(
                        placement=placement,
                        date=day,
                        impressions=impressions,
                        clicks=rng.randint(0, impressions // 60),
                    )
                )
    AdStat.objects.bulk_create(stats, batch_size=BATCH)


# --- Per article: what grows with the archive ----------------------------------------------


def story(number: int) -> dict:
    """The text of article ``number``: a demo kit's template filled with its own values."""
    kit = content.KITS[number % len(content.KITS)]
    template = kit["stories"][(number // len(content.KITS)) % len(kit["stories"])]
    rng = random.Random(f"bench-story-{number}")
    values = draw_values(rng, kit)
    paragraphs = [*template["paragraphs"]]
    paragraphs += rng.sample(kit["contexts"], min(len(kit["contexts"]), 2))
    if kit["quotes"]:
        paragraphs.append(rng.choice(kit["quotes"]))
    if kit["closings"]:
        paragraphs.append(rng.choice(kit["closings"]))
    title = korean.format(template["title"], **values)
    return {
        "kit": kit,
        "title": title,
        "subtitle": korean.format(template["subtitle"], **values),
        "summary": korean.format(template["summary"], **values),
        "body": "\n".join(f"<p>{escape(korean.format(text, **values))}</p>" for text in paragraphs),
        "tags": [*kit["tags"], *template["tags"]],
    }


def seed_articles(target: int, rng: random.Random) -> None:
    started = time.monotonic()
    existing = Article.objects.published().count()
    if existing >= target:
        print(f"  {existing} published articles already")
        return
    now = timezone.now().replace(microsecond=0)
    sections = {section.slug: section for section in Section.objects.all()}
    reporters = list(Reporter.objects.order_by("pk"))
    kit_reporters = {reporter.slug: reporter for reporter in reporters}
    photos = list(Photo.objects.order_by("pk"))
    tags = {tag.name: tag for tag in Tag.objects.all()}
    vocabulary = list(tags.values())
    # A few tags are used a lot and most rarely, as on a real site.
    weights = [1 / (rank + 1) ** 0.7 for rank in range(len(vocabulary))]

    numbers = range(existing, target)
    texts = {number: story(number) for number in numbers}
    articles = []
    for number in numbers:
        text = texts[number]
        kit = text["kit"]
        section = sections[kit["section"]] if number % 10 else sections["world"]
        reporter = kit_reporters[kit["reporter"]] if number % 2 else rng.choice(reporters)
        articles.append(
            Article(
                title=text["title"],
                subtitle=text["subtitle"],
                slug=slugify(text["title"], allow_unicode=True)[:200],
                section=section,
                reporter=reporter,
                lead_photo=photos[number % len(photos)],
                summary=text["summary"],
                body=text["body"],
                status=Article.Status.PUBLISHED,
                published_at=now - PUBLISH_EVERY * (number + 1),
                view_count=round(rng.triangular(40, 8000, 400)),
            )
        )
    created = Article.objects.bulk_create(articles, batch_size=500)
    first_pk = min(article.pk for article in created)
    new = Article.objects.filter(pk__gte=first_pk)
    # auto_now stamped them with now: written an hour or two before publication, every
    # sixth one modified afterwards (기사수정).
    new.update(created_at=F("published_at") - timedelta(hours=1), updated_at=F("published_at"))
    new.alias(sixth=Mod("pk", 6)).filter(sixth=5).update(
        updated_at=F("published_at") + timedelta(hours=3)
    )
    stamp(f"{len(created)} articles", started)

    article_type = ContentType.objects.get_for_model(Article)
    tagged = []
    for number, article in zip(numbers, created, strict=True):
        names = set(texts[number]["tags"])
        chosen = {tags[name] for name in names if name in tags}
        extra = rng.randint(max(0, 3 - len(chosen)), max(0, 6 - len(chosen)))
        while len(chosen) < len(names) + extra and len(chosen) < 6:
            chosen.add(rng.choices(vocabulary, weights)[0])
        tagged += [
            TaggedItem(tag=tag, content_type=article_type, object_id=article.pk) for tag in chosen
        ]
    TaggedItem.objects.bulk_create(tagged, batch_size=BATCH)
    # Editor-picked related links on every fifth story: two earlier stories of its kit.
    related = Article.related.through
    links = []
    for index, article in enumerate(created):
        if index % 5 == 0 and index >= 24:
            for back in (12, 24):
                links.append(
                    related(from_article_id=article.pk, to_article_id=created[index - back].pk)
                )
    related.objects.bulk_create(links, batch_size=BATCH)
    stamp(f"{len(tagged)} tags on them, {len(links)} related links", started)

    seed_comments(list(zip(numbers, created, strict=True)), now, rng)
    stamp("comments", started)
    count = Comment.objects.visible().filter(article=OuterRef("pk")).values("article")
    new.update(
        comment_count=Coalesce(
            Subquery(count.annotate(n=Count("pk")).values("n"), output_field=IntegerField()),
            Value(0),
        )
    )
    seed_daily_views(created, now, rng)
    stamp("comment counts, daily views", started)


def seed_comments(articles: list[tuple[int, Article]], now, rng: random.Random) -> None:
    """~20 a story, hundreds on hot ones; replies, hidden and deleted ones among them."""
    readers = list(User.objects.filter(username__startswith="reader").values_list("pk", flat=True))
    total = 0
    for chunk in batched(articles, 500):
        top_level: list[Comment] = []
        plans: list[tuple[Article, int]] = []
        for number, article in chunk:
            hot = number % HOT_EVERY == 7
            count = rng.randint(300, 900) if hot else rng.randint(0, 2 * 14)
            replies = count // 5
            plans.append((article, replies))
            top_level += [comment(article, now, rng, readers) for _ in range(count - replies)]
        Comment.objects.bulk_create(top_level, batch_size=BATCH)
        by_article: dict[int, list[Comment]] = {}
        for parent in top_level:
            by_article.setdefault(parent.article_id, []).append(parent)
        replies = []
        for article, count in plans:
            parents = by_article.get(article.pk)
            for _ in range(count if parents else 0):
                parent = rng.choice(parents)
                reply = comment(article, now, rng, readers)
                reply.parent = parent
                reply.created_at = min(
                    now, parent.created_at + timedelta(minutes=rng.randint(1, 600))
                )
                replies.append(reply)
        Comment.objects.bulk_create(replies, batch_size=BATCH)
        total += len(top_level) + len(replies)
    print(f"  {total} comments", flush=True)


def comment(article: Article, now, rng: random.Random, readers: list[int]) -> Comment:
    guest = rng.random() < 0.2
    roll = rng.random()
    status = (
        Comment.Status.HIDDEN
        if roll < 0.03
        else Comment.Status.DELETED
        if roll < 0.05
        else Comment.Status.VISIBLE
    )
    minutes = int(rng.expovariate(1 / 600))
    return Comment(
        article=article,
        user_id=None if guest else rng.choice(readers),
        guest_name=rng.choice(GUESTS) if guest else "",
        body=" ".join(rng.sample(COMMENT_LINES, rng.randint(1, 3))),
        status=status,
        ip_address=f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
        likes=int(rng.paretovariate(1.5)) - 1,
        created_at=min(now, article.published_at + timedelta(minutes=minutes)),
    )


def seed_daily_views(articles: list[Article], now, rng: random.Random) -> None:
    """Reads per day: two weeks after publication, and a long tail of older stories."""
    today = timezone.localdate(now)
    rows = []
    for article in articles:
        published = timezone.localdate(article.published_at)
        age = (today - published).days
        if age <= 30:
            days = [published + timedelta(days=d) for d in range(min(14, age + 1))]
        elif rng.random() < 0.1:
            days = [today - timedelta(days=d) for d in rng.sample(range(7), rng.randint(1, 3))]
        else:
            days = []
        rows += [
            DailyViews(article=article, date=day, views=round(rng.triangular(5, 3000, 50)))
            for day in days
            if day <= today
        ]
    DailyViews.objects.bulk_create(rows, batch_size=BATCH)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, required=True, help="published articles wanted")
    args = parser.parse_args()
    started = time.monotonic()
    rng = random.Random(f"bench-{args.articles}")
    with transaction.atomic():
        if not Section.objects.exists():
            seed_base(rng)
        seed_articles(args.articles, rng)
    if connection.vendor == "postgresql":
        # Production tables are analysed by autovacuum; do it now, not mid-measurement.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(
        f"Seeded to {Article.objects.published().count()} published articles, "
        f"{Comment.objects.count()} comments, {User.objects.count()} users "
        f"in {time.monotonic() - started:.1f} s",
        flush=True,
    )


if __name__ == "__main__":
    main()
