from django.db import migrations

from accounts.groups import define_group

MODERATION = [
    "comments.view_comment",
    "comments.change_comment",
    "comments.moderate_comments",
    "comments.view_commentreport",
    "comments.change_commentreport",
    "comments.add_commentban",
    "comments.change_commentban",
    "comments.delete_commentban",
    "comments.view_commentban",
    "accounts.view_user",
]


def grant_moderation(apps, schema_editor):
    define_group(apps, "Moderators", MODERATION)
    # Editors moderate too, and close comments on their articles.
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors = Group.objects.get(name="Editors")
    for perm in MODERATION:
        app_label, codename = perm.split(".")
        editors.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0001_initial"),
        ("articles", "0002_reporters_and_editors_groups"),
    ]

    operations = [migrations.RunPython(grant_moderation, migrations.RunPython.noop)]
