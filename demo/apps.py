from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo newsroom: its content as data, and the seeder that loads it at any size."""

    name = "demo"
    verbose_name = _("Demo")
