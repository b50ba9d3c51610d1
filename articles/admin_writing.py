"""The writing screen: how ArticleAdmin lays an article out for its writer, keeps their
text while they type (autosave) and shows it as readers will see it (preview)."""

from functools import partial

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from taggit.models import Tag

from .forms import ArticleAutosaveForm
from .models import Article, ArticleAutosave
from .sanitize import sanitize_body
from .services import autosave_article, discard_autosave
from .structured_data import news_article_jsonld

# Fields of the form that are not the article's: a read-only view has nothing to show for them.


class WritingAdminMixin:
    """For ArticleAdmin, before its other bases: the layout of the change form
    (templates/admin/articles/article/change_form.html), the autosave and preview
    endpoints beside it, and the published body shown as HTML to those who may only read."""

    fieldsets = [
        # The headline and the text across the page; "writing-main" puts them there.
        (
            None,
            {
                "fields": ["overwrite", "version_seen", "title", "subtitle", "body", "summary"],
                "classes": ["writing-main"],
            },
        ),
        (
            gettext_lazy("Section, byline and photo"),
            {"fields": ["section", "reporter", "lead_photo", ("origin", "portal_category")]},
        ),
        (
            gettext_lazy("Publication"),
            # The state and the time change only through the workflow's steps.
            {"fields": ["comments_open", "slug", "legacy_id"]},
        ),
        (gettext_lazy("Tags and related articles"), {"fields": ["tags", "new_tags", "related"]}),
    ]

    def get_urls(self):
        routes = [
            ("autosave/", require_POST(self.autosave_view), "autosave"),
            ("autosave/discard/", require_POST(self.discard_autosave_view), "autosave_discard"),
            ("preview/", self.preview_view, "preview"),
        ]
        urls = []
        for suffix, view, action in routes:
            name = f"{self.opts.app_label}_{self.opts.model_name}_{action}"
            view = self.admin_site.admin_view(view)
            urls += [
                path(f"add/{suffix}", view, name=name),
                path(f"<path:object_id>/{suffix}", view, name=name),
            ]
        return urls + super().get_urls()

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # Someone who may only read the article gets StoredFieldsForViewers' read-only form.
        if add or self.has_change_permission(request, obj):
            context["writing"] = self.writing_context(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def writing_context(self, request, article: Article | None) -> dict:
        """What the writing screen needs besides the form: its endpoints and any autosave
        newer than the article's last save."""
        args = [article.pk] if article else []
        url = partial(self.writing_url, args=args)
        return {
            "autosave_url": url("autosave"),
            "discard_url": url("autosave_discard"),
            "preview_url": url("preview"),
            "autosaved_fields": " ".join(ArticleAutosaveForm.base_fields),
            # A form sent back with errors holds what was just typed: offer nothing older.
            "pending_autosave": ArticleAutosave.objects.pending(user=request.user, article=article)
            if request.method == "GET"
            else None,
        }

    def writing_url(self, action: str, args) -> str:
        opts = self.opts
        return reverse(
            f"admin:{opts.app_label}_{opts.model_name}_{action}",
            args=args,
            current_app=self.admin_site.name,
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # The article now holds this text: the autosave of it has done its work.
        discard_autosave(user=request.user, article=obj if change else None)

    def article_to_write(self, request, object_id) -> Article | None:
        """The stored article this person may change, or None for a new one they may add;
        anything else is refused, as the change form refuses it."""
        if object_id is None:
            if not self.has_add_permission(request):
                raise PermissionDenied
            return None
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        return article

    def autosave_view(self, request, object_id=None):
        article = self.article_to_write(request, object_id)
        form = ArticleAutosaveForm(request.POST)
        if not form.is_valid():
            return JsonResponse({"status": _("This text could not be autosaved.")}, status=400)
        autosave = autosave_article(user=request.user, article=article, fields=form.cleaned_data)
        saved_at = timezone.localtime(autosave.saved_at).strftime("%H:%M")
        return JsonResponse({"status": _("Autosaved %(time)s") % {"time": saved_at}})

    def discard_autosave_view(self, request, object_id=None):
        article = self.article_to_write(request, object_id)
        discard_autosave(user=request.user, article=article)
        return JsonResponse({"status": _("The autosaved text was discarded.")})

    def preview_view(self, request, object_id=None):
        if request.method != "POST":
            # A preview is made from the form as posted; a reload goes back to the form.
            args = [object_id] if object_id else []
            action = "change" if object_id else "add"
            return redirect(self.writing_url(action, args))
        article = self.article_to_write(request, object_id)
        form_class = self.get_form(request, article, change=article is not None)
        # The form's conflict check locks the article's row, as a save would.
        with transaction.atomic():
            form = form_class(request.POST, request.FILES, instance=article or Article())
            form.is_valid()  # the preview shows what was typed, finished or not
        response = render(
            request, "articles/article_detail.html", self.preview_context(request, form)
        )
        response.headers["X-Robots-Tag"] = "noindex"
        return response

    def preview_context(self, request, form) -> dict:
        """The article page's context for what the form holds: its picks of related
        articles and its tags, the new ones included."""
        article = self.previewed_article(request, form)
        cleaned = form.cleaned_data
        related = cleaned.get("related", Article.objects.none())
        picked_tags = [tag for tag in cleaned.get("tags", []) if isinstance(tag, Tag)]
        return {
            "article": article,
            "preview": True,
            "may_edit": True,
            "related_articles": list(related.published().order_by("-published_at")),
            "tags": picked_tags + [Tag(name=name) for name in cleaned.get("new_tags", [])],
            "jsonld": partial(news_article_jsonld, article, request),
            "authors": article.all_authors,
        }

    def previewed_article(self, request, form) -> Article:
        """The article as the form would save it, for the preview only: never saved."""
        article = form.instance
        if article.pk is None:
            # An unsaved article has no number: 0 makes its links well formed, leading nowhere.
            article.pk = 0
            article.created_at = timezone.now()
            if "reporter" not in form.fields:  # a reporter's new article is credited to them
                article.reporter = getattr(request.user, "reporter", None)
        article.updated_at = timezone.now()
        # Links to the article need the readable part of its address, which may not be typed yet.
        article.slug = article.slug or "preview"
        # A form that stopped at an error may not have cleaned the body.
        article.body = sanitize_body(article.body)
        return article
