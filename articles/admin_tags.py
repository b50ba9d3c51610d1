"""The tags' admin in place of taggit's, whose texts are English only and whose tag page
lists raw content types and object ids: the articles a tag is on, and merging tags after
asking."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from taggit.models import Tag

from . import services
from .models import Article

admin.site.unregister(Tag)


class MergeTagsForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the merged tag"),
        max_length=100,
        help_text=_("One of the selected tags, another existing tag, or a new one."),
    )


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "article_count"]
    ordering = ["name"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "tagged_articles"]
    readonly_fields = ["tagged_articles"]
    actions = ["merge"]

    def get_queryset(self, request):
        on_articles = Q(
            taggit_taggeditem_items__content_type=ContentType.objects.get_for_model(Article)
        )
        return (
            super()
            .get_queryset(request)
            .annotate(article_count=Count("taggit_taggeditem_items", filter=on_articles))
        )

    @admin.display(description=_("articles"), ordering="article_count")
    def article_count(self, tag):
        return tag.article_count

    @admin.display(description=_("articles with this tag"))
    def tagged_articles(self, tag):
        articles = Article.objects.filter(tags=tag).order_by("-updated_at")[:20]
        return (
            format_html_join(
                ", ",
                '<a href="{}">{}</a>',
                (
                    (reverse("admin:articles_article_change", args=[a.pk]), a.title)
                    for a in articles
                ),
            )
            or "-"
        )

    @admin.action(
        description=_("Merge the selected tags into one"), permissions=["change", "delete"]
    )
    def merge(self, request, queryset):
        form = MergeTagsForm(
            request.POST if "post" in request.POST else None,
            initial={"name": queryset.order_by("-article_count").first().name},
        )
        if form.is_valid():
            count = queryset.count()
            merged = services.merge_tags(tags=queryset, name=form.cleaned_data["name"])
            self.message_user(
                request,
                ngettext(
                    "Merged %(count)d tag into “%(name)s”.",
                    "Merged %(count)d tags into “%(name)s”.",
                    count,
                )
                % {"count": count, "name": merged.name},
                messages.SUCCESS,
            )
            return None
        articles = Article.objects.filter(tags__in=[tag.pk for tag in queryset]).distinct()
        return TemplateResponse(
            request,
            "admin/taggit/tag/merge_tags.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Merge tags"),
                "opts": self.opts,
                "tags": queryset.order_by("-article_count", "name"),
                "form": form,
                "article_count": articles.count(),
                "published_count": articles.filter(pk__in=Article.objects.published()).count(),
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
        )
