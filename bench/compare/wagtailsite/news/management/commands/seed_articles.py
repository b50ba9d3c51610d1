"""``manage seed_articles EXPORT.json``: Newsroom's articles as Wagtail pages.

EXPORT.json is what bench/compare/export.py wrote from the benchmark's Newsroom database:
sections, and articles with their title, lead, body, date, author and photo file. Each
section becomes a SectionPage under the site's home page (in the menu), each article an
ArticlePage under its section, each photo a Wagtail image whose renditions the article
template shows are made here, as an editor's first preview would have made them.
"""

import json
from datetime import datetime
from pathlib import Path

from django.core.files.images import ImageFile
from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from ...models import ArticlePage, SectionPage

RENDITIONS = ("width-480", "width-960")  # the srcset of templates/news/article_page.html


class Command(BaseCommand):
    help = __doc__.splitlines()[0]

    def add_arguments(self, parser):
        parser.add_argument("export", type=Path)

    @transaction.atomic
    def handle(self, *args, export: Path, **options):
        data = json.loads(export.read_text())
        home = Site.objects.get(is_default_site=True).root_page
        if home.get_children().exists():
            self.stderr.write("The site has pages already; nothing seeded.")
            return
        sections = {}
        for section in data["sections"]:
            page = SectionPage(title=section["title"], slug=section["slug"], show_in_menus=True)
            home.add_child(instance=page)
            sections[section["slug"]] = page
        Image = get_image_model()
        images: dict[str, object] = {}
        for article in data["articles"]:
            photo = None
            if source := article["photo"]:
                if source not in images:
                    with open(source, "rb") as file:
                        images[source] = Image.objects.create(
                            title=article["photo_alt"] or article["title"],
                            file=ImageFile(file, name=Path(source).name),
                        )
                    for spec in RENDITIONS:
                        images[source].get_rendition(spec)
                photo = images[source]
            page = ArticlePage(
                title=article["title"],
                slug=article["slug"],
                date=datetime.fromisoformat(article["date"]),
                author=article["author"],
                lead=article["lead"],
                body=article["body"],
                photo=photo,
                photo_caption=article["photo_caption"],
            )
            sections[article["section"]].add_child(instance=page)
        Page.objects.filter(pk=home.pk).update(title="기계신문")
        self.stdout.write(
            f"  Wagtail: {len(sections)} sections, {len(data['articles'])} articles, "
            f"{len(images)} photos"
        )
