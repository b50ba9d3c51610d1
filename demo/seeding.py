"""One seeder for the demo newsroom at any size: ``seed(articles=...)``.

``manage.py seed_demo`` seeds the demo's own stories (``DEMO_ARTICLES``, what ``make run``
shows); the soak and the benchmark seed the same and an archive of older stories behind
them, up to a few hundred or 10,000 articles, with readers, comments and banners to match.

Safe to run again: rows are found by natural keys (slugs, captions, usernames, names) and
only missing ones are created, so a second run changes nothing, edits made in the admin
survive, and a larger size tops a smaller one up. Rows that come by the thousand go in with
bulk inserts. Every random choice is seeded, so each run writes the same text.
"""

import random
import zlib
from collections import Counter
from datetime import datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from accounts.models import User
from articles.models import Article, DailyViews, Origin, Photo, PortalCategory, Section
from articles.search_text import refresh_search_tags
from demo import body_photos, content, pictures
from demo.ads import seed_ads
from demo.bylines import seed_bylines
from demo.comments import seed_comments
from demo.frontpage import seed_front_page
from demo.newsletters import seed_newsletters
from demo.stories import (
    Story,
    archive_reporters,
    demo_stories,
    published_stories,
    unpublished_stories,
)
from demo.workflow import DEMO_SITE, seed_workflow
from outlet.models import SiteSettings
from reporters.models import Reporter

DEMO_ARTICLES = len(demo_stories())
# The demo's stories are spread over the last month; the archive goes on behind them at
# about ten stories a day, so 10,000 articles are an archive of nearly three years.
PUBLISHED_SPAN_DAYS = 30
ARCHIVE_EVERY = timedelta(hours=2, minutes=24)
BATCH = 2000


def seed(
    *,
    articles: int,
    readers: int = 0,
    comments_per_article: int = 0,
    banners: int = 0,
    site_url: str = DEMO_SITE,
) -> Counter:
    """Seed up to ``articles`` published articles, ``readers`` numbered reader accounts,
    about ``comments_per_article`` comments on each new article and ``banners`` banners
    beyond the demo's; returns the number of new rows of each kind. The workflow's mails link
    to ``site_url``, where the demo is served."""
    tally: Counter = Counter()
    archive = articles > DEMO_ARTICLES
    with transaction.atomic():
        tally["site settings"] += seed_site()
        sections = seed_sections(tally, archive=archive)
        reporters = seed_reporters(tally, archive=archive)
        photos = seed_photos(tally)
        new = seed_articles(tally, published_stories(articles), sections, reporters, photos)
        seed_accounts(tally, reporters)
        seed_workflow(tally, new, site_url=site_url)
        seed_bylines(tally)
        seed_front_page(tally)
        seed_newsletters(tally, site_url=site_url)
        seed_readers(tally, readers)
        seed_comments(tally, new, per_article=comments_per_article)
        seed_recent_views(tally)
        seed_ads(tally, banners=banners)
    return tally


def seed_site() -> bool:
    site = SiteSettings.current()
    # Fill the defaults once; an outlet name set later in the admin survives `make run`.
    if site.name != SiteSettings._meta.get_field("name").default:
        return False
    for name, value in content.SITE.items():
        setattr(site, name, value)
    site.save()
    return True


def seed_sections(tally: Counter, *, archive: bool) -> dict[str, Section]:
    specs = [*content.SECTIONS, *(content.ARCHIVE["sections"] if archive else [])]
    sections = {}
    for position, spec in enumerate(specs):
        sections[spec["slug"]], created = Section.objects.get_or_create(
            slug=spec["slug"],
            defaults={
                "name": spec["name"],
                "position": position,
                "portal_category": spec["portal_category"],
            },
        )
        tally["sections"] += created
    return sections


def seed_reporters(tally: Counter, *, archive: bool) -> dict[str, Reporter]:
    reporters = {}
    for data in content.REPORTERS:
        fields = {key: data[key] for key in ("name", "email", "title", "bio")}
        reporter, created = Reporter.objects.get_or_create(slug=data["slug"], defaults=fields)
        tally["reporters"] += created
        if not pictures.is_stored(reporter.photo):
            photo = pictures.portrait(data["palette"])
            reporter.photo = ContentFile(photo, name=f"{data['slug']}.jpg")
            reporter.save()
        reporters[data["slug"]] = reporter
    for data in archive_reporters() if archive else []:
        reporter, created = Reporter.objects.get_or_create(
            slug=data["slug"],
            defaults={
                "name": data["name"],
                "email": f"{data['slug']}@archive.example",
                "title": "기자",
                "bio": f"{data['name']} 기자는 산업 현장을 취재합니다.",
            },
        )
        tally["reporters"] += created
        reporters[data["slug"]] = reporter
    return reporters


def seed_photos(tally: Counter) -> dict[str, list[Photo]]:
    """The demo photos by motif; only missing ones (or ones whose file is gone) are drawn."""
    captions = [spec["caption"] for spec in content.PHOTOS]
    existing = {photo.caption: photo for photo in Photo.objects.filter(caption__in=captions)}
    by_motif: dict[str, list[Photo]] = {}
    for number, spec in enumerate(content.PHOTOS, start=1):
        photo = existing.get(spec["caption"])
        if photo is None or not pictures.is_stored(photo.image):
            palette = content.PALETTES[spec["palette"]]
            accent = content.MOTIFS[spec["motif"]].format(accent=palette.accent_in_words)
            photo = photo or Photo(
                caption=spec["caption"],
                credit=f"그래픽={spec['credit']} 기자",
                alt_text=f"{palette.background_in_words} 바탕에 {accent}",
            )
            drawing = pictures.picture(spec["motif"], spec["palette"], spec["caption"])
            photo.image = ContentFile(drawing, name=f"demo-{number}.jpg")
            photo.save()
            tally["photos"] += 1
        by_motif.setdefault(spec["motif"], []).append(photo)
    return by_motif


def publication_times(count: int, now: datetime) -> list[datetime]:
    """The demo's stories day by day back over the last month, at newsroom hours and never
    later than now; then the archive's, older, one every ``ARCHIVE_EVERY``."""
    rng = random.Random("published_at")  # noqa: S311 (demo times, not secrets)
    demo = min(count, DEMO_ARTICLES)
    local_now = timezone.localtime(now)
    times = []
    for position in range(demo):
        day = local_now - timedelta(days=position * PUBLISHED_SPAN_DAYS / DEMO_ARTICLES)
        moment = day.replace(
            hour=rng.randint(7, 19), minute=rng.randint(0, 59), second=rng.randint(0, 59)
        )
        if moment > now:
            moment = now - timedelta(minutes=25 * (position + 1))
        times.append(moment.replace(microsecond=0))
    archive_start = now.replace(microsecond=0) - timedelta(days=PUBLISHED_SPAN_DAYS)
    times += [archive_start - ARCHIVE_EVERY * n for n in range(1, count - demo + 1)]
    return times


def seed_articles(
    tally: Counter,
    stories: list[Story],
    sections: dict[str, Section],
    reporters: dict[str, Reporter],
    photos: dict[str, list[Photo]],
) -> list[Article]:
    """Create the articles of ``stories`` and the unpublished ones that are missing (found
    by section and slug); return the new ones."""
    now = timezone.now().replace(microsecond=0)
    existing = set(Article.objects.values_list("section__slug", "slug"))
    rng = random.Random("articles")  # noqa: S311 (demo figures, not secrets)
    published_at = publication_times(len(stories), now)
    new: dict[str, Article] = {}
    for position, story in enumerate(stories):
        choices = [photo for motif in story.motifs for photo in photos.get(motif, [])]
        # Drawn whether or not the row exists, so the sequence is the same either way.
        photo = rng.choice(choices) if choices and position % 8 != 7 else None
        views = round(rng.triangular(40, 6000, 600))
        written_before = timedelta(minutes=rng.randint(20, 180))
        modified_after = timedelta(hours=rng.randint(1, 20)) if position % 6 == 5 else None
        if (story.section, story.slug) in existing:
            continue
        existing.add((story.section, story.slug))
        article = article_of(story, sections, reporters)
        article.lead_photo = photo
        article.body = body_photos.placed(story.key, article.body, photos)
        article.view_count = views
        article.published_at = published_at[position]
        # An untouched story shows no 기사수정 time; every sixth shows one.
        article.created_at = published_at[position] - written_before
        article.updated_at = min(published_at[position] + (modified_after or timedelta()), now)
        new[story.key] = article
    for story in unpublished_stories():
        if (story.section, story.slug) not in existing:
            article = article_of(story, sections, reporters)
            if story.hours_ahead is not None:
                article.published_at = now + timedelta(hours=story.hours_ahead)
            new[story.key] = article
    created = create_articles(list(new.values()))
    tally["articles"] += len(created)

    stories_by_key = {story.key: story for story in [*stories, *unpublished_stories()]}
    tag_articles([(article, stories_by_key[key].tags) for key, article in new.items()])
    link_related(new, stories_by_key)
    return created


def article_of(story: Story, sections: dict, reporters: dict) -> Article:
    return Article(
        title=story.title,
        subtitle=story.subtitle,
        slug=story.slug,
        section=sections[story.section],
        reporter=reporters[story.reporter],
        summary=story.summary,
        body=story.body,
        status=story.status,
        # Inserted in bulk: save() does not fill the section's category in.
        portal_category=sections[story.section].portal_category,
        origin=origin_of(story, sections[story.section]),
    )


def origin_of(story: Story, section: Section) -> str:
    """The demo's mix of origins, fixed by the story's slug so every seeding agrees: about
    seven in ten own reporting (the portals' reviews ask for at least 30%), the rest press
    releases and wire copy; the opinion desk's pieces are contributions."""
    if section.portal_category == PortalCategory.OPINION:
        return Origin.CONTRIBUTION
    draw = zlib.crc32(story.slug.encode()) % 20
    if draw < 4:
        return Origin.PRESS_RELEASE
    if draw < 6:
        return Origin.WIRE
    return Origin.OWN


def create_articles(articles: list[Article]) -> list[Article]:
    """Insert in bulk, with the times the stories give (``auto_now`` would stamp them now)
    and the first version of each in the article history."""
    stamps = [(article.created_at, article.updated_at) for article in articles]
    Article.objects.bulk_create(articles, batch_size=500)
    dated = []
    for article, (created_at, updated_at) in zip(articles, stamps, strict=True):
        if created_at:
            article.created_at, article.updated_at = created_at, updated_at
            dated.append(article)
    Article.objects.bulk_update(dated, ["created_at", "updated_at"], batch_size=500)
    Article.history.bulk_history_create(articles, batch_size=500)
    return articles


def tag_articles(tagged: list[tuple[Article, list[str]]]) -> None:
    names = {name for _article, tags in tagged for name in tags}
    tags = {tag.name: tag for tag in Tag.objects.filter(name__in=names)}
    missing = [Tag(name=name, slug=Tag().slugify(name)) for name in names - tags.keys()]
    tags |= {tag.name: tag for tag in Tag.objects.bulk_create(missing)}
    article_type = ContentType.objects.get_for_model(Article)
    TaggedItem.objects.bulk_create(
        (
            TaggedItem(tag=tags[name], content_type=article_type, object_id=article.pk)
            for article, article_tags in tagged
            for name in article_tags
        ),
        batch_size=BATCH,
    )
    # Written directly, not through article.tags: the tag names search reads follow here.
    refresh_search_tags(article.pk for article, _tags in tagged)


def link_related(new: dict[str, Article], stories: dict[str, Story]) -> None:
    """The editor-picked related links of the new articles, to articles old or new."""
    wanted = {key: stories[key].related for key in new if stories[key].related}
    targets = {key for keys in wanted.values() for key in keys}
    by_natural_key = {
        (section, slug): pk
        for pk, section, slug in Article.objects.values_list("pk", "section__slug", "slug")
    }
    pks = {
        key: by_natural_key[(stories[key].section, stories[key].slug)]
        for key in targets
        if key in stories and (stories[key].section, stories[key].slug) in by_natural_key
    }
    through = Article.related.through
    through.objects.bulk_create(
        (
            through(from_article_id=new[key].pk, to_article_id=pks[target])
            for key, keys in wanted.items()
            for target in keys
            if target in pks
        ),
        batch_size=BATCH,
    )


def seed_accounts(tally: Counter, reporters: dict[str, Reporter]) -> None:
    for data in content.ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=data["username"],
            defaults={
                "display_name": data["display_name"],
                "email": data["email"],
                "is_staff": data["is_staff"],
            },
        )
        if created:
            # Only at creation: a password changed since must survive the next `make run`.
            user.set_password(data["password"])
            user.save(update_fields=["password"])
        tally["accounts"] += created
        if data["group"]:
            user.groups.add(Group.objects.get(name=data["group"]))
        reporter = reporters.get(data["reporter"])
        if reporter and reporter.user_id is None and not hasattr(user, "reporter"):
            reporter.user = user
            reporter.save(update_fields=["user"])


def seed_readers(tally: Counter, count: int) -> None:
    """Numbered readers (reader0001 …) with no usable password: the load tests sign them
    in with sessions made in the database."""
    if not count:
        return
    password = make_password(None)
    before = User.objects.count()
    User.objects.bulk_create(
        (
            User(
                username=f"reader{number:04d}",
                display_name=f"독자{number:04d}",
                email=f"reader{number:04d}@readers.example",
                password=password,
            )
            for number in range(1, count + 1)
        ),
        batch_size=BATCH,
        ignore_conflicts=True,
    )
    tally["readers"] += User.objects.count() - before


def seed_recent_views(tally: Counter) -> None:
    """Daily reads over the last week, so the most-read lists show something: every story
    of the last month, and a tenth of the older ones read again.

    Drawn afresh for each day it is called on (seeded by the date), only for days that have
    no row yet: a demo site started again days later has its lists filled.
    """
    today = timezone.localdate()
    rows = []
    published = Article.objects.published().values_list("pk", "published_at", "view_count")
    for pk, published_at, view_count in published:
        rng = random.Random(f"{today}-{pk}")  # noqa: S311 (demo figures, not secrets)
        first = timezone.localtime(published_at).date()
        if today - first <= timedelta(days=PUBLISHED_SPAN_DAYS):
            ages = range(7)
        elif rng.random() < 0.1:
            ages = rng.sample(range(7), rng.randint(1, 3))
        else:
            continue
        for age in ages:
            day = today - timedelta(days=age)
            if day >= first:
                views = view_count // 30 * rng.randint(5, 15) // 10
                rows.append(DailyViews(article_id=pk, date=day, views=views))
    before = DailyViews.objects.count()
    DailyViews.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)
    tally["daily view rows"] += DailyViews.objects.count() - before
