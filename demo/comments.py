"""The demo's comments: threads under the ten most-read articles, a few of them reported to
the moderators, and for the larger sizes a crowd of comments on every new article."""

import itertools
import random
from collections import Counter
from datetime import timedelta

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import User
from articles.models import Article
from comments import services
from comments.models import Comment, CommentReport, CommentVote
from demo import content
from demo.guest_comment import seed_guest_comment

# One story in a hundred draws a crowd: 15 to 45 times the average; the others up to 1.4
# times it, so the average holds.
HOT_EVERY = 100
REPLY_SHARE = 5  # one comment in five is a reply
BATCH = 2000


def seed_comments(tally: Counter, new_articles: list[Article], *, per_article: int) -> None:
    readers = demo_readers()
    commented = seed_threads(tally, readers)
    seed_guest_comment(tally)
    seed_bans(tally, {reader.username: reader for reader in readers})
    now = timezone.now()
    published = [
        article
        for article in new_articles
        if article.status == Article.Status.PUBLISHED and article.published_at <= now
    ]
    if per_article:
        commented += seed_crowds(tally, published, per_article=per_article, now=now)
    for chunk in itertools.batched(sorted(set(commented)), BATCH):
        recount(chunk)


def demo_readers() -> list[User]:
    readers = []
    for spec in content.COMMENTS["readers"]:
        user, created = User.objects.get_or_create(
            username=spec["username"], defaults={"display_name": spec["display_name"]}
        )
        if created:
            user.set_unusable_password()
            user.save()
        readers.append(user)
    return readers


def seed_threads(tally: Counter, readers: list[User]) -> list[int]:
    """Comments, replies and likes on the ten most-read articles that have none yet; the
    first few also get a comment readers reported. Returns the articles commented on."""
    rng = random.Random(7)  # noqa: S311 (demo text, not secrets)
    by_name = {reader.username: reader for reader in readers}
    reported = iter(content.COMMENTS["reported"])
    commented = []
    for article in Article.objects.published().order_by("-view_count")[:10]:
        if article.comments.exists():
            continue
        start = article.published_at + timedelta(minutes=30)
        texts = rng.sample(content.COMMENTS["comments"], rng.randint(3, 6))
        for n, text in enumerate(texts):
            author = rng.choice([*readers, None])
            comment = Comment.objects.create(
                article=article,
                user=author,
                guest_name="" if author else rng.choice(content.COMMENTS["guests"]),
                body=text,
                created_at=start + timedelta(minutes=17 * n),
            )
            tally["comments"] += 1
            for voter in rng.sample(readers, rng.randint(0, len(readers))):
                CommentVote.objects.create(comment=comment, user=voter, value=1)
                comment.likes += 1
            comment.save(update_fields=["likes"])
            if n == 0:
                Comment.objects.create(
                    article=article,
                    parent=comment,
                    user=rng.choice(readers),
                    body=rng.choice(content.COMMENTS["replies"]),
                    created_at=comment.created_at + timedelta(minutes=5),
                )
                tally["comments"] += 1
        if spec := next(reported, None):
            seed_reported(spec, article=article, by_name=by_name, after=len(texts))
            tally["comments"] += 1
        commented.append(article.pk)
    return commented


def seed_reported(spec: dict, *, article: Article, by_name: dict[str, User], after: int) -> None:
    """A comment and the readers' reports of it: open ones for the moderators, or resolved.
    A "mob" comment is reported as readers do, so that enough reports hide it by themselves
    while it waits in the queue."""
    comment = Comment.objects.create(
        article=article,
        user=by_name.get(spec.get("user")),
        guest_name=spec.get("guest_name", ""),
        body=spec["body"],
        created_at=article.published_at + timedelta(minutes=30 + 17 * after),
    )
    for report in spec["reports"]:
        if spec.get("mob"):
            services.comment_report(
                comment=comment,
                user=by_name[report["reader"]],
                reason=report["reason"],
                detail=report["detail"],
            )
            continue
        CommentReport.objects.create(
            comment=comment,
            user=by_name[report["reader"]],
            reason=report["reason"],
            detail=report["detail"],
            resolved=report.get("resolved", False),
        )


def seed_bans(tally: Counter, by_name: dict[str, User]) -> None:
    """Readers barred from commenting: one for a week from now, one whose ban has run out,
    one lifted early; only for readers who have never been barred."""
    moderator = User.objects.filter(username="moderator").first()
    for spec in content.COMMENTS["bans"]:
        reader = by_name[spec["user"]]
        if reader.comment_bans.exists():
            continue
        [ban] = services.comments_ban(
            users=[reader],
            banned_by=moderator,
            reason=spec["reason"],
            days=spec["days"],
            note=spec["note"],
        )
        if started := spec.get("started_days_ago"):
            ban.created_at -= timedelta(days=started)
            ban.expires_at -= timedelta(days=started)
            ban.save(update_fields=["created_at", "expires_at"])
        if spec.get("lifted"):
            services.comment_ban_lift(ban=ban, lifted_by=moderator)
        tally["comment bans"] += 1


def seed_crowds(tally: Counter, articles: list[Article], *, per_article: int, now) -> list[int]:
    """About ``per_article`` comments a story, hundreds on a hot one; replies, hidden and
    deleted ones among them. Returns the articles commented on."""
    rng = random.Random("crowds")  # noqa: S311 (demo text, not secrets)
    readers = list(User.objects.filter(is_staff=False).values_list("pk", flat=True))
    for chunk in itertools.batched(enumerate(articles), 500):
        top_level: list[Comment] = []
        plans: list[tuple[Article, int]] = []
        for number, article in chunk:
            hot = number % HOT_EVERY == 7
            count = (
                rng.randint(15 * per_article, 45 * per_article)
                if hot
                else rng.randint(0, round(1.4 * per_article))
            )
            replies = count // REPLY_SHARE
            plans.append((article, replies))
            top_level += [crowd_comment(article, now, rng, readers) for _ in range(count - replies)]
        Comment.objects.bulk_create(top_level, batch_size=BATCH)
        by_article: dict[int, list[Comment]] = {}
        for parent in top_level:
            by_article.setdefault(parent.article_id, []).append(parent)
        replies = []
        for article, count in plans:
            parents = by_article.get(article.pk)
            for _ in range(count if parents else 0):
                parent = rng.choice(parents)
                reply = crowd_comment(article, now, rng, readers)
                reply.parent = parent
                reply.created_at = min(
                    now, parent.created_at + timedelta(minutes=rng.randint(1, 600))
                )
                replies.append(reply)
        Comment.objects.bulk_create(replies, batch_size=BATCH)
        tally["comments"] += len(top_level) + len(replies)
    return [article.pk for article in articles]


def crowd_comment(article: Article, now, rng: random.Random, readers: list[int]) -> Comment:
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
    lines = content.ARCHIVE["comments"]
    return Comment(
        article=article,
        user_id=None if guest else rng.choice(readers),
        guest_name=rng.choice(content.ARCHIVE["guests"]) if guest else "",
        body=" ".join(rng.sample(lines, rng.randint(1, 3))),
        status=status,
        ip_address=f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
        likes=int(rng.paretovariate(1.5)) - 1,
        created_at=min(now, article.published_at + timedelta(minutes=minutes)),
    )


def recount(article_ids) -> None:
    """Each article's count of visible comments, as comments.services keeps it."""
    visible = Comment.objects.visible().filter(article=OuterRef("pk")).values("article")
    count = Subquery(visible.annotate(n=Count("pk")).values("n"), output_field=IntegerField())
    Article.objects.filter(pk__in=article_ids).update(comment_count=Coalesce(count, Value(0)))
