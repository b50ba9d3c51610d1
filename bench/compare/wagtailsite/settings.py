"""Settings of the Wagtail site the side-by-side benchmark measures (bench/compare).

A site as ``wagtail start`` makes one (its apps and middleware), with one app of ours
(news: sections and article pages), configured from the same environment as Newsroom's
production servers in the benchmark (bench/harness.py production_env): DEBUG=0, SQLite
from DATABASE_URL, MEDIA_ROOT, SECRET_KEY, ALLOWED_HOSTS. It runs in bench/.wagtail-venv.
"""

import os
from pathlib import Path

HERE = Path(__file__).resolve().parent

DEBUG = os.environ.get("DEBUG", "0") == "1"
SECRET_KEY = os.environ["SECRET_KEY"]
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")

INSTALLED_APPS = [
    "bench.compare.wagtailsite.news",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "bench.compare.wagtailsite.urls"
WSGI_APPLICATION = "bench.compare.wagtailsite.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# The benchmark hands every server a DATABASE_URL; this site only runs on SQLite.
database_url = os.environ["DATABASE_URL"]
if not database_url.startswith("sqlite:///"):
    raise RuntimeError("The benchmark's Wagtail site runs on SQLite: DATABASE_URL=sqlite:///…")
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": database_url.removeprefix("sqlite:///"),
        "CONN_MAX_AGE": 60,
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "ko"
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ["STATIC_ROOT"]) / "wagtail"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ["MEDIA_ROOT"]) / "wagtail"

WAGTAIL_SITE_NAME = "기계신문 (Wagtail)"
WAGTAILADMIN_BASE_URL = "http://127.0.0.1"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
