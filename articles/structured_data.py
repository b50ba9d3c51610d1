"""schema.org NewsArticle for search engines and portals."""

from outlet.models import SiteSettings

from .body_photos import photos_in
from .models import Article


def news_article_jsonld(article: Article, request) -> dict:
    site = SiteSettings.current()
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title[:110],
        "description": article.lead,
        "mainEntityOfPage": request.build_absolute_uri(article.get_absolute_url()),
        "datePublished": article.published_at.isoformat() if article.published_at else None,
        "dateModified": article.modified_at.isoformat(),
        "articleSection": article.section.name,
        "keywords": [tag.name for tag in article.tags.all()],
        "publisher": {"@type": "Organization", "name": site.name},
    }
    data["author"] = [_person(reporter, request) for reporter in article.all_authors]
    data["correction"] = [
        {
            "@type": "CorrectionComment",
            "text": correction.text,
            "datePublished": correction.published_at.isoformat(),
        }
        for correction in article.corrections.all()
    ]
    # Every photo the page shows: the lead photo, then those in the body.
    photos = [article.lead_photo] if article.lead_photo else []
    photos += [photo for photo in photos_in(article.body) if photo not in photos]
    data["image"] = [request.build_absolute_uri(photo.fallback_url) for photo in photos]
    return {key: value for key, value in data.items() if value not in (None, [], "")}


def _person(reporter, request) -> dict:
    person = {
        "@type": "Person",
        "name": reporter.name,
        "url": request.build_absolute_uri(reporter.get_absolute_url()),
    }
    if reporter.email:
        person["email"] = reporter.email
    return person
