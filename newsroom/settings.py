"""Newsroom settings: one file, configured by environment variables.

Every variable is documented in README.md and .env.example. The defaults are
safe for development: DEBUG on, SQLite in the project, e-mail to the console.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django_prose_editor.config import html_tags, process_table
from js_asset import static_lazy

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-development-only-key"  # noqa: S105 (DEBUG only)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "newsroom.apps.NewsroomAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "articles.apps.TagsConfig",
    "django_prose_editor",
    "simple_history",
    # Before mailqueue, whose admin replaces the library's.
    "mailqueue.apps.TaskQueueConfig",
    "web",
    "caching",
    "images",
    "mailqueue",
    "outlet",
    "accounts",
    "reporters",
    "articles",
    "comments",
    "frontpage",
    # After articles: its admin adds the compliance check to the article admin.
    "portals",
    "ads",
    "newsletters",
    "backups",
    "demo",
]

MIDDLEWARE = [
    # Outermost, as Django's own cache middleware: a page is stored as the middleware below
    # finished it (security headers and ETag included) and a hit is served as stored.
    "caching.pages.SharedPageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    *(["newsroom.routers.ReplicaMiddleware"] if os.environ.get("REPLICA_DATABASE_URL") else []),
    "django.contrib.sessions.middleware.SessionMiddleware",
    "web.preferences.PreferencesMiddleware",
    "django.middleware.common.CommonMiddleware",
    "web.middleware.RefuseControlCharactersInAdminQueries",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "outlet.context_processors.outlet",
                "articles.context_processors.navigation",
            ],
        },
    },
    # The parts of public pages that repeat the most (a comment thread: web/jinja2.py).
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "NAME": "jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "web.jinja2.environment"},
    },
]

# Database: SQLite in the project unless DATABASE_URL names another one
# (postgres://user:password@host:5432/name for PostgreSQL through psycopg 3).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=60,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # JIT compiles queries the planner thinks costly; for a page's short queries it costs
    # more than it saves (0.5 s on a search of 10,000 articles, measured).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
    if env_bool("DATABASE_POOL", False):
        # psycopg's pool hands each request a connection; Django must not keep its own.
        # PostgreSQL only: SQLite has no pool, and opening its file on every request cost
        # a page-cache hit (which reads the versions) six times its own work.
        DATABASES["default"]["OPTIONS"]["pool"] = True
        DATABASES["default"]["CONN_MAX_AGE"] = 0
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while a comment is written; IMMEDIATE avoids
    # "database is locked" when two writers upgrade their locks at once.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )

# A read replica (docs/scale.md): a PostgreSQL streaming standby of the primary above.
# Anonymous readers' pages read from it; writes, sessions, staff, the task queue, the
# shared cache and a reader's requests right after a write use the primary
# (newsroom/routers.py). A replica that is stopped or more than REPLICA_MAX_LAG_SECONDS
# behind (asked at most every REPLICA_CHECK_SECONDS per worker) is left alone.
REPLICA_DATABASE_URL = os.environ.get("REPLICA_DATABASE_URL", "")
REPLICA_MAX_LAG_SECONDS = float(os.environ.get("REPLICA_MAX_LAG_SECONDS", "5"))
REPLICA_CHECK_SECONDS = float(os.environ.get("REPLICA_CHECK_SECONDS", "2"))
REPLICA_PIN_SECONDS = int(os.environ.get("REPLICA_PIN_SECONDS", "10"))
# Apps whose reads always go to the primary, besides sessions, users, the task queue and
# the shared cache (newsroom.routers.PRIMARY_ONLY).
REPLICA_PRIMARY_APPS: list[str] = []
if REPLICA_DATABASE_URL:
    DATABASES["replica"] = dj_database_url.parse(
        REPLICA_DATABASE_URL, conn_max_age=60, conn_health_checks=True
    )
    if DATABASES["replica"]["ENGINE"] != DATABASES["default"]["ENGINE"]:
        raise ImproperlyConfigured("REPLICA_DATABASE_URL must name a replica of DATABASE_URL.")
    if DATABASES["replica"]["ENGINE"] == "django.db.backends.postgresql":
        # A replica that went away must not hold a reader for long.
        DATABASES["replica"].setdefault("OPTIONS", {}).update(
            {"options": "-c jit=off", "connect_timeout": 2}
        )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}  # the test database is the primary
    DATABASE_ROUTERS = ["newsroom.routers.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The articles' published indexes carry the embargo as a non-key column for PostgreSQL
# (articles.Article.Meta.indexes); SQLite builds them without it, as intended.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
CSRF_FAILURE_VIEW = "caching.csrf.csrf_failure"
LOGIN_URL = "accounts:login"
# Login throttling (accounts.forms.LoginThrottleMixin): failures allowed per account and
# per address before logins are refused for the cool-off.
LOGIN_FAILURES_PER_ACCOUNT = 5
LOGIN_FAILURES_PER_ADDRESS = 20
LOGIN_COOLOFF_SECONDS = 15 * 60
LOGIN_REDIRECT_URL = "articles:home"
LOGOUT_REDIRECT_URL = "articles:home"

# Caches. "default" holds what is rendered (whole pages, parts of pages): local memory in
# each worker unless REDIS_URL (also read from CACHE_URL, the name other Django projects
# give it) names a Redis server every worker and server shares. "shared" holds what must
# be the same for every worker and server at once — rate limits, login throttling,
# de-duplicated views and clicks, and the versions that make rendered pages stale — in
# Redis when there is one, else in the site's own database (caching.backends.DatabaseStore),
# so these controls hold in every deployment, however many workers and servers run.
REDIS_URL = os.environ.get("REDIS_URL") or os.environ.get("CACHE_URL", "")
if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(
        "REDIS_URL (or CACHE_URL) must be a redis://, rediss:// or unix:// URL."
    )
if REDIS_URL:
    redis_cache = {"BACKEND": "caching.backends.RedisCache", "LOCATION": REDIS_URL}
    CACHES = {"default": redis_cache, "shared": redis_cache}
else:
    CACHES = {
        # Django's default of 300 entries is far too few for a site's pages; the bytes
        # bound each worker's memory whatever addresses are made up (LOCAL_CACHE_MB each).
        "default": {
            "BACKEND": "caching.backends.LocalMemory",
            "OPTIONS": {
                "MAX_ENTRIES": 20_000,
                "MAX_BYTES": int(os.environ.get("LOCAL_CACHE_MB", "256")) * 2**20,
            },
        },
        "shared": {"BACKEND": "caching.backends.DatabaseStore"},
    }

# Internationalisation: Korean by default, English source strings.
LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "ko")
LANGUAGES = [("ko", "한국어"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["newsroom.formats"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Seoul")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
    # Where `manage.py backup` writes its archives and `restore --stored` reads them.
    "backups": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": os.environ.get("BACKUP_ROOT", BASE_DIR / "backups")},
    },
}


def s3_storages(environ) -> tuple[dict, str]:
    """The "default" (media) and "backups" storages in the bucket ``environ`` names
    (S3_BUCKET …), and the MEDIA_URL their public files are read from."""
    bucket = environ["S3_BUCKET"]
    endpoint = environ.get("S3_ENDPOINT_URL", "").rstrip("/")
    region = environ.get("S3_REGION", "")
    # The host (and path) readers fetch media from: a CDN in front of the bucket, or else
    # the bucket itself; on AWS without one, the bucket's own virtual host.
    domain = environ.get("S3_CUSTOM_DOMAIN", "").strip("/") or (
        "" if endpoint else f"{bucket}.s3.{region or 'us-east-1'}.amazonaws.com"
    )
    connection = {
        "endpoint_url": endpoint or None,
        # Unset: boto3's own chain (instance role, ~/.aws) supplies them.
        "access_key": environ.get("S3_ACCESS_KEY_ID") or None,
        "secret_key": environ.get("S3_SECRET_ACCESS_KEY") or None,
        "region_name": region or None,
        # Other S3-compatible servers (MinIO, Ceph, R2 …) are addressed by path.
        "addressing_style": "path" if endpoint else None,
        "file_overwrite": False,
    }
    backend = "storages.backends.s3.S3Storage"
    media = {
        **connection,
        "bucket_name": bucket,
        "location": "media",
        "custom_domain": domain or None,
        "querystring_auth": False,
        # Uploads get new random names, so a copy may be kept as long as a browser likes.
        "object_parameters": {"CacheControl": "public, max-age=31536000"},
    }
    backups = {
        **connection,
        "bucket_name": environ.get("S3_BACKUP_BUCKET") or bucket,
        "location": "backups",
        # Private as every object is unless a policy opens it: the bucket's opens media/ only.
        "querystring_auth": True,
    }
    # What the storage's URLs start with: the body sanitizer and the CSP's img-src trust it.
    media_url = f"https://{domain}/media/" if domain else f"{endpoint}/{bucket}/media/"
    storages = {
        "default": {"BACKEND": backend, "OPTIONS": media},
        "backups": {"BACKEND": backend, "OPTIONS": backups},
    }
    return storages, media_url


# Media and backups on S3-compatible storage (django-storages) when S3_BUCKET is set:
# uploads under media/ (public, no signed URLs: MEDIA_URL is their address), archives
# under backups/ (private; in S3_BACKUP_BUCKET if set, else the same bucket).
if os.environ.get("S3_BUCKET"):
    in_bucket, MEDIA_URL = s3_storages(os.environ)
    STORAGES |= in_bucket

# E-mail: SMTP to EMAIL_HOST; when it is unset, printed to the console in development
# and handed to the machine's own mail server (localhost:25) in production.
smtp_configured = "EMAIL_HOST" in os.environ
if smtp_host := os.environ.get("EMAIL_HOST", "" if DEBUG else "localhost"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": smtp_host,
                "port": int(os.environ.get("EMAIL_PORT", "587" if smtp_configured else "25")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", smtp_configured),
                "timeout": 10,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "newsroom@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background work (outgoing mail first of all) goes through Django's Tasks framework, queued
# in the database and run by `manage.py db_worker` (`make run` starts one beside the server).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A message the mail server refuses is tried again after 1, 2, 4 … minutes (at most an hour
# apart), this many times in all (about four hours); then it is kept as "not sent".
MAIL_MAX_ATTEMPTS = int(os.environ.get("MAIL_MAX_ATTEMPTS", "10"))
MAIL_RETRY_SECONDS = 60

# The site's public address, for absolute links made outside a request: the daily digest's
# and IndexNow's. Unset, `send_digest` asks for --site-url, IndexNow sends nothing, and what
# editors send or download from the desk uses the address they work on.
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")

# Newsletters (newsletters/).
NEWSLETTER_CONFIRM_HOURS = 48
NEWSLETTER_BATCH_SIZE = int(os.environ.get("NEWSLETTER_BATCH_SIZE", "100"))
NEWSLETTER_SIGNUPS_PER_HOUR = 10  # per visitor's address
NEWSLETTER_SIGNUPS_PER_ADDRESS_PER_DAY = 3  # confirmation mails one mailbox may be sent
# The mailto: half of List-Unsubscribe; someone (or the mail system) must read it.
NEWSLETTER_UNSUBSCRIBE_MAILBOX = os.environ.get(
    "NEWSLETTER_UNSUBSCRIBE_MAILBOX", DEFAULT_FROM_EMAIL
)

# Portals (Naver, Daum): docs/portals.md. IndexNow pings only when the key and SITE_URL
# are set.
INDEXNOW_KEY = os.environ.get("INDEXNOW_KEY", "")
INDEXNOW_ENDPOINTS = env_list(
    "INDEXNOW_ENDPOINTS",
    "https://searchadvisor.naver.com/indexnow,https://api.indexnow.org/indexnow",
)
INDEXNOW_MAX_ATTEMPTS = 6
INDEXNOW_RETRY_SECONDS = 60
# The partnership reviews' bar: own reporting (자체기사) at least this share of all articles.
PORTAL_OWN_SHARE_THRESHOLD = 30
# The compliance check before publishing (portals/compliance.py).
PORTAL_DUPLICATE_DAYS = 7
PORTAL_DUPLICATE_SIMILARITY = 0.6
PORTAL_HEADLINE_REPEATS = 3
PORTAL_AD_NAME_REPEATS = 5
PORTAL_REWRITE_SHARE = 0.5

# The number of reverse proxies in front of the app whose X-Forwarded-For we
# trust for the client's address (rate limits). 0: use REMOTE_ADDR.
NUM_PROXIES = int(os.environ.get("NUM_PROXIES", "0"))

# Uploaded images: formats Pillow may open, and the largest picture accepted.
IMAGE_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
IMAGE_MAX_PIXELS = 30_000_000
IMAGE_MAX_UPLOAD_BYTES = 15 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Whole pages cached for readers without a session (caching/pages.py; views declare
# themselves with shared_page): how long. Nothing is ever cached for longer than this, so
# it is also the most an ad that starts or ends can be late (a scheduled article shows on
# time). 0 turns it off.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "60"))
# Parts of pages cached on their own (an article's head and story, its comment thread,
# related articles, the empty comment form): until what they show changes — every worker
# reads the versions from the shared cache — and at most this long (what no version
# tracks, such as a commenter's new display name, waits that long). 0 turns them off.
FRAGMENT_CACHE_SECONDS = int(os.environ.get("FRAGMENT_CACHE_SECONDS", "600"))

# Page views and ad impressions are added up in memory and written this often.
COUNTER_FLUSH_SECONDS = int(os.environ.get("COUNTER_FLUSH_SECONDS", "10"))

# "Email this article": messages one address may send per hour.
EMAIL_ARTICLE_RATE = int(os.environ.get("EMAIL_ARTICLE_RATE", "5"))

# HTTPS and headers. Behind a TLS-terminating proxy set SECURE_PROXY_SSL_HEADER=1 (it
# must overwrite X-Forwarded-Proto); HTTPS=1 turns on redirects, HSTS and secure cookies.
HTTPS = env_bool("HTTPS", not DEBUG)
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", HTTPS)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", HTTPS)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Content Security Policy (Django's own). Our scripts are files from 'self';
# ad-network tags run in sandboxed frames, so their hosts appear only in frame-src.
AD_NETWORK_HOSTS = env_list("AD_NETWORK_HOSTS")
# Videos and maps in article bodies (articles/embeds.py says which addresses, and a test
# keeps this list equal to its FRAME_HOSTS): YouTube's privacy-enhanced player, Google Maps.
EMBED_FRAME_HOSTS = ["https://www.youtube-nocookie.com", "https://www.google.com"]
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", *([MEDIA_URL] if MEDIA_URL.startswith("http") else [])],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-src": [CSP.SELF, *AD_NETWORK_HOSTS, *EMBED_FRAME_HOSTS],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    # No page is framed, as X_FRAME_OPTIONS says; the ad frame alone has its own pair
    # (SAMEORIGIN and 'self', ads.views.frame), for the site's pages to embed it.
    "frame-ancestors": [CSP.NONE],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Body editor extensions of our own (django-prose-editor loads their modules). The body's
# sanitizer is articles.sanitize, so the allowlists here only describe what each writes.
DJANGO_PROSE_EDITOR_EXTENSIONS = [
    {
        # Photos from the library inside the body: <figure data-photo-id>.
        "js": [static_lazy("js/admin/photos.js")],
        "extensions": {
            "BodyPhoto": html_tags(
                ["figure", "img", "figcaption"],
                {"figure": ["data-photo-id"], "img": ["src", "alt"]},
            )
        },
    },
    {
        # Tables pasted from word processors and spreadsheets, videos and maps.
        "js": [static_lazy("js/admin/body_extensions.js")],
        "extensions": {
            "NewsTable": process_table,
            "TablePaste": html_tags([]),
            "Embed": html_tags(["iframe"], {"iframe": ["src", "title"]}),
        },
    },
]
