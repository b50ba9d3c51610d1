from django.core.paginator import Page, Paginator

PAGE_SIZE = 20


def paginate(request, queryset, per_page: int = PAGE_SIZE) -> Page:
    """The requested page; a bad or out-of-range number gives the first or last page."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))
