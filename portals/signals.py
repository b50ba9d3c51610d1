"""IndexNow pings follow what the public can read: an article going live (now, or at its
scheduled time), changing while live, or leaving the site (withdrawn or deleted). Every
path that saves or deletes an article goes through these receivers; drafts and stories
under review never ping."""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from articles.models import Article

from . import indexnow

Reason = indexnow.IndexNowPing.Reason


def goes_live_at(status, published_at, embargo_until):
    """When an article with these values is (or will be) public, or None if never."""
    if status != Article.Status.PUBLISHED or published_at is None:
        return None
    return max(published_at, embargo_until) if embargo_until else published_at


@receiver(pre_save, sender=Article)
def remember_when_it_went_live(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None or not indexnow.enabled():
        instance._stored_live_at = None
        return
    stored = (
        Article.objects.filter(pk=instance.pk)
        .values_list("status", "published_at", "embargo_until")
        .first()
    )
    instance._stored_live_at = goes_live_at(*stored) if stored else None


@receiver(post_save, sender=Article)
def ping_on_save(sender, instance, raw=False, **kwargs):
    if raw or not indexnow.enabled():
        return
    now = timezone.now()
    before = getattr(instance, "_stored_live_at", None)
    after = goes_live_at(instance.status, instance.published_at, instance.embargo_until)
    url = indexnow.absolute(instance.get_absolute_url())
    if after is not None and after <= now:
        indexnow.queue_ping(article=instance, urls=[url], reason=Reason.PUBLISHED)
    elif after is not None and after != before:
        indexnow.queue_ping(article=instance, urls=[url], reason=Reason.PUBLISHED, due_at=after)
    elif after is None and before is not None and before <= now:
        indexnow.queue_ping(article=instance, urls=[url], reason=Reason.REMOVED)


@receiver(post_delete, sender=Article)
def ping_on_delete(sender, instance, **kwargs):
    if not indexnow.enabled():
        return
    live_at = goes_live_at(instance.status, instance.published_at, instance.embargo_until)
    if live_at is not None and live_at <= timezone.now():
        url = indexnow.absolute(instance.get_absolute_url())
        indexnow.queue_ping(article=None, urls=[url], reason=Reason.REMOVED)
