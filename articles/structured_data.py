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
    if article.reporter:
        author = {
            "@type": "Person",
            "name": article.reporter.name,
            "url": request.build_absolute_uri(article.reporter.get_absolute_url()),
        }
        if article.reporter.email:
            author["email"] = article.reporter.email
        data["author"] = [author]
    # Every photo the page shows: the lead photo, then those in the body.
    photos = [article.lead_photo] if article.lead_photo else []
    photos += [photo for photo in photos_in(article.body) if photo not in photos]
    data["image"] = [request.build_absolute_uri(photo.fallback_url) for photo in photos]
    return {key: value for key, value in data.items() if value not in (None, [], "")}
