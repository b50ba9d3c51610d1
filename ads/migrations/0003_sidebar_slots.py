from django.db import migrations

# The slots templates/includes/sidebar.html shows, so ad staff find them on a new install.
SLOTS = [
    {
        "key": "sub-right",
        "name": "서브우측",
        "width": 300,
        "height": 250,
        "max_placements": 3,
        "rotation": "position",
    },
    {
        "key": "sub-banner",
        "name": "서브광고",
        "width": 300,
        "height": 100,
        "max_placements": 4,
        "rotation": "weight",
    },
]


def create_slots(apps, schema_editor):
    AdSlot = apps.get_model("ads", "AdSlot")
    for slot in SLOTS:
        AdSlot.objects.get_or_create(key=slot["key"], defaults=slot)


class Migration(migrations.Migration):
    dependencies = [("ads", "0002_ad_staff_group")]

    operations = [migrations.RunPython(create_slots, migrations.RunPython.noop)]
