from django.urls import path, re_path

from caching.pages import shared_page

from . import legacy, sitemaps, views
from .feeds import LegacySectionFeed, MostReadFeed, SectionFeed, latest_articles

app_name = "articles"
urlpatterns = [
    path("", views.home, name="home"),
    path("sections/<uslug:slug>/", views.section_detail, name="section"),
    path("tags/<uslug:slug>/", views.tag_detail, name="tag"),
    path("articles/<int:pk>/", views.article_detail, name="detail_short"),
    path("articles/<int:pk>/email/", views.article_email, name="email"),
    path("articles/<int:pk>/viewed/", views.article_viewed, name="viewed"),
    path("articles/<int:pk>/<uslug:slug>/", views.article_detail, name="detail"),
    path("search/", views.search, name="search"),
    path("corrections/", views.corrections, name="corrections"),
    path("rss/", shared_page(latest_articles), name="feed"),
    path("sections/<uslug:slug>/rss/", shared_page(SectionFeed()), name="section_feed"),
    path("news-sitemap.xml", shared_page(sitemaps.news_sitemap), name="news_sitemap"),
    # The old site's addresses (articles.legacy); its feed readers get the same feed.
    path("news/articleView.html", legacy.article_view, name="legacy_article"),
    path("news/articleList.html", legacy.article_list, name="legacy_section"),
    path("rss/allArticle.xml", shared_page(latest_articles), name="legacy_feed"),
    path("rss/clickTop.xml", shared_page(MostReadFeed()), name="legacy_most_read_feed"),
    re_path(
        r"^rss/(?P<code>S\d{1,3}N\d{1,4})\.xml$",
        shared_page(LegacySectionFeed()),
        name="legacy_section_feed",
    ),
]
