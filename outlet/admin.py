from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from web.admin import OneRowAdmin

from .models import SiteSettings


@admin.register(SiteSettings)
class SiteSettingsAdmin(OneRowAdmin):
    fieldsets = [
        (None, {"fields": ["name", "tagline", "description"]}),
        (_("Contact"), {"fields": ["contact_email", "contact_phone", "address"]}),
        (_("Publisher"), {"fields": ["publisher", "registration_number"]}),
    ]
