import contextlib
from urllib.parse import urljoin

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from taggit.models import Tag

from mailqueue.tasks import MailNotQueued, send_mail_later
from outlet.models import SiteSettings

from . import revisions
from .models import WORKFLOW, Article, ArticleAutosave, ArticleEvent, Correction, Notification
from .sanitize import sanitize_body


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
        request.build_absolute_uri(article.get_short_url()),
    ]
    send_mail_later(subject=subject, body="\n".join(lines), to=[recipient])


def autosave_article(*, user, article: Article | None, fields: dict) -> ArticleAutosave:
    """Keep what ``user`` has typed into ``article`` (None: a new one) so far, replacing
    their previous autosave of it. The article itself is not touched."""
    # The body goes back into the editor later: keep it to what a save would keep.
    fields = {**fields, "body": sanitize_body(fields.get("body", ""))}
    autosave, _created = ArticleAutosave.objects.update_or_create(
        user=user, article=article, defaults={"fields": fields, "saved_at": timezone.now()}
    )
    return autosave


def discard_autosave(*, user, article: Article | None) -> None:
    """Drop ``user``'s autosave of ``article`` (None: of a new one): saved or not wanted."""
    ArticleAutosave.objects.filter(user=user, article=article).delete()


class StepRefused(Exception):
    """The article's state does not let the step be taken (another one was taken first)."""

    def __init__(self, article: Article):
        super().__init__(article.get_stage_display())
        self.article = article


def submit_for_review(*, article: Article, by, site_url: str) -> ArticleEvent:
    """The reporter hands their story to the desk; the editors are told."""
    return _take_step(article=article, action=ArticleEvent.Action.SUBMIT, by=by, site_url=site_url)


def return_to_reporter(*, article: Article, by, note: str, site_url: str) -> ArticleEvent:
    """An editor sends a submitted story back with a note; its reporter is told."""
    return _take_step(
        article=article, action=ArticleEvent.Action.RETURN, by=by, site_url=site_url, note=note
    )


def publish(*, article: Article, by, site_url: str, at=None) -> ArticleEvent:
    """An editor publishes the story now, or schedules it for ``at``; its reporter is told."""
    action = ArticleEvent.Action.SCHEDULE if at else ArticleEvent.Action.PUBLISH
    return _take_step(article=article, action=action, by=by, site_url=site_url, publish_at=at)


def embargo(*, article: Article, by, site_url: str, at) -> ArticleEvent:
    """An editor schedules the story under an embargo lifting at ``at``: until then it
    appears nowhere and only editors may open it; then it publishes itself as a scheduled
    story does. Its reporter is told."""
    return _take_step(
        article=article, action=ArticleEvent.Action.EMBARGO, by=by, site_url=site_url, publish_at=at
    )


def withdraw(*, article: Article, by, site_url: str, note: str = "") -> ArticleEvent:
    """An editor takes a published story off the site, or calls off its schedule; its
    reporter is told, with the reason if one was given."""
    return _take_step(
        article=article, action=ArticleEvent.Action.WITHDRAW, by=by, site_url=site_url, note=note
    )


def _take_step(*, article, action, by, site_url, note="", publish_at=None) -> ArticleEvent:
    with transaction.atomic():
        # The stored row, locked: the step is checked against its state now, not against the
        # copy the page showed, and no text saved meanwhile is written back over.
        article = (
            Article.objects.select_for_update(of=("self",))
            .select_related("reporter")
            .get(pk=article.pk)
        )
        if not article.may_take(action, by):
            raise PermissionDenied
        if not article.allows(action):
            raise StepRefused(article)
        article.status = WORKFLOW[action].leads_to
        # Going live now stamps the time readers see; a withdrawn story has none.
        article.published_at = {
            ArticleEvent.Action.PUBLISH: timezone.now(),
            ArticleEvent.Action.SCHEDULE: publish_at,
            ArticleEvent.Action.EMBARGO: publish_at,
        }.get(action)
        # Only the embargo step sets an embargo; every other step lifts it.
        article.embargo_until = publish_at if action == ArticleEvent.Action.EMBARGO else None
        article._history_user = by
        article.save(
            update_fields=["status", "published_at", "embargo_until", "updated_at", "version"]
        )
        event = ArticleEvent.objects.create(
            article=article, action=action, actor=by, note=note, publish_at=article.published_at
        )
        _tell_audience(event, site_url)
    return event


def _tell_audience(event: ArticleEvent, site_url: str) -> None:
    """A notification in the admin for each person told, and a mail through the queue to
    those with an address (in the site's language: the desk reads Korean)."""
    audience = list(event.audience())
    Notification.objects.bulk_create(Notification(recipient=user, event=event) for user in audience)
    link = urljoin(site_url, reverse("admin:articles_article_change", args=[event.article_id]))
    with translation.override(settings.LANGUAGE_CODE):
        # Titles are stored text, but a header must be one line.
        subject = " ".join(f"[{SiteSettings.current().name}] {event.sentence()}".split())
        lines = [event.sentence(), ""]
        if event.note:
            lines += [_("Note:"), event.note, ""]
        lines += [_("Open the article:"), link]
    for user in audience:
        # A queue that refuses the mail logs it; the notification in the admin still tells.
        with contextlib.suppress(MailNotQueued):
            if user.email:
                send_mail_later(subject=subject, body="\n".join(lines), to=[user.email])


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


@transaction.atomic
def add_correction(*, article: Article, by, kind: str, text: str, placement: str) -> Correction:
    """An editor appends a dated correction to a published article; the article's modified
    time moves to it (its page, JSON-LD, sitemaps and feeds say so) and its text stays as
    it was, in its revisions too."""
    if not by.has_perm("articles.publish_article"):
        raise PermissionDenied
    if not article.is_published:  # nothing to correct before readers can read it
        raise StepRefused(article)
    correction = Correction.objects.create(
        article=article, kind=kind, text=text, placement=placement, created_by=by
    )
    Article.objects.filter(pk=article.pk).update(updated_at=correction.published_at)
    return correction
