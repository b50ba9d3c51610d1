"""An article's revisions in the desk: who changed what and when, a revision compared side by
side with the article as it is now, and restoring a revision's text, lead photo and tags
without touching the status or publication time. ArticleAdmin inherits HistoryAdminMixin
first, before SimpleHistoryAdmin, whose own revert saved the whole old form (status too)."""

from dataclasses import dataclass, field
from difflib import SequenceMatcher
from itertools import zip_longest

from django.contrib import messages
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from . import revisions, services
from .models import Photo

REVISIONS_PER_PAGE = 50
# Unchanged paragraphs shown around a change in the body; longer runs are folded away.
CONTEXT_PARAGRAPHS = 1


def when(moment) -> str:
    """A time as the desk shows it: in the site's time zone, to the minute."""
    return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def who(revision) -> str:
    user = revision.history_user
    return (getattr(user, "display_name", "") or user.get_username()) if user else _("system")


def word_diff(now: str, then: str) -> tuple[list, list]:
    """Both texts as (kind, text) pieces: "del" in ``now`` for what restoring takes away,
    "ins" in ``then`` for what it brings back, "same" for the rest."""
    now_words, then_words = now.split(), then.split()
    now_pieces, then_pieces = [], []
    matcher = SequenceMatcher(None, now_words, then_words, autojunk=False)
    for operation, i1, i2, j1, j2 in matcher.get_opcodes():
        if operation == "equal":
            now_pieces.append(("same", " ".join(now_words[i1:i2])))
            then_pieces.append(("same", " ".join(then_words[j1:j2])))
            continue
        if i2 > i1:
            now_pieces.append(("del", " ".join(now_words[i1:i2])))
        if j2 > j1:
            then_pieces.append(("ins", " ".join(then_words[j1:j2])))
    return now_pieces, then_pieces


@dataclass
class ParagraphPair:
    kind: str  # "same", "changed", "removed" (only now), "added" (only then), "folded"
    now: list = field(default_factory=list)
    then: list = field(default_factory=list)
    folded: int = 0


def paragraph_diff(now: list[str], then: list[str]) -> list[ParagraphPair]:
    """The two bodies paragraph by paragraph, side by side, long unchanged runs folded."""
    pairs = []
    matcher = SequenceMatcher(None, now, then, autojunk=False)
    for operation, i1, i2, j1, j2 in matcher.get_opcodes():
        if operation == "equal":
            pairs += _fold(
                [ParagraphPair("same", [("same", p)], [("same", p)]) for p in now[i1:i2]]
            )
            continue
        for old, new in zip_longest(now[i1:i2], then[j1:j2]):
            if old is not None and new is not None:
                pairs.append(ParagraphPair("changed", *word_diff(old, new)))
            elif old is not None:
                pairs.append(ParagraphPair("removed", now=[("del", old)]))
            else:
                pairs.append(ParagraphPair("added", then=[("ins", new)]))
    if pairs and pairs[0].kind == "folded":  # nothing changed before: no context needed
        pairs[0].folded += CONTEXT_PARAGRAPHS
    return pairs


def _fold(same: list[ParagraphPair]) -> list[ParagraphPair]:
    if len(same) <= 2 * CONTEXT_PARAGRAPHS + 1:
        return same
    folded = ParagraphPair("folded", folded=len(same) - 2 * CONTEXT_PARAGRAPHS)
    return [*same[:CONTEXT_PARAGRAPHS], folded, *same[-CONTEXT_PARAGRAPHS:]]


@dataclass
class FieldComparison:
    name: str
    label: str
    changed: bool
    now: object
    then: object


class HistoryAdminMixin:
    """Revisions: the history page lists them, each opens a comparison with the article as it
    is, from which a person who may change the article restores it (services.restore_revision).
    Both pages are checked like the article itself: whoever may not open the article may not
    read its revisions either."""

    object_history_template = "admin/articles/article/object_history.html"
    object_history_form_template = "admin/articles/article/revision.html"

    def _article(self, request, object_id):
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        return article

    def field_labels(self, request, article) -> dict[str, str]:
        """The fields a revision records, in the form's order, labelled as the form labels
        them."""
        form_fields = self.form.base_fields
        recorded = {f.name for f in article.history.model.tracked_fields} | {"tags", "related"}
        labels = {}
        for entry in flatten_fieldsets(self.get_fieldsets(request, article)):
            name = getattr(entry, "__name__", entry)  # a field shown by a function, for viewers
            if name in recorded:
                label = form_fields[name].label if name in form_fields else None
                labels[name] = str(capfirst(label or article._meta.get_field(name).verbose_name))
        return labels

    def save_related(self, request, form, formsets, change):
        # The article was stored (and its revision made) before its tags: complete it.
        saved = form.instance.history.values_list("history_id", flat=True).first()
        super().save_related(request, form, formsets, change)
        services.record_revision_tags(article=form.instance, since_revision_id=saved)

    def history_view(self, request, object_id, extra_context=None):
        article = self._article(request, object_id)
        history = article.history.select_related("history_user").prefetch_related(
            revisions.RELATED_ROWS
        )
        page = Paginator(history, REVISIONS_PER_PAGE).get_page(request.GET.get("p"))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Revisions of “%(title)s”") % {"title": article.title},
            "opts": self.opts,
            "object": article,
            "rows": self._rows(article, list(page), self.field_labels(request, article)),
            "page": page,
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.object_history_template, context)

    def _rows(self, article, shown: list, labels: dict[str, str]) -> list[dict]:
        """The history page's rows, newest first, each with what changed since the one
        before (the next older, on the next page for the last row)."""
        older = (
            article.history.filter(history_id__lt=shown[-1].history_id).first() if shown else None
        )
        return [
            {
                "revision": revision,
                "when": when(revision.history_date),
                "who": who(revision),
                "changes": [labels[name] for name in _changed_fields(revision, previous, labels)]
                if previous
                else [],
                "created": revision.history_type == "+",
                "restored_from": _restored_from(article, revision),
                "url": reverse(
                    f"{self.admin_site.name}:articles_article_simple_history",
                    args=[article.pk, revision.history_id],
                ),
            }
            for revision, previous in zip(shown, [*shown[1:], older], strict=True)
        ]

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        article = self._article(request, object_id)
        if not str(version_id).isdigit():
            raise Http404
        revision = get_object_or_404(
            article.history.select_related("history_user", "lead_photo"), history_id=version_id
        )
        may_restore = self.has_change_permission(request, article)
        if request.method == "POST":
            if not may_restore:
                raise PermissionDenied
            if request.POST.get("version") == str(article.version):
                return self._restore(request, article, revision)
            self.message_user(
                request,
                _(
                    "The article was saved by someone else after you opened this comparison. "
                    "Nothing was restored: compare again below."
                ),
                messages.ERROR,
            )
        labels = self.field_labels(request, article)
        comparisons = _compare(article, revision, labels)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Compare and restore"),
            "subtitle": article.title,
            "opts": self.opts,
            "object": article,
            "revision": revision,
            "revision_when": when(revision.history_date),
            "revision_who": who(revision),
            "comparisons": [c for c in comparisons if c.name != "body"],
            "body": next((c for c in comparisons if c.name == "body"), None),
            "changed_labels": [c.label for c in comparisons if c.changed],
            "kept_labels": [
                label for name, label in labels.items() if name not in _restored_names()
            ],
            "status_now": _status_sentence(article),
            "photo_gone": not revisions.photo_exists(revision),
            "may_restore": may_restore,
            "history_url": reverse(
                f"{self.admin_site.name}:articles_article_history", args=[article.pk]
            ),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.object_history_form_template, context)

    def _restore(self, request, article, revision):
        changed = services.restore_revision(article=article, revision=revision, user=request.user)
        change_url = reverse(f"{self.admin_site.name}:articles_article_change", args=[article.pk])
        if not changed:
            self.message_user(
                request,
                _("The version of %(time)s has the same content as the article: nothing changed.")
                % {"time": when(revision.history_date)},
                messages.INFO,
            )
            return HttpResponseRedirect(change_url)
        restored = [
            label for name, label in self.field_labels(request, article).items() if name in changed
        ]
        self.log_change(request, article, [{"changed": {"fields": restored}}])
        self.message_user(
            request,
            _("Restored %(fields)s from the version of %(time)s. %(status)s")
            % {
                "fields": ", ".join(restored),
                "time": when(revision.history_date),
                "status": _status_sentence(article),
            },
            messages.SUCCESS,
        )
        if not revisions.photo_exists(revision):
            self.message_user(
                request,
                _(
                    "The lead photo of that version has been deleted since: "
                    "the article keeps its own."
                ),
                messages.WARNING,
            )
        return HttpResponseRedirect(change_url)


def _restored_names() -> set[str]:
    return {*revisions.RESTORED_FIELDS, "tags"}


def _status_sentence(article) -> str:
    """What restoring leaves as it is, said of this article."""
    if article.is_published:
        return _("The article stays published: readers see the restored version at once.")
    if article.is_scheduled:
        return _("The article stays scheduled for %(time)s.") % {"time": when(article.published_at)}
    return _("The article stays “%(status)s”: restoring publishes nothing.") % {
        "status": article.get_status_display()
    }


def _restored_from(article, revision) -> str | None:
    restored_id = revisions.restored_from(revision)
    if restored_id is None:
        return None
    source = article.history.filter(history_id=restored_id).values_list("history_date", flat=True)
    return when(source[0]) if source else None


def _value(record, name: str):
    if name == "tags":
        return record.tag_names
    if name == "related":
        return revisions.related_ids(record)
    return getattr(record, record._meta.get_field(name).attname)


def _changed_fields(revision, previous, labels: dict[str, str]) -> list[str]:
    changed = []
    for name in labels:
        if name == "tags" and None in (revision.tag_names, previous.tag_names):
            continue  # not recorded then
        if _value(revision, name) != _value(previous, name):
            changed.append(name)
    return changed


def _compare(article, revision, labels: dict[str, str]) -> list[FieldComparison]:
    """What restoring would change, field by field, in the form's order."""
    comparisons = []
    for name, label in labels.items():
        if name not in _restored_names():
            continue
        if name == "tags":
            now, then = revisions.tag_names(article), revision.tag_names
            changed = then is not None and now != then
            comparisons.append(FieldComparison(name, label, changed, *_tag_sides(now, then)))
        elif name == "lead_photo":
            now, then = article.lead_photo, _photo(revision.lead_photo_id)
            changed = article.lead_photo_id != revision.lead_photo_id and then is not False
            comparisons.append(FieldComparison(name, label, changed, now, then))
        elif name == "body":
            now, then = revisions.paragraphs(article.body), revisions.paragraphs(revision.body)
            pairs = paragraph_diff(now, then) if now != then else []
            changed = article.body != revision.body  # the markup alone may differ
            comparisons.append(FieldComparison(name, label, changed, pairs, None))
        else:
            now, then = getattr(article, name), getattr(revision, name)
            unchanged = [("same", now)] if now else []
            sides = word_diff(now, then) if now != then else (unchanged, unchanged)
            comparisons.append(FieldComparison(name, label, now != then, *sides))
    return comparisons


def _photo(photo_id):
    """The revision's lead photo, None if it had none, False if it was deleted since."""
    if photo_id is None:
        return None
    return Photo.objects.filter(pk=photo_id).first() or False


def _tag_sides(now: list[str], then: list[str] | None) -> tuple[list, list | None]:
    if then is None:
        return [("same", name) for name in now], None
    return (
        [("same" if name in then else "del", name) for name in now],
        [("same" if name in now else "ins", name) for name in then],
    )
