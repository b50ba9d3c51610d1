from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("outlet", "0001_site_settings"),
        ("comments", "0004_comment_rules"),
    ]

    operations = [
        migrations.RemoveField(model_name="sitesettings", name="allow_guest_comments"),
        migrations.RemoveField(model_name="sitesettings", name="comment_interval_seconds"),
        migrations.RemoveField(model_name="sitesettings", name="comment_reports_to_hide"),
    ]
