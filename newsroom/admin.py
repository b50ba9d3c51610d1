from django.contrib import admin
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import SiteSettings


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    fieldsets = [
        (None, {"fields": ["name", "tagline", "description"]}),
        (_("Contact"), {"fields": ["contact_email", "contact_phone", "address"]}),
        (_("Publisher"), {"fields": ["publisher", "registration_number"]}),
        (
            _("Comments"),
            {
                "fields": [
                    "allow_guest_comments",
                    "comment_interval_seconds",
                    "comment_reports_to_hide",
                ]
            },
        ),
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        # One row: the list would only ever show it, so go straight to the form.
        SiteSettings.current()
        return HttpResponseRedirect(reverse("admin:newsroom_sitesettings_change", args=[1]))
