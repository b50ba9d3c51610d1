"""Staff groups created by data migrations, so every install has the same roles."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions


def define_group(apps, name: str, permissions: list[str]) -> None:
    """Create or update the group ``name`` to hold exactly ``permissions`` ("app.codename")."""
    # Permissions are normally created after all migrations; make them now.
    for app_label in {perm.split(".")[0] for perm in permissions}:
        create_permissions(global_apps.get_app_config(app_label), apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=name)
    granted = []
    for perm in permissions:
        app_label, codename = perm.split(".")
        granted.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    group.permissions.set(granted)
