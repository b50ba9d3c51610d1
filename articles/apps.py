from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Articles")

    def ready(self):
        from caching import versions

        from . import signals
        from .models import Article

        signals.connect()
        # A scheduled article appears by itself when its time comes: pages move on then.
        versions.schedule_source(Article.objects.next_publication)
