import sys
from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from backups.archives import BackupError, create_backup, store_backup


class Command(BaseCommand):
    help = "Write the database and uploaded media into one .tar.gz archive."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            help="Folder for the archive (default: the backups storage, BACKUP_ROOT or S3).",
        )

    def handle(self, *args, output, **options):
        try:
            archive = create_backup(directory=Path(output)) if output else store_backup()
        except (BackupError, OSError) as error:
            if options["traceback"]:
                raise
            self.stderr.write(_("No backup written: %(reason)s.") % {"reason": one_line(error)})
            sys.exit(1)
        self.stdout.write(self.style.SUCCESS(_("Backup written to %(path)s") % {"path": archive}))


def one_line(error: Exception) -> str:
    """The message of ``error`` on one line; an OSError's with the file it names."""
    if isinstance(error, OSError) and error.strerror:
        text = f"{error.strerror}: {error.filename}" if error.filename else error.strerror
    else:
        text = str(error) or type(error).__name__
    return " ".join(text.split())
