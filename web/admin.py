from django.contrib import admin
from django.http import HttpResponseRedirect
from django.urls import reverse


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows the site writes (counters, the mail queue): staff read them, nobody adds,
    changes or deletes one by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class OneRowAdmin(admin.ModelAdmin):
    """Settings kept in one row (pk 1, made by the model's current()): the list would only
    ever show it, so the admin goes straight to its form, and nobody adds or deletes one."""

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        self.model.current()
        opts = self.model._meta
        return HttpResponseRedirect(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[1])
        )
