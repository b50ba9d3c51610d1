from pathlib import Path

from django.core.management.base import BaseCommand

from newsroom.backups import create_backup


class Command(BaseCommand):
    help = "Write the database and uploaded media into one .tar.gz archive."

    def add_arguments(self, parser):
        parser.add_argument("--output", default="backups", help="Folder for the archive.")

    def handle(self, *args, output, **options):
        archive = create_backup(Path(output))
        self.stdout.write(self.style.SUCCESS(f"Backup written to {archive}"))
