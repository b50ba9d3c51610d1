from functools import cache, partial

from django.conf import settings
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.db.models import Exists, OuterRef, Prefetch, prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from taggit.models import Tag, TaggedItem

from caching import versions
from caching.pages import shared_page
from mailqueue.tasks import MailNotQueued
from web.pagination import paginate
from web.ratelimit import client_ip, hit
from web.visitors import visitor_key

from .forms import EmailArticleForm
from .models import Article, ArticleAuthor, Correction, Section, article_version
from .popularity import article_views
from .search import clean_query, search_hits, search_page
from .services import email_article
from .structured_data import news_article_jsonld

HOME_ARTICLES_PER_SECTION = 5


@shared_page
def home(request):
    published = Article.objects.published().for_listing()
    top_story = published.filter(lead_photo__isnull=False).first() or published.first()
    others = published.exclude(pk=getattr(top_story, "pk", None))
    # One small query per section, each read from the (section, status, published_at)
    # index: far cheaper than ranking every published article in one query.
    sections = {
        section: latest
        for section in Section.navigation()
        if (latest := list(others.in_section(section)[:HOME_ARTICLES_PER_SECTION]))
    }
    return render(request, "articles/home.html", {"top_story": top_story, "sections": sections})


@shared_page
def section_detail(request, slug):
    section = get_object_or_404(Section.objects.active(), slug=slug)
    articles = Article.objects.published().in_section(section).for_listing()
    return render(
        request,
        "articles/section_detail.html",
        {"section": section, "page_obj": paginate(request, articles)},
    )


@shared_page
def tag_detail(request, slug):
    # A tag no published article carries yet is unknown to readers: an embargoed story's new
    # tag (a company's name, say) must not show that it exists.
    public = Article.objects.published()
    of_articles = TaggedItem.objects.filter(content_type=ContentType.objects.get_for_model(Article))
    # EXISTS stops at the first published article that carries it; joining every tagged
    # item to its article (and DISTINCT) read them all: 15 ms for the most-used tag at
    # 10,000 articles, 0.2 ms this way.
    carried = of_articles.filter(tag=OuterRef("pk"), object_id__in=public.values("pk"))
    tag = get_object_or_404(Tag.objects.filter(Exists(carried)), slug=slug)
    # A semi-join on the tag's articles, so that PostgreSQL walks the newest published
    # articles by index and stops at a page's worth: a join casts taggit's integer object_id
    # to the bigint id and no index serves it (28-40 ms at 10,000 articles, 5 ms this way).
    tagged = of_articles.filter(tag=tag)
    articles = public.filter(pk__in=tagged.values("object_id")).for_listing()
    return render(
        request, "articles/tag_detail.html", {"tag": tag, "page_obj": paginate(request, articles)}
    )


def _readable_article(request, pk) -> Article:
    """The article if the public may read it, or if this staff member may preview it."""
    # Kept under the versions its page is cached under: no staler than the page an
    # anonymous reader gets, and a logged-in reader's page (never cached whole) needs no
    # query for it. Tags are read where they are shown, in parts usually cached too.
    article = versions.cached(
        f"articles:article:{pk}",
        (versions.SITE, article_version(pk)),
        lambda: get_object_or_404(
            Article.objects.select_related("section", "reporter", "lead_photo"), pk=pk
        ),
        settings.FRAGMENT_CACHE_SECONDS,
    )
    # Before its time (scheduled, embargoed) only the desk may open it: an embargoed story
    # only its editors, so a preview link passed on leaks nothing.
    if not article.is_published and not article.may_see_unpublished(request.user):
        raise Http404
    return article


def _may_edit(user, article) -> bool:
    return user.is_staff and Article.objects.editable_by(user).filter(pk=article.pk).exists()


@shared_page(versions_of=lambda pk, **_: (versions.SITE, article_version(pk)))
def article_detail(request, pk, slug=None):
    article = _readable_article(request, pk)
    if slug != article.slug:
        return redirect(article, permanent=True)
    return render(
        request,
        "articles/article_detail.html",
        {
            "article": article,
            "may_edit": _may_edit(request.user, article),
            # Made only when the cached parts of the page that show them are not there, and
            # once: a template calls a callable each time it names it.
            "related_articles": article.related_articles,
            "tags": cache(partial(_tags, article)),
            "jsonld": partial(news_article_jsonld, article, request),
            "authors": cache(partial(_authors, article)),
            "corrections": cache(partial(_corrections, article)),
        },
    )


def credit_rows(article: Article) -> None:
    """Load the article's co-authors and corrections once, however many parts show them."""
    prefetch_related_objects(
        [article],
        Prefetch("authors", queryset=ArticleAuthor.objects.select_related("reporter")),
        "corrections",
    )


def _authors(article: Article) -> list:
    credit_rows(article)
    return article.all_authors


def _corrections(article: Article) -> dict[str, list[Correction]]:
    """The article's corrections by where they show, oldest first."""
    credit_rows(article)
    notes = {placement: [] for placement in Correction.Placement.values}
    for correction in article.corrections.all():
        notes[correction.placement].append(correction)
    return notes


def _tags(article: Article):
    prefetch_related_objects([article], "tags")  # once, however many parts show them
    return article.tags.all()


# A visitor's reloads within this many seconds count as one read.
REPEAT_VIEW_SECONDS = 30 * 60
# The largest primary key there can be; a larger number in the address would fail the
# whole batch of views it is written with (SQLite cannot even compare it).
MAX_ARTICLE_ID = 2**63 - 1


# The page may come from a cache, so the browser reports the read; the beacon carries
# no credentials and can only add one view, hence no CSRF token.
@csrf_exempt
@require_POST
def article_viewed(request, pk):
    visitor = visitor_key(request)
    if pk > MAX_ARTICLE_ID:
        return HttpResponse(status=204)
    if visitor and caches["shared"].add(f"viewed:{pk}:{visitor}", 1, REPEAT_VIEW_SECONDS):
        article_views.add(pk)
    return HttpResponse(status=204)


def article_email(request, pk):
    article = _readable_article(request, pk)
    if article.is_embargoed:
        raise Http404  # its title and lead would leave the newsroom before the embargo lifts
    form = EmailArticleForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if not hit(
            f"email-article:{client_ip(request)}", limit=settings.EMAIL_ARTICLE_RATE, period=3600
        ):
            form.add_error(None, _("You have sent too many e-mails. Please try again in an hour."))
            status = 429
        else:
            try:
                email_article(article=article, request=request, **form.cleaned_data)
            except MailNotQueued:
                form.add_error(
                    None, _("Your e-mail could not be accepted. Please try again in a few minutes.")
                )
                status = 503
            else:
                # Accepted, not yet sent: the worker sends it, retrying if the mail server is down.
                messages.success(
                    request,
                    _("Your e-mail to %s has been accepted and will be sent shortly.")
                    % form.cleaned_data["recipient"],
                )
                return redirect(article)
    return render(
        request, "articles/article_email.html", {"article": article, "form": form}, status=status
    )


@shared_page
def corrections(request):
    """Every correction on a published article, newest first."""
    notes = Correction.objects.public().select_related("article__section")
    return render(request, "articles/corrections.html", {"page_obj": paginate(request, notes)})


@shared_page
def search(request):
    query = clean_query(request.GET.get("q", ""))
    page_obj = search_page(query, request.GET.get("page")) if query else None
    hits = search_hits(page_obj, query) if page_obj else []
    return render(
        request, "articles/search.html", {"query": query, "page_obj": page_obj, "hits": hits}
    )
