from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from articles.models import Article, ArticleAuthor
from caching.pages import shared_page
from web.pagination import paginate

from .models import Reporter


@shared_page
def reporter_detail(request, slug):
    reporter = get_object_or_404(Reporter.objects.active(), slug=slug)
    # The whole byline: a co-written story shows why it is on this reporter's page.
    articles = (
        Article.objects.published()
        .by_reporter(reporter)
        .for_listing()
        .prefetch_related(
            Prefetch("authors", queryset=ArticleAuthor.objects.select_related("reporter"))
        )
    )
    return render(
        request,
        "reporters/reporter_detail.html",
        {"reporter": reporter, "page_obj": paginate(request, articles)},
    )
