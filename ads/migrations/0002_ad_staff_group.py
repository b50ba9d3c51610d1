from django.db import migrations

from accounts.groups import define_group

# Everything about slots, advertisers and placements, and reading the figures; not
# ads.manage_ad_code (third-party script on our pages), which admins grant by hand.
AD_STAFF = [
    "ads.add_adslot",
    "ads.change_adslot",
    "ads.delete_adslot",
    "ads.view_adslot",
    "ads.add_advertiser",
    "ads.change_advertiser",
    "ads.delete_advertiser",
    "ads.view_advertiser",
    "ads.add_placement",
    "ads.change_placement",
    "ads.delete_placement",
    "ads.view_placement",
    "ads.view_adstat",
]


def create_group(apps, schema_editor):
    define_group(apps, "Ad staff", AD_STAFF)


class Migration(migrations.Migration):
    dependencies = [
        ("ads", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, migrations.RunPython.noop)]
