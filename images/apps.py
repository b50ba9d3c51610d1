from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImagesConfig(AppConfig):
    """Uploaded pictures: checked, re-encoded without metadata, resized for srcset."""

    name = "images"
    verbose_name = _("Images")
