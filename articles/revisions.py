"""Revisions of articles (django-simple-history): what each one keeps besides the article's
own fields, what restoring one brings back, and the body read as paragraphs to compare."""

from html.parser import HTMLParser

from django.utils.translation import gettext as _
from simple_history.signals import pre_create_historical_record

from .models import Article, Photo

# What restoring a revision brings back, besides its tags: the story as readers read it.
# Status, publication time, section, byline and address stay as they are, so restoring
# never takes a live story down nor publishes a draft.
RESTORED_FIELDS = ("title", "subtitle", "summary", "body", "lead_photo")

# Where one paragraph of a body ends and the next begins, as the editor writes them.
BLOCKS = {"p", "h2", "h3", "h4", "li", "blockquote", "figcaption", "pre", "hr", "br", "div"}

# Marks a revision saved by restore_revision; the id of the revision it restored follows.
RESTORED_REASON = "restored:"


# Where django-simple-history keeps each revision's related articles (m2m_fields), to prefetch.
RELATED_ROWS = Article.history.model._meta.get_field(
    f"{Article.history.model._meta.model_name}_related"
).get_accessor_name()


def related_ids(revision) -> set[int]:
    return {row.to_article_id for row in getattr(revision, RELATED_ROWS).all()}


def tag_names(article: Article) -> list[str]:
    return sorted(article.tags.names())


def snapshot_tags(sender, instance, history_instance, **kwargs) -> None:
    history_instance.tag_names = tag_names(instance)


def connect() -> None:
    pre_create_historical_record.connect(
        snapshot_tags, sender=Article.history.model, dispatch_uid="revision-tags"
    )


def photo_exists(revision) -> bool:
    """Whether the revision's lead photo (or its having none) can still be shown."""
    return (
        revision.lead_photo_id is None or Photo.objects.filter(pk=revision.lead_photo_id).exists()
    )


def restored_from(revision) -> int | None:
    """The id of the revision this one brought back, if it was saved by a restore."""
    reason = revision.history_change_reason or ""
    if reason.startswith(RESTORED_REASON) and reason[len(RESTORED_REASON) :].isdigit():
        return int(reason[len(RESTORED_REASON) :])
    return None


class Paragraphs(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self.current: list[str] = []

    def end_paragraph(self):
        text = " ".join("".join(self.current).split())
        if text:
            self.paragraphs.append(text)
        self.current = []

    def handle_starttag(self, tag, attrs):
        if tag in BLOCKS or tag == "img":
            self.end_paragraph()
        if tag == "img":
            alt = dict(attrs).get("alt") or ""
            self.paragraphs.append(_("[Picture: %(description)s]") % {"description": alt})

    def handle_endtag(self, tag):
        if tag in BLOCKS:
            self.end_paragraph()

    def handle_data(self, data):
        self.current.append(data)


def paragraphs(body: str) -> list[str]:
    """The body's text, one entry per paragraph, heading, list item or picture."""
    parser = Paragraphs()
    parser.feed(body or "")
    parser.close()
    parser.end_paragraph()
    return parser.paragraphs
