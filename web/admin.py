import dataclasses

from django.contrib import admin
from django.contrib.admin.actions import delete_selected
from django.contrib.admin.options import ActionLocation
from django.core.exceptions import FieldDoesNotExist
from django.db import router, transaction
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django_prose_editor.fields import ProseEditorField

from web.counters import lock_in_order


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows the site writes (counters, the mail queue): staff read them, nobody adds,
    changes or deletes one by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DeletesInLockOrder(admin.ModelAdmin):
    """Deleting locks the rows first, in id order, as the counters' writers lock the rows
    they count for (web.counters.lock_in_order): a deletion and a batch of views or
    impressions wait for each other instead of deadlocking.

    The rows are locked before Django looks for what protects them, so that the look sees
    what a batch wrote while the deletion waited (a placement's first statistics): the
    person is told it cannot be deleted, as if the row had been there when they asked.
    """

    def get_deleted_objects(self, objs, request):
        if request.method == "POST":  # deleting, or asking to (the bulk action's first step)
            pks = [obj.pk for obj in objs]
            lock_in_order(self.model._default_manager.filter(pk__in=pks), to_delete=True)
        return super().get_deleted_objects(objs, request)

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location)
        if delete := actions.get("delete_selected"):
            actions[delete.name] = dataclasses.replace(delete, func=delete_selected_at_once)
        return actions


def delete_selected_at_once(modeladmin, request, queryset):
    """Django's bulk delete in one transaction, as its delete page is: the lock, the look
    for protected rows, the log and the deletion."""
    with transaction.atomic(using=router.db_for_write(modeladmin.model)):
        return delete_selected(modeladmin, request, queryset)


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


class StoredFieldsForViewers(admin.ModelAdmin):
    """Someone who may only view an object is shown what is stored, as it reads: the form's
    own helper fields (nothing stored to show) are left out, where Django would show "None"
    under a label made from their code name, and rich text is shown formatted, not as
    markup."""

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        shown = []
        for title, options in fieldsets:
            fields = [self._as_read(name) for name in options["fields"] if self._shows(name)]
            if fields:
                shown.append((title, {**options, "fields": fields}))
        return shown

    def _shows(self, name) -> bool:
        if isinstance(name, list | tuple):  # fields on one line
            return all(map(self._shows, name))
        return callable(name) or hasattr(self.model, name) or hasattr(self, name)

    def _as_read(self, name):
        try:
            field = self.model._meta.get_field(name)
        except (FieldDoesNotExist, TypeError):
            return name
        if not isinstance(field, ProseEditorField):
            return name

        @admin.display(description=capfirst(field.verbose_name))
        def formatted(obj):
            # Rich text is sanitised against its allowlist when saved, as the public pages,
            # which print it the same way, rely on.
            html = getattr(obj, name)
            return mark_safe(f'<div class="rich-text-as-read">{html}</div>')  # noqa: S308  # nosec B308 B703

        formatted.__name__ = name
        return formatted


class LeftOutKeepsStored:
    """For model forms: the fields in ``may_be_left_out``, when a form is sent without them
    (a script, a page opened before they existed), keep the stored value or the model's
    default (Django's construct_instance does so for fields with a default) instead of
    refusing the whole form. Sent empty, the model's own validation still refuses them."""

    may_be_left_out: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.may_be_left_out:
            if name in self.fields:
                self.fields[name].required = False
