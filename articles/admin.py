from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from taggit.models import Tag
from taggit.utils import parse_tags

from web.admin import DeletesInLockOrder, LeftOutKeepsStored, StoredFieldsForViewers

from . import admin_tags  # noqa: F401 (the tags' admin, in place of taggit's)
from .admin_bylines import BylineAdminMixin
from .admin_history import HistoryAdminMixin
from .admin_photos import PhotoLibraryAdminMixin
from .admin_workflow import EmbargoFilter, WorkflowAdminMixin, embargo_label
from .admin_writing import WritingAdminMixin
from .models import Article, Photo, Section


class EditableByAdmin(admin.ModelAdmin):
    """The list shows what this person may change (the model's ``editable_by``). Opening
    anything else that exists is left to the permission checks, which refuse it (403),
    instead of the admin's redirect to its index as if the object had been deleted.
    Pickers on other forms (autocomplete) search ``pickable()`` instead."""

    def pickable(self):
        raise NotImplementedError

    def get_queryset(self, request):
        return self.model.objects.editable_by(request.user)

    def get_search_results(self, request, queryset, search_term):
        if request.path == reverse("admin:autocomplete"):
            queryset = self.pickable()
        return super().get_search_results(request, queryset, search_term)

    def get_object(self, request, object_id, from_field=None):
        field = self.opts.pk if from_field is None else self.opts.get_field(from_field)
        try:
            return self.model._default_manager.get(**{field.name: field.to_python(object_id)})
        except (self.model.DoesNotExist, ValidationError, ValueError):
            return None

    def may_change(self, request, obj) -> bool:
        return self.model.objects.editable_by(request.user).filter(pk=obj.pk).exists()


class SectionAdminForm(LeftOutKeepsStored, forms.ModelForm):
    may_be_left_out = ("portal_category",)


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    form = SectionAdminForm
    list_display = ["name", "slug", "position", "is_active", "portal_category"]
    list_editable = ["position", "is_active", "portal_category"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Photo)
class PhotoAdmin(PhotoLibraryAdminMixin, EditableByAdmin):
    list_display = ["thumbnail", "caption", "credit", "width", "height", "created_at"]
    list_display_links = ["thumbnail", "caption"]
    search_fields = ["caption", "credit", "alt_text"]
    fields = ["image", "caption", "credit", "alt_text"]

    def pickable(self):
        """Picking a lead photo searches every photo: using one changes nothing in it."""
        return Photo.objects.all()

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and (
            obj is None or self.may_change(request, obj)
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or self.may_change(request, obj)
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or self.may_change(request, obj)
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("picture"))
    def thumbnail(self, photo):
        if not photo.renditions:
            return "-"
        return format_html(
            '<img src="{}" alt="" width="120" style="height:auto">', photo.fallback_url
        )


class ArticleAdminForm(LeftOutKeepsStored, forms.ModelForm):
    """Tags picked with autocomplete, new ones typed; publishing checked on the server."""

    tags = forms.ModelMultipleChoiceField(
        label=capfirst(_("tags")),
        queryset=Tag.objects.all(),
        required=False,
        widget=AutocompleteSelectMultiple(Article._meta.get_field("tags"), admin.site),
    )
    version_seen = forms.IntegerField(widget=forms.HiddenInput, required=False)
    overwrite = forms.BooleanField(
        label=_("Save my version anyway"),
        required=False,
        help_text=_("Replaces the changes the other person saved while you were editing."),
    )
    new_tags = forms.CharField(
        label=capfirst(_("new tags")),
        required=False,
        max_length=500,
        help_text=_("Tags that do not exist yet, separated by commas."),
    )

    class Meta:
        model = Article
        fields = [
            "title",
            "subtitle",
            "slug",
            "section",
            "reporter",
            "lead_photo",
            "summary",
            "body",
            "tags",
            "related",
            "comments_open",
            "origin",
            "portal_category",
        ]

    user = None  # set by ArticleAdmin.get_form
    may_be_left_out = ("origin",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:  # the stored version: a revision being restored carries none
            self.fields["version_seen"].initial = (
                Article.objects.filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )
        if not self.is_bound or not self._conflict():
            self.fields["overwrite"].widget = forms.HiddenInput()

    def _conflict(self) -> bool:
        """Someone saved the article after this form was opened."""
        if not self.instance.pk:
            return False
        # The admin saves inside a transaction: this row stays locked until ours is stored.
        stored = Article.objects.select_for_update().filter(pk=self.instance.pk).values("version")
        seen = self.data.get(self.add_prefix("version_seen"))
        return bool(stored) and str(stored[0]["version"]) != str(seen)

    def clean_new_tags(self):
        names = parse_tags(self.cleaned_data["new_tags"])
        for name in names:
            if len(name) > 100:
                raise ValidationError(_("A tag can be at most 100 characters long."))
            # The tag's page is addressed by its slug, which keeps only letters and digits.
            if not Tag().slugify(name):
                raise ValidationError(
                    _("A tag needs at least one letter or digit: “%(name)s” has none."),
                    params={"name": name},
                )
        return names

    def clean_related(self):
        related = self.cleaned_data["related"]
        if self.instance.pk and related.filter(pk=self.instance.pk).exists():
            raise ValidationError(_("An article cannot be one of its own related articles."))
        return related

    def clean(self):
        cleaned = super().clean()
        if self._conflict() and not cleaned.get("overwrite"):
            last = self.instance.history.select_related("history_user").first()
            raise ValidationError(
                _(
                    "%(who)s saved this article at %(when)s, after you opened it. Your text "
                    "is kept below: compare it with the saved version (open the article in "
                    "another tab), then save again with “Save my version anyway” ticked."
                ),
                params={
                    "who": (last and last.history_user) or _("Someone"),
                    "when": timezone.localtime(last.history_date).strftime("%H:%M:%S")
                    if last
                    else "-",
                },
                code="conflict",
            )
        may_publish = self.user is not None and self.user.has_perm("articles.publish_article")
        if not may_publish and not hasattr(self.user, "reporter") and not self.instance.pk:
            raise ValidationError(
                _("Your account is not linked to a reporter; ask an editor to link it.")
            )
        if "tags" in cleaned:
            cleaned["tags"] = [*cleaned["tags"], *cleaned.get("new_tags", [])]
        return cleaned


@admin.register(Article)
class ArticleAdmin(
    BylineAdminMixin,
    HistoryAdminMixin,
    WorkflowAdminMixin,
    WritingAdminMixin,
    StoredFieldsForViewers,
    DeletesInLockOrder,
    EditableByAdmin,
    SimpleHistoryAdmin,
):
    """Articles in the admin: the change form is the writing screen (WritingAdminMixin), with
    the newsroom's workflow steps (WorkflowAdminMixin) and revisions that bring back the
    text only (HistoryAdminMixin)."""

    form = ArticleAdminForm
    list_display = ["title", "status_label", "section", "reporter", "published_at", "view_count"]
    list_filter = [
        "status",
        EmbargoFilter,
        "section",
        "reporter",
        "comments_open",
        "origin",
        "portal_category",
    ]
    list_select_related = ["section", "reporter"]
    search_fields = ["title", "subtitle", "reporter__name", "authors__reporter__name"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["reporter", "lead_photo", "related"]
    actions = ["publish", "unpublish"]

    @admin.display(description=_("status"), ordering="status")
    def status_label(self, article):
        if article.is_embargoed:  # marked and counted down (admin_workflow.embargo_label)
            return embargo_label(article)
        return article.get_stage_display()

    def pickable(self):
        """Picking related articles searches everything the public can read, not only the
        articles this person may edit."""
        return Article.objects.published()

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.user = request.user
        return form

    def get_readonly_fields(self, request, obj=None):
        if self.may_publish(request):
            return ["legacy_id"]
        return ["reporter", "legacy_id", "origin", "portal_category"]

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None:
            return True
        if not self.may_change(request, obj):
            return False
        # Once published (or scheduled) the article is the editors' to change.
        return obj.status != Article.Status.PUBLISHED or self.may_publish(request)

    def has_view_permission(self, request, obj=None):
        if not super().has_view_permission(request, obj):
            return False
        return obj is None or self.may_change(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or self.has_change_permission(request, obj)
        )

    def has_publish_permission(self, request):
        return self.may_publish(request)

    @staticmethod
    def may_publish(request) -> bool:
        return request.user.has_perm("articles.publish_article")

    def save_model(self, request, obj, form, change):
        if not self.may_publish(request) and not change:
            obj.reporter = getattr(request.user, "reporter", None)
        super().save_model(request, obj, form, change)
