"""What changes to comments make stale: the article's page (its thread, its count) and, for
votes, the thread's like counts. The comment rules show in every comment box; a ban, in the
banned reader's."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from articles.models import article_version
from caching import versions
from caching.signals import rows_updated

from .models import BANS_VERSION, Comment, CommentBan, CommentRules, CommentVote, votes_version

VOTE_COUNTS = {"likes", "dislikes"}


@receiver(post_save, sender=Comment, dispatch_uid="comment-saved")
@receiver(post_delete, sender=Comment, dispatch_uid="comment-deleted")
def comment_changed(sender, instance: Comment, **kwargs) -> None:
    versions.bump(article_version(instance.article_id))


@receiver(rows_updated, sender=Comment, dispatch_uid="comments-updated")
def comments_updated(sender, pks, fields, **kwargs) -> None:
    article_ids = set(Comment.objects.filter(pk__in=pks).values_list("article_id", flat=True))
    make = votes_version if fields <= VOTE_COUNTS else article_version
    versions.bump(*(make(article_id) for article_id in sorted(article_ids)))


@receiver(post_save, sender=CommentVote, dispatch_uid="vote-saved")
@receiver(post_delete, sender=CommentVote, dispatch_uid="vote-deleted")
def vote_changed(sender, instance: CommentVote, **kwargs) -> None:
    versions.bump(votes_version(instance.comment.article_id))


@receiver(post_save, sender=CommentBan, dispatch_uid="ban-saved")
@receiver(post_delete, sender=CommentBan, dispatch_uid="ban-deleted")
@receiver(rows_updated, sender=CommentBan, dispatch_uid="bans-updated")
def bans_changed(sender, **kwargs) -> None:
    versions.bump(BANS_VERSION)


@receiver(post_save, sender=CommentRules, dispatch_uid="comment-rules-saved")
def rules_changed(sender, created: bool, **kwargs) -> None:
    if not created:  # the first, default row (made by current()) changes nothing shown
        versions.bump(versions.SITE)
