"""Bare Django: one view that returns a Newsroom article page's bytes, read from the file
BARE_PAGE names when the worker starts. No apps, no middleware, no templates, no
database: what Django itself costs per request under the same gunicorn, the floor that
Newsroom's page cache is compared with (bench/compare). Served as
``gunicorn bench.compare.bare:application``.
"""

import os
from pathlib import Path

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import re_path

PAGE = Path(os.environ["BARE_PAGE"]).read_bytes()


def article(request, path=""):
    return HttpResponse(PAGE, content_type="text/html; charset=utf-8")


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
