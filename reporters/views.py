from django.shortcuts import get_object_or_404, render

from articles.models import Article
from caching.pages import shared_page
from web.pagination import paginate

from .models import Reporter


@shared_page
def reporter_detail(request, slug):
    reporter = get_object_or_404(Reporter.objects.active(), slug=slug)
    articles = Article.objects.published().by_reporter(reporter).for_listing()
    return render(
        request,
        "reporters/reporter_detail.html",
        {"reporter": reporter, "page_obj": paginate(request, articles)},
    )
