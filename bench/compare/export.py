"""The articles the side-by-side benchmark shows on both sites: ``python -m
bench.compare.export OUT.json [--articles 200]``, run with the benchmark's Newsroom settings.

Picks the most recent published articles that have a lead photo and writes, for each, what
the Wagtail site's article page shows (title, lead, body, date, author, section, photo
file, caption) and its Newsroom address, so that both sites rotate over the same stories.
"""

import argparse
import json
import os
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
django.setup()

from articles.models import Article  # noqa: E402


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--articles", type=int, default=200)
    args = parser.parse_args(argv)
    articles = list(
        Article.objects.published()
        .filter(lead_photo__isnull=False)
        .select_related("section", "reporter", "lead_photo")
        .order_by("-published_at")[: args.articles]
    )
    if len(articles) < args.articles:
        raise SystemExit(f"Only {len(articles)} published articles have a photo.")
    # Plain-ASCII addresses on the Wagtail site: /section-ID/article-ID/.
    sections = {f"section-{article.section.pk}": article.section.name for article in articles}
    data = {
        "sections": [{"slug": slug, "title": name} for slug, name in sorted(sections.items())],
        "articles": [
            {
                "newsroom_path": article.get_absolute_url(),
                "title": article.title,
                "slug": f"article-{article.pk}",
                "wagtail_path": f"/section-{article.section.pk}/article-{article.pk}/",
                "section": f"section-{article.section.pk}",
                "author": article.reporter.name if article.reporter else "",
                "date": article.published_at.isoformat(),
                "lead": article.lead,
                "body": article.body,
                "photo": article.lead_photo.image.path,
                "photo_alt": article.lead_photo.alt_text,
                "photo_caption": article.lead_photo.caption,
            }
            for article in articles
        ],
    }
    args.out.write_text(json.dumps(data, ensure_ascii=False))
    print(f"  exported {len(articles)} articles with a photo in {len(sections)} sections")


if __name__ == "__main__":
    main()
