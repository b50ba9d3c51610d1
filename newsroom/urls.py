from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps
from django.urls import include, path, register_converter
from django.views.generic import TemplateView

from articles.sitemaps import SITEMAPS
from caching import csrf
from caching.pages import shared_page
from reporters.sitemaps import ReporterSitemap
from web import preferences
from web.converters import UnicodeSlugConverter

from . import views

register_converter(UnicodeSlugConverter, "uslug")

SITEMAPS = {**SITEMAPS, "reporters": ReporterSitemap}

urlpatterns = [
    path("admin/", admin.site.urls),
    path("favicon.ico", views.favicon),
    path("robots.txt", TemplateView.as_view(template_name="robots.txt", content_type="text/plain")),
    # An index of the sitemaps below, the articles' in pages (articles/sitemaps.py).
    path(
        "sitemap.xml",
        shared_page(sitemaps.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        shared_page(sitemaps.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    path("csrf/", csrf.token, name="csrf"),
    path("layout/<str:layout>/", preferences.set_layout, name="set_layout"),
    path("language/<str:language>/", preferences.set_language, name="set_language"),
    path("accounts/", include("accounts.urls")),
    path("reporters/", include("reporters.urls")),
    path("comments/", include("comments.urls")),
    path("ads/", include("ads.urls")),
    path("newsletters/", include("newsletters.urls")),
    path("", include("portals.urls")),
    path("", include("articles.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
