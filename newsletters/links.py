"""Signed links in newsletter mail: confirm a sign-up, manage choices, unsubscribe.

Each carries the subscriber's id and secret key, signed with SECRET_KEY under its own salt,
so one kind of link cannot stand in for another and nobody can make one for an address.
"""

from urllib.parse import urljoin

from django.conf import settings
from django.core import signing
from django.urls import reverse

from .models import Subscriber

CONFIRM, MANAGE, UNSUBSCRIBE = "confirm", "manage", "unsubscribe"


def make_token(purpose: str, subscriber: Subscriber, *, edition_id: int | None = None) -> str:
    payload = {"s": subscriber.pk, "k": subscriber.key}
    if edition_id:
        payload["e"] = edition_id
    return signing.dumps(payload, salt=f"newsletters.{purpose}")


def read_token(purpose: str, token: str) -> tuple[Subscriber, int | None]:
    """The subscriber (and edition id) a token names; signing.BadSignature when it is not ours,
    expired (a confirmation link lasts NEWSLETTER_CONFIRM_HOURS) or its subscriber is gone."""
    max_age = settings.NEWSLETTER_CONFIRM_HOURS * 3600 if purpose == CONFIRM else None
    payload = signing.loads(token, salt=f"newsletters.{purpose}", max_age=max_age)
    try:
        subscriber = Subscriber.objects.get(pk=payload["s"], key=payload["k"])
    except (Subscriber.DoesNotExist, KeyError, TypeError) as error:
        raise signing.BadSignature("no such subscriber") from error
    return subscriber, payload.get("e")


def absolute(site_url: str, purpose: str, subscriber: Subscriber, **kwargs) -> str:
    token = make_token(purpose, subscriber, **kwargs)
    return urljoin(site_url, reverse(f"newsletters:{purpose}", args=[token]))
