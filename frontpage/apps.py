from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrontPageConfig(AppConfig):
    name = "frontpage"
    verbose_name = _("Front page")

    def ready(self):
        from caching import versions

        from . import signals
        from .models import BreakingNews, Pin

        signals.connect()
        # A pin or a breaking-news flag that ends leaves every page at its time, as a
        # scheduled article appears at its own: pages move on then.
        versions.schedule_source(Pin.objects.next_end)
        versions.schedule_source(BreakingNews.objects.next_end)
