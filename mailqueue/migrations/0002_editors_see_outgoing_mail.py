from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMISSION = "view_outgoingmail"


def grant(apps, schema_editor):
    """Editors answer readers whose mail did not arrive, so they may read the mail queue."""
    # Permissions are normally created after all migrations; make this one now.
    create_permissions(global_apps.get_app_config("mailqueue"), apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _created = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(
        Permission.objects.get(content_type__app_label="mailqueue", codename=PERMISSION)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("mailqueue", "0001_outgoing_mail"),
        # The Editors group is defined there; added to here, not redefined.
        ("articles", "0002_reporters_and_editors_groups"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
