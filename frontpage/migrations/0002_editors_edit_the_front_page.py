from django.db import migrations

from accounts.groups import grant

FRONT_PAGE = [
    "frontpage.view_pin",
    "frontpage.add_pin",
    "frontpage.change_pin",
    "frontpage.delete_pin",
    "frontpage.view_breakingnews",
    "frontpage.add_breakingnews",
    "frontpage.change_breakingnews",
]


def editors_edit_the_front_page(apps, schema_editor):
    grant(apps, "Editors", FRONT_PAGE)


class Migration(migrations.Migration):
    dependencies = [
        ("frontpage", "0001_pins_and_breaking_news"),
        ("articles", "0002_reporters_and_editors_groups"),
    ]

    operations = [migrations.RunPython(editors_edit_the_front_page, migrations.RunPython.noop)]
