"""The demo's co-authored story (with a 사진 credit) and a correction on one story, from
demo/data/bylines.json. Safe to run again: nothing is added twice."""

import json
from collections import Counter
from pathlib import Path

from accounts.models import User
from articles import services
from articles.models import Article, ArticleAuthor
from demo.stories import demo_stories
from reporters.models import Reporter

DATA = json.loads((Path(__file__).parent / "data" / "bylines.json").read_text(encoding="utf-8"))


def seed_bylines(tally: Counter) -> None:
    stories = {story.key: story for story in demo_stories()}

    def article(key: str) -> Article | None:
        story = stories[key]
        return Article.objects.filter(section__slug=story.section, slug=story.slug).first()

    for position, credit in enumerate(DATA["co_authors"], start=1):
        if (story := article(credit["story"])) is None:
            continue
        _author, created = ArticleAuthor.objects.get_or_create(
            article=story,
            reporter=Reporter.objects.get(slug=credit["reporter"]),
            role=credit["role"],
            defaults={"position": position},
        )
        tally["co-authors"] += created
    editor = User.objects.get(username="editor")
    for note in DATA["corrections"]:
        story = article(note["story"])
        if story is None or story.corrections.exists():
            continue
        services.add_correction(
            article=story,
            by=editor,
            kind=note["kind"],
            text=note["text"],
            placement=note["placement"],
        )
        tally["corrections"] += 1
