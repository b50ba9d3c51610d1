from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from newsletters import services


class Command(BaseCommand):
    help = (
        "Send today's newsletter digest (the stories published since the last one) unless a "
        "digest has gone out today already. Run it from cron or a scheduler once a day."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--site-url",
            default=settings.SITE_URL,
            help="The public address links in the mail point to (default: SITE_URL).",
        )

    def handle(self, *args, site_url, **options):
        if not site_url:
            raise CommandError("Set SITE_URL (or --site-url): the links in the mail need it.")
        count = services.send_todays_digest(site_url=site_url)
        if count is None:
            self.stdout.write("Today's digest has gone out already; nothing sent.")
        else:
            self.stdout.write(f"Today's digest queued for {count} subscriber(s).")
