from django.db import models
from django.utils.translation import gettext_lazy as _

from caching.models import OneRow


class SiteSettings(OneRow):
    """The outlet's name, tagline, contacts and legal footer: one row, edited in the admin."""

    cache_key = "outlet:site-settings"

    name = models.CharField(_("outlet name"), max_length=100, default="뉴스룸")
    tagline = models.CharField(_("tagline"), max_length=200, blank=True)
    description = models.CharField(
        _("description"),
        max_length=300,
        blank=True,
        help_text=_("Used as the meta description of the home page and in feeds."),
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    publisher = models.CharField(_("publisher"), max_length=100, blank=True)
    registration_number = models.CharField(
        _("registration number"),
        max_length=100,
        blank=True,
        help_text=_("The periodical registration number shown in the footer."),
    )

    class Meta:
        verbose_name = _("site settings")
        verbose_name_plural = _("site settings")
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="site_settings_singleton")
        ]

    def __str__(self):
        return str(self.name)
