"""The demo's front pages (메인 편집): the stories editors pinned, from ``data/frontpage.json``.

Seeded once: when any pin exists (the demo's, or an editor's), nothing is touched, so
what editors arranged in the admin survives ``make run``.
"""

from collections import Counter

from accounts.models import User
from articles.models import Article, Section
from demo import content
from demo.stories import demo_stories
from frontpage.models import Pin


def seed_front_page(tally: Counter) -> None:
    if Pin.objects.exists():
        return
    stories = {story.key: story for story in demo_stories()}
    editor = User.objects.filter(username="editor").first()
    for page in content.load("frontpage")["pages"]:
        section = Section.objects.get(slug=page["section"]) if page["section"] else None
        for position, key in enumerate(page["stories"]):
            story = stories[key]
            article = Article.objects.get(section__slug=story.section, slug=story.slug)
            Pin.objects.create(
                article=article, section=section, position=position, pinned_by=editor
            )
            tally["front-page pins"] += 1
