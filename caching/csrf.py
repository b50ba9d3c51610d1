"""CSRF on pages shared by every anonymous reader.

A cached page (or a cached part of one) must not carry anyone's CSRF token, so forms on
shared pages render an empty token field (``shared_token_field``) and static/js/site.js
fills it from ``token`` before the form is sent. A logged-in reader's own page gets
their token put back into shared HTML (``with_own_csrf_token``). When the check still
fails (a page left open for long), a view may show its form again with what was typed
(``on_csrf_failure``) instead of Django's bare 403 page.
"""

from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache


@never_cache
def token(request):
    """The reader's own CSRF token, for forms on pages cached for everyone."""
    return JsonResponse({"token": get_token(request)})


def shared_token_field() -> str:
    return format_html(
        '<input type="hidden" name="csrfmiddlewaretoken" value="" data-csrf="{}">',
        reverse("csrf"),
    )


def own_token_field(request) -> str:
    """The reader's own token field, as {% csrf_token %} writes it."""
    return format_html(
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request)
    )


def with_own_csrf_token(html: str, request) -> str:
    """Shared HTML for one reader: their own token in its forms, as {% csrf_token %} gives.

    Only the exact field shared_token_field wrote can match: text readers wrote is escaped.
    """
    own = own_token_field(request)
    # Both parts are HTML this module built; the rest was already safe.
    return mark_safe(html.replace(shared_token_field(), own))  # noqa: S308  # nosec B308 B703


def on_csrf_failure(handler):
    """Decorate a view: when its form fails the CSRF check, ``handler`` answers instead
    (with the view's own arguments), so that nothing the reader typed is lost."""

    def mark(view):
        view.csrf_failure = handler
        return view

    return mark


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: the view's own answer if it has one, else a page that says why."""
    match = request.resolver_match
    if match and (handler := getattr(match.func, "csrf_failure", None)):
        return handler(request, *match.args, **match.kwargs)
    return render(request, "403_csrf.html", status=403)
