"""The reader's language and layout, chosen by link and remembered in cookies.

Korean unless the reader picked English (the browser's Accept-Language is not
consulted: the outlet writes in Korean). The layout is "pc", "mobile", or
"auto" when the reader never chose: then the page adapts to the screen, so
phones get the mobile layout by default without sniffing user agents.
Only the server reads the two cookies (no script does): they are httponly, and
secure when the site is served over HTTPS.
"""

from django.conf import settings
from django.http import HttpResponseRedirect
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme

LAYOUT_COOKIE = "layout"
LAYOUTS = ("pc", "mobile")
ONE_YEAR = 365 * 24 * 60 * 60


def chosen_language(request) -> str:
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def chosen_layout(request) -> str:
    layout = request.COOKIES.get(LAYOUT_COOKIE, "")
    return layout if layout in LAYOUTS else "auto"


class PreferencesMiddleware:
    """Activates the reader's language and notes their layout on the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = chosen_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        request.layout = chosen_layout(request)
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()  # the next request in this thread starts from the default
        return response


def _back(request):
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    # Not redirect(): it would try a next like "abc" as the name of a view, and fail.
    return HttpResponseRedirect(next_url)


def set_layout(request, layout):
    response = _back(request)
    if layout in LAYOUTS:
        response.set_cookie(
            LAYOUT_COOKIE,
            layout,
            max_age=ONE_YEAR,
            samesite="Lax",
            secure=settings.HTTPS,
            httponly=True,
        )
    return response


def set_language(request, language):
    response = _back(request)
    if language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=ONE_YEAR,
            samesite="Lax",
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=True,
        )
    return response
