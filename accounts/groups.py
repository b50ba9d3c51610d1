"""Staff groups created by data migrations, so every install has the same roles."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions


def define_group(apps, name: str, permissions: list[str]) -> None:
    """Create or update the group ``name`` to hold exactly ``permissions`` ("app.codename")."""
    group, _created = apps.get_model("auth", "Group").objects.get_or_create(name=name)
    group.permissions.set(_permissions(apps, permissions))


def grant(apps, name: str, permissions: list[str]) -> None:
    """Add ``permissions`` to the existing group ``name``."""
    group = apps.get_model("auth", "Group").objects.get(name=name)
    group.permissions.add(*_permissions(apps, permissions))


def _permissions(apps, permissions: list[str]) -> list:
    # Permissions are normally created after all migrations; make them now.
    for app_label in {perm.split(".")[0] for perm in permissions}:
        create_permissions(global_apps.get_app_config(app_label), apps=apps, verbosity=0)
    Permission = apps.get_model("auth", "Permission")
    found = []
    for perm in permissions:
        app_label, codename = perm.split(".")
        found.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return found
