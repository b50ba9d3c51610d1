import sys
import tempfile
from pathlib import Path

from django.apps import apps
from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from backups.archives import (
    ENGINE_NAMES,
    BackupError,
    check_backup,
    fetch_stored_backup,
    restore_backup,
)

from .backup import one_line


class Command(BaseCommand):
    help = (
        "Replace the database and media with those in a backup archive (from `backup`), "
        "after verifying all of it; on any failure nothing changes."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "archive", help="The archive's file, or with --stored its name in the backups storage."
        )
        parser.add_argument(
            "--check", action="store_true", help="Only verify the archive; change nothing."
        )
        parser.add_argument(
            "--stored",
            action="store_true",
            help="Read the archive from the backups storage (BACKUP_ROOT or the S3 bucket).",
        )

    def handle(self, *args, archive, check, stored, **options):
        try:
            with tempfile.TemporaryDirectory() as download:
                if stored:
                    archive = fetch_stored_backup(name=archive, into=Path(download))
                if check:
                    self.report_check(check_backup(archive=Path(archive)))
                else:
                    self.report_restore(restore_backup(archive=Path(archive)))
        except Exception as error:
            # Whatever went wrong, the operator gets one line and a failing exit status;
            # --traceback shows the details of an error the checks did not foresee.
            if options["traceback"]:
                raise
            if isinstance(error, (BackupError, OSError)):
                self.stderr.write(_("Not restored: %(reason)s.") % {"reason": one_line(error)})
            else:
                self.stderr.write(
                    _(
                        "The restore stopped at an unexpected error: %(error)s "
                        "(--traceback shows where)."
                    )
                    % {"error": f"{type(error).__name__}: {one_line(error)}"}
                )
            sys.exit(1)

    def report_check(self, backup):
        self.stdout.write(
            _("The backup made %(created)s is sound: %(contents)s. Nothing was changed.")
            % {"created": made_at(manifest=backup.manifest), "contents": contents(backup=backup)}
        )

    def report_restore(self, restored):
        backup = restored.backup
        self.stdout.write(
            self.style.SUCCESS(
                _("Restored the backup made %(created)s: %(contents)s.")
                % {
                    "created": made_at(manifest=backup.manifest),
                    "contents": contents(backup=backup, counts=restored.counts),
                }
            )
        )
        if restored.moved_aside:
            self.stdout.write(
                self.style.WARNING(
                    ngettext(
                        "%(count)d media file that the backup lacks was moved to %(folder)s.",
                        "%(count)d media files that the backup lacks were moved to %(folder)s.",
                        restored.moved_aside_files,
                    )
                    % {"count": restored.moved_aside_files, "folder": restored.moved_aside}
                )
            )
        else:
            self.stdout.write(_("The live media held nothing the backup lacks."))
        if restored.tables_kept:
            self.stdout.write(
                self.style.WARNING(
                    ngettext(
                        "The database still has %(count)d table the backup lacks (%(names)s), "
                        "made after it: drop it before `manage.py migrate`.",
                        "The database still has %(count)d tables the backup lacks (%(names)s), "
                        "made after it: drop them before `manage.py migrate`.",
                        len(restored.tables_kept),
                    )
                    % {
                        "count": len(restored.tables_kept),
                        "names": ", ".join(restored.tables_kept),
                    }
                )
            )
        if backup.missing_migrations:
            self.stdout.write(
                self.style.WARNING(
                    ngettext(
                        "The backup lacks %(count)d migration of this code: run "
                        "`manage.py migrate`.",
                        "The backup lacks %(count)d migrations of this code: run "
                        "`manage.py migrate`.",
                        backup.missing_migrations,
                    )
                    % {"count": backup.missing_migrations}
                )
            )


def made_at(*, manifest: dict) -> str:
    created = parse_datetime(manifest["created"])
    if created is None or timezone.is_naive(created):
        return manifest["created"]
    return f"{timezone.localtime(created):%Y-%m-%d %H:%M:%S %Z}"


def contents(*, backup, counts: dict[str, int] | None = None) -> str:
    """The database engine, the rows of the counted models and the media files, as words."""
    counts = backup.manifest.get("counts", {}) if counts is None else counts
    parts = [_("%(engine)s database") % {"engine": ENGINE_NAMES[backup.manifest["database"]]}]
    for label, count in counts.items():
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):  # a model this code no longer has
            continue
        parts.append(
            _("%(count)s %(name)s") % {"count": count, "name": model._meta.verbose_name_plural}
        )
    parts.append(
        ngettext("%(count)d media file", "%(count)d media files", backup.media_files)
        % {"count": backup.media_files}
    )
    return ", ".join(parts)
