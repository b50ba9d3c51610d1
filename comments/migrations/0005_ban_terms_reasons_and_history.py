import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """Bans get a reason from a short list (the old free text becomes the note), can be lifted
    early, and are kept as the reader's history: several per reader."""

    dependencies = [
        ("comments", "0004_comment_rules"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField(model_name="commentban", old_name="reason", new_name="note"),
        migrations.AlterField(
            model_name="commentban",
            name="note",
            field=models.CharField(
                blank=True,
                help_text="Shown to the reader with the reason, in the comment box.",
                max_length=300,
                verbose_name="note to the reader",
            ),
        ),
        migrations.AddField(
            model_name="commentban",
            name="reason",
            field=models.CharField(
                choices=[
                    ("spam", "Spam or advertising"),
                    ("abuse", "Abuse or hate speech"),
                    ("privacy", "Personal information"),
                    ("false", "False information"),
                    ("other", "Other"),
                ],
                default="other",
                max_length=10,
                verbose_name="reason",
            ),
        ),
        migrations.AddField(
            model_name="commentban",
            name="lifted_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="lifted"),
        ),
        migrations.AddField(
            model_name="commentban",
            name="lifted_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="lifted by",
            ),
        ),
        migrations.AlterField(
            model_name="commentban",
            name="user",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="comment_bans",
                to=settings.AUTH_USER_MODEL,
                verbose_name="reader",
            ),
        ),
        migrations.AlterModelOptions(
            name="commentban",
            options={
                "ordering": ["-created_at", "-id"],
                "verbose_name": "comment ban",
                "verbose_name_plural": "comment bans",
            },
        ),
    ]
