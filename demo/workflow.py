"""The demo desk's workflow: stories that wait for review, one returned with the desk's
note, one published and withdrawn — each step taken through the services, so the
timeline, the notifications and the queued mail are what the desk would have made."""

from collections import Counter
from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from articles import services
from articles.models import Article, ArticleEvent

from .stories import unpublished_stories

# The demo's mail shows the demo's own address.
DEMO_SITE = "http://127.0.0.1:8000/"


def seed_workflow(tally: Counter, new: list[Article], *, site_url: str = DEMO_SITE) -> None:
    """Take the steps of the unpublished stories created now (none twice)."""
    editor = User.objects.get(username="editor")
    by_slug = {article.slug: article for article in new}
    for story in unpublished_stories():
        if (article := by_slug.get(story.slug)) is not None:
            for step in story.steps:
                take(step, article=article, editor=editor, site_url=site_url)
                tally["workflow steps"] += 1


def take(step: list[str], *, article: Article, editor: User, site_url: str) -> None:
    action, *note = step
    if action == ArticleEvent.Action.SUBMIT:
        author = article.reporter.user
        services.submit_for_review(article=article, by=author, site_url=site_url)
    elif action == ArticleEvent.Action.RETURN:
        services.return_to_reporter(article=article, by=editor, note=note[0], site_url=site_url)
    elif action == ArticleEvent.Action.PUBLISH:
        services.publish(article=article, by=editor, site_url=site_url)
    elif action == ArticleEvent.Action.EMBARGO:
        # ["embargo", hours]: the embargo lifts that many hours after the demo is seeded.
        at = timezone.now().replace(second=0, microsecond=0) + timedelta(hours=int(note[0]))
        services.embargo(article=article, by=editor, site_url=site_url, at=at)
    else:
        services.withdraw(article=article, by=editor, note=note[0], site_url=site_url)
