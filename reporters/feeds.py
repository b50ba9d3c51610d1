from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from articles.feeds import LatestArticlesFeed, xml_text
from articles.models import Article

from .models import Reporter


class ReporterFeed(LatestArticlesFeed):
    """One reporter's newest articles."""

    def get_object(self, request, slug):
        return get_object_or_404(Reporter.objects.active(), slug=slug)

    def title(self, reporter: Reporter) -> str:
        byline = _("%(name)s Reporter") % {"name": reporter.name}
        return f"{super().title(reporter)} - {xml_text(byline)}"

    def link(self, reporter: Reporter) -> str:
        return reporter.get_absolute_url()

    def articles(self, reporter: Reporter):
        return Article.objects.published().by_reporter(reporter)
