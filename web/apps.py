from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    """Small helpers every app may use: rate limits, visitors, pagination, validators,
    the reader's language and layout, batched counters."""

    name = "web"
    verbose_name = _("Web helpers")
