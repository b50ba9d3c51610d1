from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from taggit import apps as taggit_apps


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Articles")

    def ready(self):
        from caching import versions

        from . import revisions, search_text, signals
        from .models import Article

        # Before the receivers that invalidate pages, so no page is made from stale text.
        search_text.connect()
        signals.connect()
        revisions.connect()
        # A scheduled article appears by itself when its time comes: pages move on then.
        versions.schedule_source(Article.objects.next_publication)


class TagsConfig(taggit_apps.TaggitAppConfig):
    """django-taggit under the name staff know it by ("Taggit" names the library); listed in
    INSTALLED_APPS by its path."""

    default = False
    verbose_name = _("Tags")
