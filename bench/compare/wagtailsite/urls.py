from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    # Every other address is a page of the tree, as in every Wagtail site.
    path("", include(wagtail_urls)),
]
