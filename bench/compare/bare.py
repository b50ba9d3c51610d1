"""Bare Django: one view that returns a Newsroom article page's bytes, read from the file
BARE_PAGE names when the worker starts. No apps, no middleware, no templates, no
database: what Django itself costs per request under the same gunicorn, the floor that
Newsroom's page cache is compared with (bench/compare). Served as
``gunicorn bench.compare.bare:application``.

With BARE_HEADERS (a JSON file of [name, value] pairs) it also sends the headers Newsroom's
page-cache hit sends (the security policy, caching, language: 12 where Django's own view
sends 2), so that finding the page is the only difference left.
"""

import json
import os
from pathlib import Path

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import re_path

PAGE = Path(os.environ["BARE_PAGE"]).read_bytes()
HEADERS = []
if "BARE_HEADERS" in os.environ:
    HEADERS = json.loads(Path(os.environ["BARE_HEADERS"]).read_text())


def article(request, path=""):
    response = HttpResponse(PAGE, content_type="text/html; charset=utf-8")
    for name, value in HEADERS:
        response[name] = value
    return response


urlpatterns = [re_path(r"^(?P<path>.*)$", article)]

settings.configure(
    DEBUG=False,
    SECRET_KEY=os.environ["SECRET_KEY"],
    ALLOWED_HOSTS=os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(","),
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=[],
    MIDDLEWARE=[],
    USE_I18N=False,
)
application = get_wsgi_application()
