from django.db import migrations

from accounts.groups import grant

NEWSLETTERS = [
    "newsletters.view_edition",
    "newsletters.send_edition",
    "newsletters.view_subscriber",
    "newsletters.change_subscriber",
]


def editors_send_newsletters(apps, schema_editor):
    grant(apps, "Editors", NEWSLETTERS)


class Migration(migrations.Migration):
    dependencies = [
        ("newsletters", "0001_subscribers_editions_and_sends"),
        ("articles", "0002_reporters_and_editors_groups"),
    ]

    operations = [migrations.RunPython(editors_send_newsletters, migrations.RunPython.noop)]
