"""Signing up, confirming, composing and sending newsletters."""

import contextlib
from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from articles.models import Article, published_by
from mailqueue.tasks import MailNotQueued, send_mail_later
from outlet.models import SiteSettings

from . import links
from .models import PRIVACY_NOTICE_VERSION, Edition, Send, Subscriber


def subscribe(*, email: str, wants_digest: bool, sections, user, site_url: str) -> None:
    """Record a sign-up and its consent, and mail what the address should get next.

    A new, waiting, unsubscribed or bounced address gets a confirmation link and nothing
    else until it is followed. A confirmed one keeps its choices (whoever typed the address
    may not be its owner) and is sent the link to manage them. Either way the caller shows
    the same page, so the form never tells whether an address is subscribed.
    """
    now = timezone.now()
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().with_email(email).first()
        if subscriber is None:
            subscriber = Subscriber.objects.create(
                email=email, consent_version=PRIVACY_NOTICE_VERSION, consented_at=now
            )
        if subscriber.status == Subscriber.Status.CONFIRMED:
            mail = _manage_mail(subscriber, site_url)
        else:
            subscriber.status = Subscriber.Status.PENDING
            subscriber.wants_digest = wants_digest
            subscriber.consent_version = PRIVACY_NOTICE_VERSION
            subscriber.consented_at = now
            subscriber.user = user if user and user.is_authenticated else subscriber.user
            subscriber.save()
            subscriber.sections.set(sections)
            mail = _confirmation_mail(subscriber, site_url)
    # As a password reset does: when the queue is down the page still may not tell.
    with contextlib.suppress(MailNotQueued):
        send_mail_later(**mail, to=[subscriber.email])


def _mail(template: str, context: dict) -> dict:
    site = SiteSettings.current()
    context = {**context, "outlet": site}
    subject = " ".join(
        render_to_string(f"newsletters/mail/{template}_subject.txt", context).split()
    )
    return {
        "subject": subject,
        "body": render_to_string(f"newsletters/mail/{template}.txt", context),
    }


def _confirmation_mail(subscriber: Subscriber, site_url: str) -> dict:
    return _mail(
        "confirm",
        {
            "link": links.absolute(site_url, links.CONFIRM, subscriber),
            "hours": settings.NEWSLETTER_CONFIRM_HOURS,
        },
    )


def _manage_mail(subscriber: Subscriber, site_url: str) -> dict:
    return _mail("already", {"link": links.absolute(site_url, links.MANAGE, subscriber)})


def confirm(subscriber: Subscriber) -> None:
    if subscriber.status != Subscriber.Status.CONFIRMED:
        subscriber.status = Subscriber.Status.CONFIRMED
        subscriber.confirmed_at = timezone.now()
        subscriber.unsubscribed_at = subscriber.bounced_at = None
        subscriber.unsubscribed_from = None
        subscriber.bounce_reason = ""
        subscriber.save()


# The digest


class AlreadySent(Exception):
    """The edition went out already (today's digest, or this story's breaking edition)."""


def next_digest() -> Edition:
    """The digest to be sent next, where editors write their note before it goes."""
    with contextlib.suppress(IntegrityError), transaction.atomic():
        return Edition.objects.get_or_create(kind=Edition.Kind.DIGEST, status=Edition.Status.DRAFT)[
            0
        ]
    return Edition.objects.get(kind=Edition.Kind.DIGEST, status=Edition.Status.DRAFT)


def digest_window(edition: Edition) -> tuple:
    """The stories a digest holds became public after ``since`` and by ``until``."""
    until = edition.covers_until or timezone.now()
    previous = (
        Edition.objects.sent_digests()
        .filter(covers_until__lt=until)
        .exclude(pk=edition.pk)
        .order_by("-covers_until")
        .values_list("covers_until", flat=True)
        .first()
    )
    return previous or until - timedelta(days=1), until


def digest_articles(edition: Edition) -> list[Article]:
    since, until = digest_window(edition)
    return list(
        Article.objects.filter(published_by(until))
        .exclude(published_by(since))
        .select_related("section", "reporter")
        .order_by("section__position", "section__name", "-published_at")
    )


def articles_for(subscriber: Subscriber, articles: list[Article], section_ids: set) -> list:
    """What one subscriber's digest holds: everything, or the stories of their sections."""
    if subscriber.wants_digest:
        return articles
    return [a for a in articles if a.section_id in section_ids]


def digest_recipients(articles: list[Article]) -> list[Subscriber]:
    """Confirmed digest subscribers with at least one story for them."""
    if not articles:
        return []
    subscribers = list(Subscriber.objects.for_digest().prefetch_related("sections"))
    return [s for s in subscribers if articles_for(s, articles, {x.pk for x in s.sections.all()})]


def by_section(articles: list[Article]) -> list[tuple]:
    groups = defaultdict(list)
    for article in articles:
        groups[article.section].append(article)
    return list(groups.items())


def digest_subject(edition: Edition, day) -> str:
    return _("%(outlet)s daily digest, %(date)s") % {
        "outlet": SiteSettings.current().name,
        "date": date_format(day, "DATE_FORMAT"),
    }


def breaking_subject(article: Article) -> str:
    return _("[Breaking] %(title)s") % {"title": article.title}


def recipients(edition: Edition) -> list[Subscriber]:
    if edition.kind == Edition.Kind.BREAKING:
        return list(Subscriber.objects.confirmed())
    return digest_recipients(digest_articles(edition))


def send_edition(*, edition: Edition, by, site_url: str) -> int:
    """Freeze the edition and queue one message per recipient, in batches; how many.

    Raises AlreadySent when it (or today's digest) has gone out already, so that a second
    click, a second editor or the daily job never sends it twice.
    """
    now = timezone.now()
    # The subject is the readers', whatever language the editor's desk is in.
    with translation.override(settings.LANGUAGE_CODE):
        return _send_edition(edition=edition, by=by, site_url=site_url, now=now)


def _send_edition(*, edition: Edition, by, site_url: str, now) -> int:
    from .tasks import deliver_batch

    try:
        with transaction.atomic():
            edition = Edition.objects.select_for_update().get(pk=edition.pk)
            if edition.status != Edition.Status.DRAFT:
                raise AlreadySent
            if edition.kind == Edition.Kind.DIGEST:
                edition.covers_until = now
                edition.issue_date = timezone.localdate(now)
                edition.subject = digest_subject(edition, edition.issue_date)
            else:
                edition.subject = breaking_subject(edition.article)
            targets = recipients(edition)
            edition.status = Edition.Status.SENDING if targets else Edition.Status.SENT
            edition.sent_at, edition.sent_by, edition.site_url = now, by, site_url
            edition.save()
            sends = Send.objects.bulk_create(
                Send(edition=edition, subscriber=subscriber) for subscriber in targets
            )
            ids = [send.pk for send in sends]
            size = settings.NEWSLETTER_BATCH_SIZE
            for start in range(0, len(ids), size):
                batch = ids[start : start + size]
                transaction.on_commit(
                    lambda batch=batch: deliver_batch.enqueue(send_ids=batch, attempt=1)
                )
    except IntegrityError as error:
        raise AlreadySent from error
    return len(ids)


def send_breaking(*, article: Article, by, site_url: str) -> int:
    try:
        with transaction.atomic():
            edition = Edition.objects.create(kind=Edition.Kind.BREAKING, article=article)
    except IntegrityError as error:
        raise AlreadySent from error
    return send_edition(edition=edition, by=by, site_url=site_url)


def send_todays_digest(*, site_url: str) -> int | None:
    """The daily job: send the next digest unless one went out today; None if it had."""
    if digest_sent_today():
        return None
    try:
        return send_edition(edition=next_digest(), by=None, site_url=site_url)
    except AlreadySent:
        return None


def edition_or_none(edition_id: int | None) -> Edition | None:
    """The edition an unsubscribe link came from, if it still exists."""
    return Edition.objects.filter(pk=edition_id).first() if edition_id else None


def today():
    return timezone.localdate()


def digest_sent_today() -> bool:
    return Edition.objects.sent_digests().filter(issue_date=today()).exists()


def breaking_sent(article: Article) -> bool:
    return Edition.objects.filter(kind=Edition.Kind.BREAKING, article=article).exists()


def breaking_candidates():
    """Stories an editor may send as breaking news: published in the last three days."""
    return (
        Article.objects.published()
        .filter(published_at__gte=timezone.now() - timedelta(days=3))
        .select_related("section")
        .order_by("-published_at")
    )


def section_subscriber_counts() -> list[tuple]:
    """(section name, confirmed subscribers who get only their sections and chose it)."""
    chosen = Subscriber.sections.through.objects.filter(
        subscriber__status=Subscriber.Status.CONFIRMED, subscriber__wants_digest=False
    )
    return list(
        chosen.values_list("section__name")
        .annotate(followers=Count("pk"))
        .order_by("section__position", "section__name")
    )
