"""The demo's newsletter subscribers, from ``data/newsletters.json``, and one breaking edition
already sent to them, so the admin shows figures. No mail is sent: the rows say what went out.

Seeded once: when any subscriber exists, nothing is touched.
"""

from collections import Counter
from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from articles.models import Article, Section
from demo import content
from newsletters.models import PRIVACY_NOTICE_VERSION, Edition, Send, Subscriber
from newsletters.services import breaking_subject


def seed_newsletters(tally: Counter, *, site_url: str) -> None:
    if Subscriber.objects.exists():
        return
    now = timezone.now()
    subscribers = []
    for row in content.load("newsletters")["subscribers"]:
        subscriber = Subscriber.objects.create(
            email=row["email"],
            status=row["status"],
            wants_digest=row["wants_digest"],
            consent_version=PRIVACY_NOTICE_VERSION,
            consented_at=now - timedelta(days=3),
            confirmed_at=None if row["status"] == "pending" else now - timedelta(days=3),
            bounce_reason=row.get("bounce_reason", ""),
            bounced_at=now - timedelta(days=1) if row["status"] == "bounced" else None,
        )
        subscriber.sections.set(Section.objects.filter(slug__in=row["sections"]))
        subscribers.append(subscriber)
        tally["newsletter subscribers"] += 1

    story = Article.objects.published().order_by("-published_at").first()
    if story is None:
        return
    edition = Edition.objects.create(
        kind=Edition.Kind.BREAKING,
        status=Edition.Status.SENT,
        article=story,
        subject=breaking_subject(story),
        site_url=site_url,
        sent_by=User.objects.filter(username="editor").first(),
        sent_at=now - timedelta(days=1),
    )
    outcome = {"confirmed": Send.Status.SENT, "unsubscribed": Send.Status.SENT,
               "bounced": Send.Status.BOUNCED}  # fmt: skip
    Send.objects.bulk_create(
        Send(
            edition=edition,
            subscriber=s,
            status=outcome[s.status],
            attempts=1,
            sent_at=edition.sent_at if outcome[s.status] == Send.Status.SENT else None,
            error=s.bounce_reason,
        )
        for s in subscribers
        if s.status in outcome
    )
    Subscriber.objects.filter(status=Subscriber.Status.UNSUBSCRIBED).update(
        unsubscribed_from=edition, unsubscribed_at=now - timedelta(hours=20)
    )
    tally["newsletter editions"] += 1
