"""``manage.py seed_demo``: fill the database with a demo outlet that reads like a trade paper.

Safe to run on every ``make run``: the seeder (demo/seeding.py) creates only missing rows,
so a second run changes nothing and edits made in the admin survive.
"""

from django.core.management.base import BaseCommand

from articles.models import Article, Photo
from demo import content
from demo.seeding import DEMO_ARTICLES, seed
from outlet.models import SiteSettings


class Command(BaseCommand):
    help = (
        "Fill the database with a demo outlet: settings, sections, reporters, drawn photos, "
        "70-odd Korean articles, comments, ads and demo accounts. Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--address",
            default="http://127.0.0.1:8000/",
            help="Where the site is served, for the links printed at the end and those in the "
            "demo's workflow mails (make run passes its HOST and PORT).",
        )

    def handle(self, *args, address, **options):
        tally = seed(articles=DEMO_ARTICLES, site_url=address)

        site = SiteSettings.current()
        new = ", ".join(f"{count} {kind}" for kind, count in tally.items() if count) or "none"
        self.stdout.write(self.style.SUCCESS(f"Demo content for {site.name}: new rows: {new}."))
        self.stdout.write(
            f"Now {Article.objects.published().count()} published articles, "
            f"{Article.objects.filter(status=Article.Status.PUBLISHED).count()} including "
            f"scheduled, {Article.objects.count()} in all; {Photo.objects.count()} photos."
        )
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Demo accounts (password set when first created):"))
        for data in content.ACCOUNTS:
            role = data["group"] or "reader, not staff"
            self.stdout.write(f"  {data['username']:<9} {data['password']:<24} {role}")
        self.stdout.write("")
        self.stdout.write(f"Site:  {address}")
        self.stdout.write(f"Admin: {address}admin/")
