"""The outlet's settings, which lived in the project package (table newsroom_sitesettings)
before the project package stopped holding models: adopted if present, else created."""

from django.db import migrations, models


def adopt_or_create(apps, schema_editor):
    SiteSettings = apps.get_model("outlet", "SiteSettings")
    if "newsroom_sitesettings" in schema_editor.connection.introspection.table_names():
        schema_editor.alter_db_table(
            SiteSettings, "newsroom_sitesettings", SiteSettings._meta.db_table
        )
        # The permissions to edit the settings (and the groups holding them) come along.
        ContentType = apps.get_model("contenttypes", "ContentType")
        ContentType.objects.filter(app_label="newsroom", model="sitesettings").update(
            app_label="outlet"
        )
    else:
        schema_editor.create_model(SiteSettings)


def drop(apps, schema_editor):
    schema_editor.delete_model(apps.get_model("outlet", "SiteSettings"))


class Migration(migrations.Migration):

    initial = True

    dependencies = [("contenttypes", "0002_remove_content_type_name")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SiteSettings",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("name", models.CharField(default="뉴스룸", max_length=100, verbose_name="outlet name")),
                        ("tagline", models.CharField(blank=True, max_length=200, verbose_name="tagline")),
                        ("description", models.CharField(blank=True, help_text="Used as the meta description of the home page and in feeds.", max_length=300, verbose_name="description")),
                        ("contact_email", models.EmailField(blank=True, max_length=254, verbose_name="contact e-mail")),
                        ("contact_phone", models.CharField(blank=True, max_length=40, verbose_name="contact phone")),
                        ("address", models.CharField(blank=True, max_length=200, verbose_name="address")),
                        ("publisher", models.CharField(blank=True, max_length=100, verbose_name="publisher")),
                        ("registration_number", models.CharField(blank=True, help_text="The periodical registration number shown in the footer.", max_length=100, verbose_name="registration number")),
                        ("allow_guest_comments", models.BooleanField(default=True)),
                        ("comment_interval_seconds", models.PositiveSmallIntegerField(default=15)),
                        ("comment_reports_to_hide", models.PositiveSmallIntegerField(default=5)),
                    ],
                    options={
                        "verbose_name": "site settings",
                        "verbose_name_plural": "site settings",
                        "constraints": [models.CheckConstraint(condition=models.Q(("pk", 1)), name="site_settings_singleton")],
                    },
                ),
            ],
        ),
        migrations.RunPython(adopt_or_create, drop),
    ]
