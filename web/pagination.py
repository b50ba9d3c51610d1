from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

PAGE_SIZE = 20


class DeferredJoinPaginator(Paginator):
    """A Paginator whose deep pages cost about what the first one costs.

    ``rows[980:1000]`` makes the database build every row it skips: read each full row
    through the heap, join its section, reporter and photo, cut the start of its body, and
    then throw 980 of them away (at 10,000 articles, a section's page 50 took twice as long
    as its page 1; docs/scale.md). Past the first page, the rows are found by their keys
    alone (``WHERE pk IN (SELECT pk ... ORDER BY ... LIMIT 20 OFFSET 980)``), which an
    index answers, and only the page's rows are built: still one query, in the same order.
    """

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(self._rows(bottom, top), number, self)

    def _rows(self, bottom: int, top: int):
        rows = self.object_list
        if bottom == 0 or not _keys_alone(rows):
            # The first page's LIMIT stops at its rows anyway.
            return rows[bottom:top]
        return rows.filter(pk__in=rows.values("pk")[bottom:top])


def _keys_alone(rows) -> bool:
    """Whether ``rows`` can be paged by its keys: an ordered query of one model's rows (a
    union cannot be filtered; DISTINCT would select what it is ordered by)."""
    return (
        isinstance(rows, QuerySet)
        and rows.ordered
        and not rows.query.combinator
        and not rows.query.distinct
        and not rows.query.is_sliced
    )


def paginate(request, queryset, per_page: int = PAGE_SIZE) -> Page:
    """The requested page; a bad or out-of-range number gives the first or last page."""
    return DeferredJoinPaginator(queryset, per_page).get_page(request.GET.get("page"))
