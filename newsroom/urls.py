from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from . import preferences, views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("favicon.ico", views.favicon),
    path("csrf/", views.csrf_token, name="csrf"),
    path("layout/<str:layout>/", preferences.set_layout, name="set_layout"),
    path("language/<str:language>/", preferences.set_language, name="set_language"),
    path("accounts/", include("accounts.urls")),
    path("reporters/", include("reporters.urls")),
    path("comments/", include("comments.urls")),
    path("ads/", include("ads.urls")),
    path("", include("articles.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
