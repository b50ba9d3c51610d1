import functools
import hashlib

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from web.ratelimit import client_ip, hit

from . import links, services
from .forms import ManageForm, SubscribeForm
from .models import PRIVACY_NOTICE_VERSION


def within_signup_limits(request, email: str) -> bool:
    """Per visitor and per address, so nobody fills an inbox with confirmation requests."""
    address = hashlib.sha256(email.encode()).hexdigest()
    return hit(
        f"newsletter-signup:ip:{client_ip(request)}",
        limit=settings.NEWSLETTER_SIGNUPS_PER_HOUR,
        period=3600,
    ) and hit(
        f"newsletter-signup:email:{address}",
        limit=settings.NEWSLETTER_SIGNUPS_PER_ADDRESS_PER_DAY,
        period=86400,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request):
    user = request.user if request.user.is_authenticated else None
    form = SubscribeForm(request.POST or None, initial={"email": user.email if user else ""})
    status = 200
    if request.method == "POST" and form.is_valid():
        if form.is_bot:
            return redirect("newsletters:check_email")
        email = form.cleaned_data["email"]
        if within_signup_limits(request, email):
            services.subscribe(
                email=email,
                wants_digest=form.cleaned_data["wants_digest"],
                sections=form.cleaned_data["sections"],
                user=user,
                site_url=request.build_absolute_uri("/"),
            )
            return redirect("newsletters:check_email")
        form.add_error(None, _("Too many sign-ups from here. Try again in an hour."))
        status = 429
    return render(
        request,
        "newsletters/subscribe.html",
        {"form": form, "notice_version": PRIVACY_NOTICE_VERSION},
        status=status,
    )


def check_email(request):
    return render(
        request, "newsletters/check_email.html", {"hours": settings.NEWSLETTER_CONFIRM_HOURS}
    )


def invalid_link(request, *, expired: bool = False):
    return render(request, "newsletters/invalid_link.html", {"expired": expired}, status=400)


def signed_link(purpose: str):
    """The view of a signed link: it gets the subscriber (and the edition's id, if the link
    names one) the token names; a link that is altered, expired or not of this kind gets 400."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, token: str):
            try:
                subscriber, edition_id = links.read_token(purpose, token)
            except signing.SignatureExpired:
                return invalid_link(request, expired=True)
            except signing.BadSignature:
                return invalid_link(request)
            return view(request, subscriber, token=token, edition_id=edition_id)

        return require_http_methods(["GET", "HEAD", "POST"])(wrapper)

    return decorate


@signed_link(links.CONFIRM)
def confirm(request, subscriber, **_link):
    """A page with a button, not a confirmation on GET: mail scanners open links by themselves."""
    if request.method == "POST":
        services.confirm(subscriber)
        messages.success(request, _("Your subscription is confirmed. Welcome!"))
        return redirect("newsletters:manage", links.make_token(links.MANAGE, subscriber))
    return render(request, "newsletters/confirm.html", {"subscriber": subscriber})


@signed_link(links.MANAGE)
def manage(request, subscriber, *, token: str, **_link):
    form = ManageForm(request.POST or None, instance=subscriber)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your choices are saved."))
        return redirect("newsletters:manage", token)
    return render(
        request,
        "newsletters/manage.html",
        {
            "form": form,
            "subscriber": subscriber,
            "unsubscribe_token": links.make_token(links.UNSUBSCRIBE, subscriber),
        },
    )


@csrf_exempt  # RFC 8058: mail clients POST here with no cookie; the signed link is the proof.
@signed_link(links.UNSUBSCRIBE)
def unsubscribe(request, subscriber, *, token: str, edition_id: int | None):
    if request.method == "POST":
        subscriber.unsubscribe(edition=services.edition_or_none(edition_id))
        return render(request, "newsletters/unsubscribed.html", {"subscriber": subscriber})
    return render(
        request, "newsletters/unsubscribe.html", {"subscriber": subscriber, "token": token}
    )
