"""The articles' panels on the admin index: what waits for editors, a reporter's own stories."""

from django.db.models import Sum
from django.urls import reverse
from django.utils.timesince import timeuntil
from django.utils.translation import gettext as _

from web.dashboard import Panel, Row, Series, last_days, local_time, per_day

from .models import Article, ArticleEvent, DailyViews

SHOWN = 6
CHART_DAYS = 14


def panels(request) -> list[Panel]:
    user = request.user
    if user.has_perm("articles.publish_article"):
        return editor_panels()
    if user.has_perm("articles.change_article"):
        return reporter_panels(user)
    return []


def change_url(article: Article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def article_list(**filters) -> str:
    query = "&".join(f"{name}={value}" for name, value in filters.items())
    return f"{reverse('admin:articles_article_changelist')}?{query}" if query else ""


def rows(articles, detail, note=lambda article: "") -> list[Row]:
    """The first few ``articles`` as links to their forms, with a detail and a note each."""
    return [
        Row(article.title, change_url(article), detail(article), note(article))
        for article in articles[:SHOWN]
    ]


def views(count: int) -> str:
    return _("%(views)s views") % {"views": f"{count:,}"}


def editor_panels() -> list[Panel]:
    waiting = Article.objects.filter(status=Article.Status.REVIEW).select_related("reporter")
    embargoed = Article.objects.embargoed().order_by("embargo_until")
    scheduled = Article.objects.scheduled().exclude(pk__in=embargoed).order_by("published_at")
    published = Article.objects.published().order_by("-published_at")
    most_read = Article.objects.most_read(days=1).only("id", "title")
    days = last_days(CHART_DAYS)
    daily = DailyViews.objects.filter(date__gte=days[0]).values_list("date").annotate(Sum("views"))
    return [
        Panel(
            title=_("Waiting for review"),
            rows=rows(
                waiting.order_by("updated_at"),
                lambda article: local_time(article.updated_at),
                lambda article: article.reporter.name if article.reporter else "",
            ),
            count=waiting.count(),
            more_url=article_list(status__exact=Article.Status.REVIEW),
            empty=_("Nothing is waiting for review."),
        ),
        Panel(
            title=_("Scheduled"),
            rows=rows(scheduled, lambda article: local_time(article.published_at)),
            count=scheduled.count(),
            empty=_("No article is scheduled."),
        ),
        embargo_panel(embargoed, empty=_("No article is under embargo.")),
        Panel(
            title=_("Recently published"),
            rows=rows(published, lambda article: local_time(article.published_at)),
            more_url=article_list(status__exact=Article.Status.PUBLISHED),
        ),
        Panel(
            title=_("Most read today"),
            rows=rows(most_read, lambda article: views(article.recent_views)),
            empty=_("No article has been read today yet."),
            series=[Series(_("Page views per day"), per_day(daily, days))],
        ),
    ]


def embargo_left(article: Article) -> str:
    """How long until the embargo lifts: 23시간, 5분 남음."""
    return _("%(left)s left") % {"left": timeuntil(article.embargo_until)}


def embargo_panel(embargoed, **panel) -> Panel:
    """The stories under embargo, the first to lift first: when each lifts (KST) and the
    time left."""
    return Panel(
        title=_("Under embargo"),
        rows=rows(embargoed, lambda article: local_time(article.embargo_until), embargo_left),
        count=embargoed.count(),
        more_url=article_list(embargo="yes"),
        **panel,
    )


def reporter_panels(user) -> list[Panel]:
    own = Article.objects.editable_by(user)
    drafts = own.filter(status=Article.Status.DRAFT).order_by("-updated_at")
    returned = own.filter(status=Article.Status.RETURNED).order_by("-updated_at")
    notes = dict(
        ArticleEvent.objects.filter(article__in=returned, action=ArticleEvent.Action.RETURN)
        .order_by("at")
        .values_list("article_id", "note")
    )  # the latest note of each story wins
    published = own.published().order_by("-published_at")
    embargoed = own.embargoed().order_by("embargo_until")
    days = last_days(CHART_DAYS)
    daily = (
        DailyViews.objects.filter(article__in=own, date__gte=days[0])
        .values_list("date")
        .annotate(Sum("views"))
    )
    return [
        Panel(
            title=_("Returned to me"),
            rows=rows(
                returned,
                lambda article: local_time(article.updated_at),
                lambda article: notes.get(article.pk, ""),
            ),
            count=returned.count(),
            more_url=article_list(status__exact=Article.Status.RETURNED),
            empty=_("No story has been returned to you."),
        ),
        Panel(
            title=_("My drafts"),
            rows=rows(drafts, lambda article: local_time(article.updated_at)),
            count=drafts.count(),
            more_url=article_list(status__exact=Article.Status.DRAFT),
            empty=_("You have no drafts."),
        ),
        # Shown only when there is one: the reporter sees the embargo and its time left, not
        # the story's page (editors only, Article.may_see_unpublished).
        *([embargo_panel(embargoed)] if embargoed.exists() else []),
        Panel(
            title=_("My published articles"),
            rows=rows(published, lambda article: views(article.view_count)),
            count=published.count(),
            empty=_("None of your articles is published yet."),
            series=[Series(_("Views of my articles per day"), per_day(daily, days))],
        ),
    ]
