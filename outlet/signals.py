"""What the outlet's settings change: every page shows the outlet's name and footer."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from caching import versions

from .models import SiteSettings


@receiver(post_save, sender=SiteSettings, dispatch_uid="outlet-settings-saved")
def settings_saved(sender, created, **kwargs):
    if not created:  # the first, default row (made by current()) changes nothing shown
        versions.bump(versions.SITE)
