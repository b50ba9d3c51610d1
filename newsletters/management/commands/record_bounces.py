import re
import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from newsletters.models import Subscriber

# In a delivery status notification (RFC 3464): the address and a permanent (5.x.x) status.
FINAL_RECIPIENT = re.compile(r"^Final-Recipient:\s*rfc822;\s*<?([^>\s]+)>?", re.I | re.M)
PERMANENT_STATUS = re.compile(r"^Status:\s*5\.\d+\.\d+", re.I | re.M)
PLAIN_ADDRESS = re.compile(r"^\s*([^@\s<>]+@[^@\s<>]+\.[^@\s<>]+)\s*$")


def bounced_addresses(text: str) -> list[str]:
    """The addresses a bounce report gives up on: the failed recipients of a delivery status
    notification, or, in a plain list, one address a line."""
    if FINAL_RECIPIENT.search(text):
        found = []
        # Each recipient's block runs from its Final-Recipient line to the next.
        blocks = FINAL_RECIPIENT.split(text)[1:]
        for address, block in zip(blocks[::2], blocks[1::2], strict=True):
            if PERMANENT_STATUS.search(block):
                found.append(address)
        return found
    return [m.group(1) for line in text.splitlines() if (m := PLAIN_ADDRESS.match(line))]


class Command(BaseCommand):
    help = (
        "Mark newsletter subscribers bounced from a bounce report (a delivery status "
        "notification, or one address a line), read from the files given or from stdin. "
        "Only permanent failures (5.x.x) count; nothing more is sent to those addresses."
    )

    def add_arguments(self, parser):
        parser.add_argument("reports", nargs="*", help="Bounce reports; none: read stdin.")

    def handle(self, *args, reports, **options):
        texts = [Path(path).read_text(encoding="utf-8", errors="replace") for path in reports]
        if not reports:
            texts = [sys.stdin.read()]
        marked = 0
        for text in texts:
            for address in bounced_addresses(text):
                subscriber = (
                    Subscriber.objects.with_email(address)
                    .exclude(status=Subscriber.Status.BOUNCED)
                    .first()
                )
                if subscriber:
                    subscriber.mark_bounced("bounce report: permanent failure")
                    marked += 1
        self.stdout.write(f"{marked} subscriber(s) marked bounced.")
