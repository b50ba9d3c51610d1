from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from newsroom.backups import restore_backup


class Command(BaseCommand):
    help = "Replace the database and media with those in a backup archive (from `backup`)."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)

    def handle(self, *args, archive, **options):
        if not archive.exists():
            raise CommandError(f"No such backup: {archive}")
        try:
            manifest = restore_backup(archive)
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Restored the backup made {manifest['created']}."))
