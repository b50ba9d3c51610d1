"""The demo's guest comment with a known password (README, "The demo"), so that anyone can
try what a guest does: edit or delete their comment with its password."""

from collections import Counter
from datetime import timedelta

from django.contrib.auth.hashers import make_password

from articles.models import Article
from comments.models import Comment
from comments.services import refresh_comment_count
from demo import content


def seed_guest_comment(tally: Counter) -> None:
    """On the most-read article, once: found again by its nickname and text."""
    spec = content.load("guest_comment")
    if Comment.objects.filter(user=None, guest_name=spec["guest_name"], body=spec["body"]).exists():
        return
    article = Article.objects.published().order_by("-view_count", "-pk").first()
    if article is None:
        return
    Comment.objects.create(
        article=article,
        guest_name=spec["guest_name"],
        guest_password=make_password(spec["password"]),
        body=spec["body"],
        created_at=article.published_at + timedelta(minutes=spec["minutes_after_publication"]),
    )
    refresh_comment_count(article.pk)
    tally["comments"] += 1
