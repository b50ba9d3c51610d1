from django.db import migrations, models

from accounts.groups import grant

RULES = ["comments.view_commentrules", "comments.change_commentrules"]


def move_rules(apps, schema_editor):
    """Take the rules the outlet's settings held, if the outlet had set them."""
    SiteSettings = apps.get_model("outlet", "SiteSettings")
    CommentRules = apps.get_model("comments", "CommentRules")
    if site := SiteSettings.objects.filter(pk=1).first():
        CommentRules.objects.create(
            pk=1,
            allow_guest_comments=site.allow_guest_comments,
            comment_interval_seconds=site.comment_interval_seconds,
            comment_reports_to_hide=site.comment_reports_to_hide,
        )
    # Those who could change the rules as part of the site settings, and moderators.
    grant(apps, "Editors", RULES)
    grant(apps, "Moderators", RULES)


class Migration(migrations.Migration):

    dependencies = [
        ("comments", "0003_comment_page_index"),
        ("comments", "0002_moderators_group"),
        ("outlet", "0001_site_settings"),
    ]

    operations = [
        migrations.CreateModel(
            name="CommentRules",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("allow_guest_comments", models.BooleanField(default=True, help_text="Visitors who are not logged in may comment under a nickname. Only moderators can change or remove guest comments.", verbose_name="allow guest comments")),
                ("comment_interval_seconds", models.PositiveSmallIntegerField(default=15, help_text="Flood control: one comment per reader or address in this many seconds.", verbose_name="seconds between comments")),
                ("comment_reports_to_hide", models.PositiveSmallIntegerField(default=5, help_text="A comment is hidden automatically once this many readers report it.", verbose_name="reports that hide a comment")),
            ],
            options={
                "verbose_name": "comment rules",
                "verbose_name_plural": "comment rules",
                "constraints": [models.CheckConstraint(condition=models.Q(("pk", 1)), name="comment_rules_singleton")],
            },
        ),
        migrations.RunPython(move_rules, migrations.RunPython.noop),
    ]
