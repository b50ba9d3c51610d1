"""A newspaper in Wagtail's idiom: a section is an index page under the site's home page,
its articles are its children. An article has a photo (shown as a rendition), a title, a
lead, a rich-text body, a date and an author; its sidebar lists the latest articles of
the site and of its own section."""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

SIDEBAR_ARTICLES = 5


class SectionPage(Page):
    intro = models.TextField(blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["news.ArticlePage"]


class ArticlePage(Page):
    date = models.DateTimeField("published")
    author = models.CharField(max_length=60)
    lead = models.TextField()
    body = RichTextField()
    photo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    photo_caption = models.CharField(max_length=300, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("author"),
        FieldPanel("lead"),
        FieldPanel("photo"),
        FieldPanel("photo_caption"),
        FieldPanel("body"),
    ]
    parent_page_types = ["news.SectionPage"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        others = ArticlePage.objects.live().exclude(pk=self.pk).order_by("-date")
        context["latest"] = others[:SIDEBAR_ARTICLES]
        context["section_latest"] = others.child_of(self.get_parent())[:SIDEBAR_ARTICLES]
        return context
