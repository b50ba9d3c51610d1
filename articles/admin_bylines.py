"""Co-authors and corrections on the writing screen: inlines under the article's form.

Their rights follow the article's, not their own models' permissions: editors
(articles.publish_article) set the byline and append corrections; a reporter sees the
co-authors of an article they may open, and no one else changes either."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from .models import ArticleAuthor, Correction


class LeftOutFormSet(BaseInlineFormSet):
    """Rows a form may leave out: a change form sent without them (by a script or a page
    opened before they were added) changes none of them, where Django would refuse the
    whole article for its missing management form."""

    def __init__(self, data=None, files=None, *args, **kwargs):
        super().__init__(data, files, *args, **kwargs)
        self.left_out = self.is_bound and f"{self.prefix}-TOTAL_FORMS" not in self.data

    def is_valid(self):
        return self.left_out or super().is_valid()

    def save(self, commit=True):
        if self.left_out:
            self.new_objects, self.changed_objects, self.deleted_objects = [], [], []
            return []
        return super().save(commit)


class CoAuthorFormSet(LeftOutFormSet):
    def clean(self):
        super().clean()
        lead = self.instance.reporter_id  # the reporter chosen in the form above
        for form in self.forms:
            data = getattr(form, "cleaned_data", {})
            if data.get("DELETE") or not data.get("reporter"):
                continue
            # A row a reporter may only read comes back as the reporter's number, not the row.
            reporter = data["reporter"]
            if not hasattr(reporter, "pk"):
                reporter = ArticleAuthor.reporter.field.related_model.objects.get(pk=reporter)
            if reporter.pk == lead and data.get("role") == ArticleAuthor.Role.REPORTING:
                raise ValidationError(
                    _("%(name)s is the article's reporter already; give them another role."),
                    params={"name": reporter.name},
                )


def _may_publish(request) -> bool:
    return request.user.has_perm("articles.publish_article")


class ArticleAuthorInline(admin.StackedInline):
    model = ArticleAuthor
    formset = CoAuthorFormSet
    fields = ["reporter", ("role", "position")]
    autocomplete_fields = ["reporter"]
    extra = 0
    verbose_name = _("co-author")
    verbose_name_plural = _("Co-authors (besides the reporter above)")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("articles.view_article") or request.user.has_perm(
            "articles.change_article"
        )

    def has_add_permission(self, request, obj=None):
        return _may_publish(request)

    def has_change_permission(self, request, obj=None):
        return _may_publish(request)

    def has_delete_permission(self, request, obj=None):
        return _may_publish(request)


class CorrectionInline(admin.StackedInline):
    """Shown on articles readers can read, to editors only: a correction is appended, dated, and
    kept (only a superuser may delete one)."""

    model = Correction
    formset = LeftOutFormSet
    fields = ["kind", "placement", "text", "published_at", "created_by"]
    readonly_fields = ["published_at", "created_by"]
    extra = 0

    def has_view_permission(self, request, obj=None):
        return _may_publish(request)

    def has_add_permission(self, request, obj=None):
        return _may_publish(request)

    def has_change_permission(self, request, obj=None):
        return _may_publish(request)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class BylineAdminMixin:
    """For ArticleAdmin: the co-author and correction inlines, and who made a correction."""

    def get_inlines(self, request, obj):
        inlines = [ArticleAuthorInline]
        if obj is not None and obj.is_published and _may_publish(request):
            inlines.append(CorrectionInline)
        return inlines

    def save_formset(self, request, form, formset, change):
        if formset.model is not Correction:
            return super().save_formset(request, form, formset, change)
        corrections = formset.save(commit=False)
        for correction in corrections:
            if correction.pk is None:
                correction.created_by = request.user
                # The article was just saved: its modified time is the correction's.
                correction.published_at = form.instance.updated_at
            correction.save()
        for correction in formset.deleted_objects:
            correction.delete()
