from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutletConfig(AppConfig):
    """The outlet's own settings: its name, tagline, contacts and legal footer."""

    name = "outlet"
    verbose_name = _("Site")

    def ready(self):
        from . import signals  # noqa: F401
