"""What Django's admin prints in English whatever the staff member's language, made to
speak it: permission and staff group names, the yes/no icons' text, and the rows of
many-to-many tables listed before a delete. Installed once by the admin's AppConfig
(newsroom/apps.py)."""

from django.apps import apps
from django.contrib.admin.templatetags import admin_list
from django.contrib.auth.models import Group, Permission
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy, pgettext

# Django names the permissions it makes for every model in English, once, in the database.
DEFAULT_PERMISSIONS = {
    "add": gettext_lazy("Can add %(model)s"),
    "change": gettext_lazy("Can change %(model)s"),
    "delete": gettext_lazy("Can delete %(model)s"),
    "view": gettext_lazy("Can view %(model)s"),
}
BOOLEAN_ICONS = {True: ("yes", gettext_lazy("Yes")), False: ("no", gettext_lazy("No"))}


def permission_name(permission: Permission) -> str:
    """A permission's name in the active language: Django's own four from the model's name,
    the ones our models declare from the translation catalogue."""
    action, _sep, model_name = permission.codename.partition("_")
    model = permission.content_type.model_class()
    if model is not None and model_name == model._meta.model_name and action in DEFAULT_PERMISSIONS:
        return DEFAULT_PERMISSIONS[action] % {"model": model._meta.verbose_name}
    return gettext(permission.name)


def permission_str(permission: Permission) -> str:
    return f"{permission.content_type} | {permission_name(permission)}"


def group_str(group: Group) -> str:
    """A group's name in the active language: the staff groups are named in English by the
    data migrations that make them (their translations are in the catalogue, context
    "staff group"); a group named by hand is shown as named."""
    return pgettext("staff group", group.name)


def boolean_icon(value) -> str:
    """Django's yes/no icon, whose alternative text is Python's True, False or None."""
    icon, label = BOOLEAN_ICONS.get(value, ("unknown", gettext("Unknown")))
    return format_html('<img src="{}" alt="{}">', static(f"admin/img/icon-{icon}.svg"), label)


def link_rows_name(model, plural: bool = False):
    """The name of a many-to-many table, from the names of what it joins. Django makes it
    once, when the model class is made, from the code names: "Group-permission relationship"."""
    ends = [f.related_model._meta for f in model._meta.fields if f.is_relation]
    names = [opts.verbose_name for opts in ends]
    if plural:
        names[-1] = ends[-1].verbose_name_plural
    return format_lazy("{} \N{EN DASH} {}", *names)


def link_row_str(row) -> str:
    """A row of a many-to-many table (a user's group, a group's permission): what it joins,
    where Django would say "User_groups object (4)" on a delete confirmation."""
    return " \N{EN DASH} ".join(
        str(getattr(row, f.name)) for f in row._meta.fields if f.is_relation
    )


def install():
    Permission.__str__ = permission_str
    Group.__str__ = group_str
    # The admin's list, detail and read-only views all look the icon up here when they draw.
    admin_list._boolean_icon = boolean_icon
    for model in apps.get_models(include_auto_created=True):
        if model._meta.auto_created:
            model.__str__ = link_row_str
            model._meta.verbose_name = link_rows_name(model)
            model._meta.verbose_name_plural = link_rows_name(model, plural=True)
