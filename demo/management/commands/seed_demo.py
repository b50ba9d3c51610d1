"""``manage.py seed_demo``: fill the database with a demo outlet that reads like a trade paper.

Safe to run on every ``make run``: rows are found by natural keys (section and reporter slugs,
article section + slug, photo caption, username) and only missing ones are created, so a
second run changes nothing and edits made in the admin survive. The material is in
``_demo_content.py``; every random choice is seeded, so each run would write the same text.
"""

import io
import math
import random
import re
import string
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify
from PIL import Image, ImageDraw

from accounts.models import User
from articles.models import Article, DailyViews, Photo, Section
from demo import content
from demo.ads import seed_ads
from demo.comments import seed_comments
from outlet.models import SiteSettings
from reporters.models import Reporter

PHOTO_SIZE = (1600, 1000)
PORTRAIT_SIZE = (480, 480)
# Spread of the published stories, back from now.
PUBLISHED_SPAN_DAYS = 30


# --- Korean particles --------------------------------------------------------------------

# The particle written after a final consonant, and the one written after a vowel.
PARTICLES = {"은": ("은", "는"), "이": ("이", "가"), "을": ("을", "를"), "과": ("과", "와")}
# Final consonant of each digit as read in Sino-Korean (영, 일, 이, 삼 …): 0 for none, 8 for ㄹ.
DIGIT_FINALS = {"0": 21, "1": 8, "2": 0, "3": 16, "4": 0, "5": 0, "6": 1, "7": 8, "8": 8, "9": 0}
RIEUL = 8
OPEN_QUOTE, CLOSE_QUOTE = "\N{LEFT SINGLE QUOTATION MARK}", "\N{RIGHT SINGLE QUOTATION MARK}"
# Closing marks between a word and its particle, as in (주)는 or "NX-7"을.
CLOSING_MARKS = f"{CLOSE_QUOTE}\N{RIGHT DOUBLE QUOTATION MARK}'\")"


def final_consonant(word: str) -> int:
    """The index of the word's last final consonant (0: it ends in a vowel)."""
    word = re.sub(r"\([^)]*\)$", "", word).rstrip(CLOSING_MARKS)
    last = word[-1]
    if "가" <= last <= "힣":
        return (ord(last) - ord("가")) % 28
    return DIGIT_FINALS.get(last, 0)


def particle(word: str, spec: str) -> str:
    final = final_consonant(word)
    if spec == "으로":
        return "로" if final in (0, RIEUL) else "으로"
    after_consonant, after_vowel = PARTICLES[spec]
    return after_consonant if final else after_vowel


class KoreanFormatter(string.Formatter):
    """``str.format`` where ``{company:이}`` appends the form of 이/가 that fits the value."""

    def format_field(self, value, format_spec):
        if format_spec in PARTICLES or format_spec == "으로":
            return f"{value}{particle(str(value), format_spec)}"
        return super().format_field(value, format_spec)


korean = KoreanFormatter()


# --- Stories -----------------------------------------------------------------------------


@dataclass
class Story:
    key: str
    section: str
    reporter: str
    title: str
    subtitle: str
    summary: str
    paragraphs: list[str]
    tags: list[str]
    motifs: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    status: str = Article.Status.PUBLISHED
    hours_ahead: int | None = None

    @property
    def body(self) -> str:
        return "\n".join(f"<p>{escape(paragraph)}</p>" for paragraph in self.paragraphs)

    @property
    def slug(self) -> str:
        return slugify(self.title, allow_unicode=True)[:200]


COMPANY_POOLS = {
    "makers": content.MAKERS,
    "factories": content.FACTORIES,
    "energy": content.ENERGY_FIRMS,
}


def draw_values(rng: random.Random, kit: dict) -> dict[str, str]:
    """One story's placeholder values: fictional firms, people, places and figures."""
    company = rng.choice(COMPANY_POOLS[kit["company_pool"]])
    client = rng.choice([name for name in content.FACTORIES if name != company])
    region, province, complex_ = rng.choice(content.REGIONS)
    country, country2 = rng.sample(content.COUNTRIES, 2)
    executive, researcher, newcomer, worker = rng.sample(content.NAMES, 4)
    institute = rng.choice(content.INSTITUTES)
    values = {
        "company": company,
        "client": client,
        "vendor": rng.choice(content.VENDORS),
        "institute": institute,
        "org": rng.choice(content.ASSOCIATIONS),
        "region": region,
        "province": province,
        "complex": complex_,
        "port": rng.choice(content.PORTS),
        "country": country,
        "country2": country2,
        "person": f"{executive} {rng.choice(content.EXECUTIVE_TITLES)}",
        "expert": f"{institute} {researcher} {rng.choice(content.RESEARCHER_TITLES)}",
        "newceo": newcomer,
        "worker": worker,
        "model": f"{OPEN_QUOTE}{rng.choice(content.MODEL_CODES)}-{rng.randint(3, 30)}{CLOSE_QUOTE}",
    }
    for name, choices in {**content.FILL_VALUES, **kit.get("fill", {})}.items():
        choice = rng.choice(choices)
        # A dict fills placeholders that must agree, such as a robot and the task it does.
        if isinstance(choice, dict):
            values.update(choice)
        else:
            values[name] = choice
    return values


def kit_stories(kit: dict) -> list[Story]:
    stories = []
    for index, template in enumerate(kit["stories"]):
        # Seeded per story, so editing one story's text leaves the others' draws alone.
        rng = random.Random(f"{kit['key']}-{index}")  # noqa: S311 (demo text, not secrets)
        values = draw_values(rng, kit)
        contexts = rng.sample(kit["contexts"], min(len(kit["contexts"]), rng.randint(1, 2)))
        paragraphs = [*template["paragraphs"], *contexts]
        if kit["quotes"]:
            paragraphs.append(rng.choice(kit["quotes"]))
        if "expert" in kit and rng.random() < 0.5:
            paragraphs.append(kit["expert"])
        if kit["closings"]:
            paragraphs.append(rng.choice(kit["closings"]))
        extra_tags = rng.sample(kit["extra_tags"], rng.randint(0, min(1, len(kit["extra_tags"]))))
        stories.append(
            Story(
                key=f"{kit['key']}-{index}",
                section=kit["section"],
                reporter=kit["reporter"],
                title=korean.format(template["title"], **values),
                subtitle=korean.format(template["subtitle"], **values),
                summary=korean.format(template["summary"], **values),
                paragraphs=[korean.format(text, **values) for text in paragraphs],
                tags=list(dict.fromkeys([*kit["tags"], *template["tags"], *extra_tags])),
                motifs=kit["motifs"],
                # The first story of each kit gets editor-picked links to two of its siblings.
                related=[f"{kit['key']}-1", f"{kit['key']}-2"] if index == 0 else [],
            )
        )
    return stories


def published_stories() -> list[Story]:
    stories = [story for kit in content.KITS for story in kit_stories(kit)]
    stories += [Story(**feature) for feature in content.FEATURES]
    # Mix the desks, so the front page and every day of the month show a bit of everything.
    random.Random("order").shuffle(stories)  # noqa: S311 (demo order, not secrets)
    return stories


def unpublished_stories() -> list[Story]:
    return [Story(**story) for story in content.SCHEDULED] + [
        Story(**story) for story in content.UNPUBLISHED
    ]


# --- Pictures ----------------------------------------------------------------------------

Colour = tuple[int, int, int]


def gradient(size: tuple[int, int], top: Colour, bottom: Colour) -> Image.Image:
    mask = Image.linear_gradient("L").resize(size)
    return Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), mask)


def shade(colour: Colour, factor: float) -> Colour:
    """Darker below 1, lighter above 1."""
    if factor < 1:
        return tuple(round(c * factor) for c in colour)
    return tuple(round(c + (255 - c) * (factor - 1)) for c in colour)


def circle(draw: ImageDraw.ImageDraw, x: float, y: float, r: float, **kwargs) -> None:
    draw.ellipse((x - r, y - r, x + r, y + r), **kwargs)


def draw_gears(draw: ImageDraw.ImageDraw, rng: random.Random, accent: Colour, back: Colour) -> None:
    for x, y, r in ((620, 520, 260), (1010, 330, 170), (1060, 720, 140), (330, 230, 110)):
        teeth = max(8, r // 18)
        tilt = rng.random()
        points = []
        for i in range(teeth * 4):
            angle = 2 * math.pi * (i + tilt) / (teeth * 4)
            radius = r if i % 4 in (1, 2) else r * 0.84
            points.append((x + radius * math.cos(angle), y + radius * math.sin(angle)))
        draw.polygon(points, fill=accent)
        circle(draw, x, y, r * 0.55, fill=shade(accent, 0.8))
        circle(draw, x, y, r * 0.2, fill=back)


def draw_bars(draw: ImageDraw.ImageDraw, rng: random.Random, accent: Colour, back: Colour) -> None:
    base, left, width, gap = 860, 220, 120, 50
    tops = []
    for i in range(7):
        height = 140 + i * 85 + rng.randint(-40, 40)
        x = left + i * (width + gap)
        draw.rectangle((x, base - height, x + width, base), fill=accent)
        tops.append((x + width / 2, base - height - 40))
    draw.line((160, base, 1440, base), fill=shade(back, 0.6), width=8)
    draw.line(tops, fill=shade(accent, 1.5), width=10)
    for x, y in tops:
        circle(draw, x, y, 16, fill=shade(accent, 1.5))


def draw_robot(draw: ImageDraw.ImageDraw, rng: random.Random, accent: Colour, back: Colour) -> None:
    draw.rectangle((0, 860, PHOTO_SIZE[0], PHOTO_SIZE[1]), fill=shade(back, 0.7))
    draw.rectangle((420, 760, 640, 860), fill=shade(accent, 0.7))
    shoulder = (530, 700)
    elbow = (530 + rng.randint(120, 260), 360 + rng.randint(-60, 60))
    wrist = (1060 + rng.randint(-60, 60), 520)
    draw.line((shoulder, elbow), fill=accent, width=90)
    draw.line((elbow, wrist), fill=accent, width=64)
    for (x, y), r in ((shoulder, 80), (elbow, 62), (wrist, 46)):
        circle(draw, x, y, r, fill=shade(accent, 0.8))
    x, y = wrist
    draw.rectangle((x - 50, y + 40, x - 25, y + 150), fill=shade(accent, 0.6))
    draw.rectangle((x + 25, y + 40, x + 50, y + 150), fill=shade(accent, 0.6))
    draw.rectangle((x - 90, 700, x + 90, 860), fill=shade(back, 1.4))


def draw_solar(draw: ImageDraw.ImageDraw, rng: random.Random, accent: Colour, back: Colour) -> None:
    circle(draw, 1300, 220, 120, fill=shade(accent, 1.6))
    for row in range(3):
        y = 520 + row * 150
        for col in range(5 - row % 2):
            x = 140 + col * 280 + (row % 2) * 140 + rng.randint(-8, 8)
            panel = [(x, y + 110), (x + 240, y + 110), (x + 290, y), (x + 50, y)]
            draw.polygon(panel, fill=accent)
            draw.line((x + 145, y + 110, x + 170, y), fill=back, width=5)
            draw.line((x + 25, y + 55, x + 265, y + 55), fill=back, width=5)


def draw_wind(draw: ImageDraw.ImageDraw, rng: random.Random, accent: Colour, back: Colour) -> None:
    draw.ellipse((-300, 760, 1900, 1500), fill=shade(back, 0.7))
    for x, height in ((380, 560), (820, 680), (1240, 500)):
        hub = (x, 880 - height)
        draw.line(((x, 880), hub), fill=accent, width=22)
        start = rng.random() * 2 * math.pi
        for blade in range(3):
            angle = start + blade * 2 * math.pi / 3
            tip = (hub[0] + 230 * math.cos(angle), hub[1] + 230 * math.sin(angle))
            draw.line((hub, tip), fill=accent, width=18)
        circle(draw, *hub, 26, fill=shade(accent, 0.8))


def draw_conveyor(
    draw: ImageDraw.ImageDraw, rng: random.Random, accent: Colour, back: Colour
) -> None:
    draw.rounded_rectangle((120, 700, 1480, 780), radius=40, fill=shade(back, 0.5))
    for x in range(170, 1460, 110):
        circle(draw, x, 740, 26, fill=shade(back, 1.3))
    x = 180
    while x < 1350:
        width, height = rng.randint(150, 240), rng.randint(120, 260)
        draw.rectangle((x, 700 - height, x + width, 700), fill=accent)
        draw.line((x, 700 - height + 30, x + width, 700 - height + 30), fill=back, width=6)
        x += width + rng.randint(60, 120)


def draw_network(
    draw: ImageDraw.ImageDraw, rng: random.Random, accent: Colour, back: Colour
) -> None:
    nodes = [(rng.randint(140, 1460), rng.randint(120, 880)) for _ in range(16)]
    for i, (x, y) in enumerate(nodes):
        nearest = sorted(nodes[i + 1 :], key=lambda n: (n[0] - x) ** 2 + (n[1] - y) ** 2)[:2]
        for other in nearest:
            draw.line(((x, y), other), fill=shade(accent, 0.75), width=6)
    for x, y in nodes:
        circle(draw, x, y, rng.randint(18, 42), fill=accent)


DRAWINGS = {
    "gears": draw_gears,
    "bars": draw_bars,
    "robot": draw_robot,
    "solar": draw_solar,
    "wind": draw_wind,
    "conveyor": draw_conveyor,
    "network": draw_network,
}


def jpeg(image: Image.Image) -> bytes:
    # JPEG rather than PNG: Photo.save() keeps the format, and JPEG encodes many times faster.
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=88)
    return buffer.getvalue()


def picture(motif: str, palette: str, seed: str) -> bytes:
    top, bottom, accent, _, _ = content.PALETTES[palette]
    image = gradient(PHOTO_SIZE, top, bottom)
    draw = ImageDraw.Draw(image)
    rng = random.Random(seed)  # noqa: S311 (demo drawing, not secrets)
    # Faint discs behind the motif give the flat background some depth.
    for _ in range(5):
        x, y = rng.randint(0, PHOTO_SIZE[0]), rng.randint(0, PHOTO_SIZE[1])
        circle(draw, x, y, rng.randint(120, 420), fill=shade(top, 1.12))
    DRAWINGS[motif](draw, rng, accent, shade(top, 0.85))
    return jpeg(image)


def portrait(palette: str) -> bytes:
    top, bottom, accent, _, _ = content.PALETTES[palette]
    image = gradient(PORTRAIT_SIZE, top, bottom)
    draw = ImageDraw.Draw(image)
    figure = shade(accent, 1.25)
    circle(draw, 240, 190, 92, fill=figure)
    draw.ellipse((70, 310, 410, 620), fill=figure)
    return jpeg(image)


def is_stored(file: FieldFile) -> bool:
    """The file field names a file that exists (a new MEDIA_ROOT starts empty)."""
    return bool(file) and default_storage.exists(file.name)


# --- Seeding -----------------------------------------------------------------------------


def seed_site() -> bool:
    site = SiteSettings.current()
    # Fill the defaults once; an outlet name set later in the admin survives `make run`.
    if site.name != SiteSettings._meta.get_field("name").default:
        return False
    for name, value in content.SITE.items():
        setattr(site, name, value)
    site.save()
    return True


def seed_sections(tally: Counter) -> dict[str, Section]:
    sections = {}
    for position, (slug, name) in enumerate(content.SECTIONS):
        sections[slug], created = Section.objects.get_or_create(
            slug=slug, defaults={"name": name, "position": position}
        )
        tally["sections"] += created
    return sections


def seed_reporters(tally: Counter) -> dict[str, Reporter]:
    reporters = {}
    for data in content.REPORTERS:
        fields = {key: data[key] for key in ("name", "email", "title", "bio")}
        reporter, created = Reporter.objects.get_or_create(slug=data["slug"], defaults=fields)
        tally["reporters"] += created
        if not is_stored(reporter.photo):
            reporter.photo = ContentFile(portrait(data["palette"]), name=f"{data['slug']}.jpg")
            reporter.save()
        reporters[data["slug"]] = reporter
    return reporters


def seed_photos(tally: Counter) -> dict[str, list[Photo]]:
    """The demo photos by motif; only missing ones (or ones whose file is gone) are drawn."""
    existing = {
        photo.caption: photo
        for photo in Photo.objects.filter(caption__in=[spec[0] for spec in content.PHOTOS])
    }
    by_motif: dict[str, list[Photo]] = {}
    for number, (caption, motif, palette, credit) in enumerate(content.PHOTOS, start=1):
        photo = existing.get(caption)
        if photo is None or not is_stored(photo.image):
            _, _, _, background, accent = content.PALETTES[palette]
            photo = photo or Photo(
                caption=caption,
                credit=f"그래픽={credit} 기자",
                alt_text=f"{background} 바탕에 {content.MOTIFS[motif].format(accent=accent)}",
            )
            photo.image = ContentFile(picture(motif, palette, caption), name=f"demo-{number}.jpg")
            photo.save()
            tally["photos"] += 1
        by_motif.setdefault(motif, []).append(photo)
    return by_motif


def publication_times(count: int, now: datetime) -> list[datetime]:
    """Newest first over the last month, at newsroom hours; never later than now."""
    rng = random.Random("published_at")  # noqa: S311 (demo times, not secrets)
    local_now = timezone.localtime(now)
    times = []
    for position in range(count):
        day = local_now - timedelta(days=position * PUBLISHED_SPAN_DAYS / count)
        moment = day.replace(
            hour=rng.randint(7, 19), minute=rng.randint(0, 59), second=rng.randint(0, 59)
        )
        if moment > now:
            moment = now - timedelta(minutes=25 * (position + 1))
        times.append(moment.replace(microsecond=0))
    return times


def seed_articles(
    tally: Counter,
    sections: dict[str, Section],
    reporters: dict[str, Reporter],
    photos: dict[str, list[Photo]],
) -> None:
    now = timezone.now().replace(microsecond=0)
    stories = published_stories()
    rng = random.Random("articles")  # noqa: S311 (demo figures, not secrets)
    published_at = publication_times(len(stories), now)
    created: dict[str, Article] = {}
    by_key: dict[str, Article] = {}

    for position, story in enumerate(stories):
        choices = [photo for motif in story.motifs for photo in photos.get(motif, [])]
        # Drawn before the lookup, so the sequence is the same whether or not the row exists.
        photo = rng.choice(choices) if choices and position % 8 != 7 else None
        views = round(rng.triangular(40, 6000, 600))
        written_before = timedelta(minutes=rng.randint(20, 180))
        modified_after = timedelta(hours=rng.randint(1, 20)) if position % 6 == 5 else None
        article, is_new = Article.objects.get_or_create(
            section=sections[story.section],
            slug=story.slug,
            defaults={
                "title": story.title,
                "subtitle": story.subtitle,
                "reporter": reporters[story.reporter],
                "lead_photo": photo,
                "summary": story.summary,
                "body": story.body,
                "status": Article.Status.PUBLISHED,
                "published_at": published_at[position],
                "view_count": views,
            },
        )
        if is_new:
            # auto_now fields: set with update() so an untouched story shows no 기사수정 time,
            # and every sixth shows one.
            updated = published_at[position] + (modified_after or timedelta())
            Article.objects.filter(pk=article.pk).update(
                created_at=published_at[position] - written_before,
                updated_at=min(updated, now),
            )
            article.tags.set(story.tags)
            created[story.key] = article
        by_key[story.key] = article
        tally["articles"] += is_new

    for story in stories:
        if story.key in created and story.related:
            created[story.key].related.set([by_key[key] for key in story.related])

    for story in unpublished_stories():
        scheduled = story.hours_ahead is not None
        article, is_new = Article.objects.get_or_create(
            section=sections[story.section],
            slug=story.slug,
            defaults={
                "title": story.title,
                "subtitle": story.subtitle,
                "reporter": reporters[story.reporter],
                "summary": story.summary,
                "body": story.body,
                "status": story.status,
                "published_at": now + timedelta(hours=story.hours_ahead) if scheduled else None,
            },
        )
        if is_new:
            article.tags.set(story.tags)
        tally["articles"] += is_new


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


def seed_recent_views(tally: Counter) -> None:
    """A week of daily reads ending today, so the most-read lists show something.

    Runs on every day it is called anew (rows for today are the marker), which keeps
    the lists filled on a demo site that is started again days later.
    """
    today = timezone.localdate()
    if DailyViews.objects.filter(date=today).exists():
        return
    rng = random.Random(today.isoformat())  # noqa: S311 (demo figures, not secrets)
    rows = []
    for article in Article.objects.published():
        for age in range(7):
            day = today - timedelta(days=age)
            if day >= timezone.localtime(article.published_at).date():
                views = article.view_count // 30 * rng.randint(5, 15) // 10
                rows.append(DailyViews(article=article, date=day, views=views))
    DailyViews.objects.bulk_create(rows, ignore_conflicts=True)
    tally["daily view rows"] += len(rows)


class Command(BaseCommand):
    help = (
        "Fill the database with a demo outlet: settings, sections, reporters, drawn photos, "
        "70-odd Korean articles, comments, ads and demo accounts. Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--address",
            default="http://127.0.0.1:8000/",
            help="Where the site is served, for the links printed at the end (make run passes "
            "its HOST and PORT).",
        )

    def handle(self, *args, address, **options):
        tally: Counter = Counter()
        with transaction.atomic():
            site_filled = seed_site()
            sections = seed_sections(tally)
            reporters = seed_reporters(tally)
            photos = seed_photos(tally)
            seed_articles(tally, sections, reporters, photos)
            seed_accounts(tally, reporters)
            seed_comments(tally)
            seed_recent_views(tally)
            seed_ads(self.stdout)

        site = SiteSettings.current()
        new = ", ".join(f"{count} {kind}" for kind, count in tally.items())
        self.stdout.write(self.style.SUCCESS(f"Demo content for {site.name}: new rows: {new}."))
        if site_filled:
            self.stdout.write("Site settings filled in.")
        self.stdout.write(
            f"Now {Article.objects.published().count()} published articles, "
            f"{Article.objects.filter(status=Article.Status.PUBLISHED).count()} including "
            f"scheduled, {Article.objects.count()} in all; {Photo.objects.count()} photos."
        )
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Demo accounts (password set when first created):"))
        for data in content.ACCOUNTS:
            role = data["group"] or "reader, not staff"
            self.stdout.write(f"  {data['username']:<9} {data['password']:<24} {role}")
        self.stdout.write("")
        self.stdout.write(f"Site:  {address}")
        self.stdout.write(f"Admin: {address}admin/")
