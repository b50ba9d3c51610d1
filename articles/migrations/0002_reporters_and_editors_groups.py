from django.db import migrations

from accounts.groups import define_group

REPORTERS = [
    "articles.add_article",
    "articles.change_article",
    "articles.view_article",
    "articles.add_photo",
    "articles.change_photo",
    "articles.view_photo",
    "articles.view_section",
    "reporters.view_reporter",
    "taggit.add_tag",
    "taggit.view_tag",
]
EDITORS = [
    "articles.add_article",
    "articles.change_article",
    "articles.delete_article",
    "articles.view_article",
    "articles.publish_article",
    "articles.edit_any_article",
    "articles.add_photo",
    "articles.change_photo",
    "articles.delete_photo",
    "articles.view_photo",
    "articles.add_section",
    "articles.change_section",
    "articles.view_section",
    "reporters.add_reporter",
    "reporters.change_reporter",
    "reporters.view_reporter",
    "taggit.add_tag",
    "taggit.change_tag",
    "taggit.delete_tag",
    "taggit.view_tag",
    "accounts.view_user",
    "outlet.change_sitesettings",
    "outlet.view_sitesettings",
]


def create_groups(apps, schema_editor):
    define_group(apps, "Reporters", REPORTERS)
    define_group(apps, "Editors", EDITORS)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("reporters", "0001_initial"),
        ("outlet", "0001_site_settings"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
