from django.contrib import admin
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .models import PrivacyConsent, User


class PrivacyConsentInline(admin.TabularInline):
    """When the reader agreed to the privacy notice, and to which version: kept, not edited."""

    model = PrivacyConsent
    fields = readonly_fields = ["notice_version", "given_at"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AdminPasswordChangeForm(auth_forms.AdminPasswordChangeForm):
    # Django adds this warning to the help text as English, outside its catalogue.
    usable_password_help_text = format_lazy(
        '{}<ul id="id_unusable_warning" class="messagelist"><li class="warning">{}</li></ul>',
        auth_forms.SetUnusablePasswordMixin.usable_password_help_text,
        _("If disabled, the current password for this user will be lost."),
    )


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    change_password_form = AdminPasswordChangeForm
    inlines = [PrivacyConsentInline]
    fieldsets = [
        *BaseUserAdmin.fieldsets[:1],
        (_("Personal info"), {"fields": ["display_name", "first_name", "last_name", "email"]}),
        *BaseUserAdmin.fieldsets[2:],
    ]
    list_display = ["username", "display_name", "email", "is_staff", "is_active", "date_joined"]
    search_fields = ["username", "display_name", "email"]
