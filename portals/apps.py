from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalsConfig(AppConfig):
    """What the portals (Naver, Daum) ask of a news partner: the partnership report, the
    compliance check before publishing, IndexNow pings. docs/portals.md."""

    name = "portals"
    verbose_name = _("Portals")

    def ready(self):
        from . import signals  # noqa: F401 (IndexNow pings on publish, update, deletion)
