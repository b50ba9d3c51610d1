from django.db import transaction
from django.utils.translation import gettext as _
from taggit.models import Tag

from mailqueue.tasks import send_mail_later
from outlet.models import SiteSettings

from . import revisions
from .models import Article


def email_article(*, article: Article, request, recipient: str, sender_name: str, message: str):
    """Queue a plain-text e-mail with the article's title, lead and link to one recipient.

    Raises mailqueue.tasks.MailNotQueued when the queue cannot take it.
    """
    site = SiteSettings.current()
    # The subject is ours, built from stored text; nothing the sender typed reaches a header.
    subject = " ".join(f"[{site.name}] {article.title}".split())
    lines = [
        _("%(name)s sent you an article from %(site)s.") % {"name": sender_name, "site": site.name},
        "",
    ]
    if message:
        lines += [message, ""]
    lines += [
        article.title,
        "",
        article.lead,
        "",
        request.build_absolute_uri(article.get_absolute_url()),
    ]
    send_mail_later(subject=subject, body="\n".join(lines), to=[recipient])


@transaction.atomic
def merge_tags(*, tags, name: str) -> Tag:
    """Put the tag called ``name`` (made if new) on every article that has one of ``tags``,
    and delete the others of ``tags``: their articles and pages now go by that one."""
    tag_ids = [tag.pk for tag in tags]
    merged = Tag.objects.filter(name=name).first() or Tag.objects.create(name=name)
    for article in Article.objects.filter(tags__in=tag_ids).distinct():
        article.tags.add(merged)
    Tag.objects.filter(pk__in=tag_ids).exclude(pk=merged.pk).delete()
    return merged


def record_revision_tags(*, article: Article, since_revision_id: int | None) -> None:
    """Give the revisions saved since ``since_revision_id`` (included) the tags the article
    has now. The admin stores an article, making a revision, before it stores its tags."""
    saved = article.history.all()
    if since_revision_id is not None:
        saved = saved.filter(history_id__gte=since_revision_id)
    saved.update(tag_names=revisions.tag_names(article))


@transaction.atomic
def restore_revision(*, article: Article, revision, user) -> list[str]:
    """Bring back ``revision``'s text, lead photo and tags (revisions.RESTORED_FIELDS), as a
    new revision. The status and publication time stay: a live story stays live. A lead
    photo deleted since is not brought back. Returns the names of the fields that changed
    ("tags" among them)."""
    changed = [
        field.name
        for field in map(article._meta.get_field, revisions.RESTORED_FIELDS)
        if getattr(article, field.attname) != getattr(revision, field.attname)
    ]
    if "lead_photo" in changed and not revisions.photo_exists(revision):
        changed.remove("lead_photo")
    for name in changed:
        field = article._meta.get_field(name)
        setattr(article, field.attname, getattr(revision, field.attname))
    # Revisions saved before tags were recorded say nothing about them: tags stay.
    if revision.tag_names is not None and revision.tag_names != revisions.tag_names(article):
        article.tags.set(revision.tag_names)
        changed.append("tags")
    if changed:
        article._history_user = user
        article._change_reason = f"{revisions.RESTORED_REASON}{revision.history_id}"
        article.save()
    return changed
