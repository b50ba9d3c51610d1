"""The demo's stories as the seeder writes them: the demo's own, then an archive behind them.

The demo's own are every kit story once and the features, in a seeded mixed order. The
archive's story ``n`` is one of the kit templates in turn, filled with values of its own,
so a benchmark archive of 10,000 reads like a trade paper's past years.
"""

import itertools
import random
from dataclasses import dataclass, field, replace
from functools import cache

from django.utils.html import escape
from django.utils.text import slugify

from articles.models import Article
from articles.sanitize import sanitize_body
from demo import content
from demo.korean import CLOSE_QUOTE, OPEN_QUOTE, korean

# Archive stories by a reporter other than their kit's, and in the world desk.
OTHER_REPORTER_EVERY = 2
WORLD_DESK_EVERY = 10
# Every fifth archive story links to two earlier ones of its kit (the kits take turns).
RELATED_EVERY = 5
# A few tags are used a lot and most rarely, as on a real site: weight 1 / rank ** this.
TAG_SKEW = 0.7


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
    # Workflow steps taken on it after it is written, e.g. [["submit"], ["return", note]].
    steps: list[list[str]] = field(default_factory=list)
    slug: str = ""
    # HTML placed after the paragraph of that index (as a string: JSON keys), e.g. a table.
    inserts: dict[str, str] = field(default_factory=dict)

    def __post_init__(self):
        self.slug = self.slug or slugify(self.title, allow_unicode=True)[:200]

    @property
    def body(self) -> str:
        blocks = []
        for index, paragraph in enumerate(self.paragraphs):
            blocks.append(f"<p>{escape(paragraph)}</p>")
            if insert := self.inserts.get(str(index)):
                blocks.append(sanitize_body(insert))
        return "\n".join(blocks)


def draw_values(rng: random.Random, kit: dict) -> dict[str, str]:
    """One story's placeholder values: fictional firms, people, places and figures."""
    names = content.PLACEHOLDERS
    company = rng.choice(names[kit["company_pool"]])
    client = rng.choice([name for name in names["factories"] if name != company])
    place = rng.choice(names["regions"])
    country, country2 = rng.sample(names["countries"], 2)
    executive, researcher, newcomer, worker = rng.sample(names["names"], 4)
    institute = rng.choice(names["institutes"])
    values = {
        "company": company,
        "client": client,
        "vendor": rng.choice(names["vendors"]),
        "institute": institute,
        "org": rng.choice(names["associations"]),
        **place,  # region, province and industrial complex
        "port": rng.choice(names["ports"]),
        "country": country,
        "country2": country2,
        "person": f"{executive} {rng.choice(names['executive_titles'])}",
        "expert": f"{institute} {researcher} {rng.choice(names['researcher_titles'])}",
        "newceo": newcomer,
        "worker": worker,
    }
    model = f"{rng.choice(names['model_codes'])}-{rng.randint(3, 30)}"
    values["model"] = f"{OPEN_QUOTE}{model}{CLOSE_QUOTE}"
    for name, choices in {**content.FILL_VALUES, **kit["fill"]}.items():
        choice = rng.choice(choices)
        # A dict fills placeholders that must agree, such as a robot and the task it does.
        if isinstance(choice, dict):
            values.update(choice)
        else:
            values[name] = choice
    return values


def kit_story(kit: dict, index: int, rng: random.Random, *, key: str) -> Story:
    """The kit's story ``index``: its template, background, a quote, filled from ``rng``."""
    template = kit["stories"][index]
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
    return Story(
        key=key,
        section=kit["section"],
        reporter=kit["reporter"],
        title=korean.format(template["title"], **values),
        subtitle=korean.format(template["subtitle"], **values),
        summary=korean.format(template["summary"], **values),
        paragraphs=[korean.format(text, **values) for text in paragraphs],
        tags=list(dict.fromkeys([*kit["tags"], *template["tags"], *extra_tags])),
        motifs=kit["motifs"],
    )


@cache
def demo_stories() -> tuple[Story, ...]:
    """The demo's published stories, each kit story once and the features, desks mixed."""
    stories = []
    for kit in content.KITS:
        for index in range(len(kit["stories"])):
            # Seeded per story, so editing one story's text leaves the others' draws alone.
            rng = random.Random(f"{kit['key']}-{index}")  # noqa: S311 (demo text, not secrets)
            story = kit_story(kit, index, rng, key=f"{kit['key']}-{index}")
            if index == 0:  # editor-picked links to two of its siblings
                story.related = [f"{kit['key']}-1", f"{kit['key']}-2"]
            stories.append(story)
    stories += [Story(**feature) for feature in content.FEATURES]
    # Mix the desks, so the front page and every day of the month show a bit of everything.
    random.Random("order").shuffle(stories)  # noqa: S311 (demo order, not secrets)
    return tuple(stories)


def unpublished_stories() -> list[Story]:
    """Scheduled stories (published, a time to come), drafts and one awaiting review."""
    return [
        Story(**story) for story in [*content.SCHEDULED, *content.UNPUBLISHED, *content.EMBARGOED]
    ]


def archive_reporters() -> list[dict]:
    return [
        {"slug": f"reporter-{number:02d}", "name": name}
        for number, name in enumerate(content.ARCHIVE["reporters"], start=1)
    ]


@cache
def tag_vocabulary() -> tuple[str, ...]:
    """A few hundred Korean tags: the demo's, its firms and places, and topic compounds."""
    names = content.PLACEHOLDERS
    words = []
    for kit in content.KITS:
        words += kit["tags"] + kit["extra_tags"]
        words += [tag for story in kit["stories"] for tag in story["tags"]]
    for pool in ("makers", "factories", "energy_firms", "vendors", "institutes"):
        words += names[pool]
    words += names["associations"] + names["countries"]
    words += [place["region"] for place in names["regions"]]
    words += [place["complex"] for place in names["regions"]]
    archive = content.ARCHIVE
    words += [
        prefix + noun for prefix in archive["topic_prefixes"] for noun in archive["topic_nouns"]
    ]
    return tuple(dict.fromkeys(word.strip() for word in words if word.strip()))


@cache
def _tag_weights() -> list[float]:
    ranks = range(len(tag_vocabulary()))
    return list(itertools.accumulate(1 / (rank + 1) ** TAG_SKEW for rank in ranks))


def archive_story(number: int) -> Story:
    """Archive story ``number``: the kits' templates in turn, each filled anew."""
    kits = content.KITS
    kit = kits[number % len(kits)]
    index = (number // len(kits)) % len(kit["stories"])
    rng = random.Random(f"archive-{number}")  # noqa: S311 (demo text, not secrets)
    story = kit_story(kit, index, rng, key=f"archive-{number}")
    reporters = [*(r["slug"] for r in content.REPORTERS), *(r["slug"] for r in archive_reporters())]
    tags = dict.fromkeys(story.tags)
    wanted = rng.randint(3, 6)
    while len(tags) < wanted:
        tags[rng.choices(tag_vocabulary(), cum_weights=_tag_weights())[0]] = None
    rounds = len(kits)  # back this many stories is the same kit's story of the round before
    return replace(
        story,
        section=story.section if number % WORLD_DESK_EVERY else "world",
        reporter=story.reporter if number % OTHER_REPORTER_EVERY else rng.choice(reporters),
        tags=list(tags),
        related=[f"archive-{number - back}" for back in (rounds, 2 * rounds)]
        if number % RELATED_EVERY == 0 and number >= 2 * rounds
        else [],
        # Titles of the same template may meet; the number keeps each address its own.
        slug=f"{story.slug[:190]}-{number}",
    )


def published_stories(count: int) -> list[Story]:
    """The newest ``count`` published stories: the demo's own, then the archive's."""
    demo = list(demo_stories()[:count])
    return demo + [archive_story(number) for number in range(count - len(demo))]
