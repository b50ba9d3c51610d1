from django.contrib import admin, messages
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from web.admin import OneRowAdmin

from . import services
from .models import Comment, CommentBan, CommentReport, CommentRules


class ReportedFilter(admin.SimpleListFilter):
    title = _("reports")
    parameter_name = "reported"

    def lookups(self, request, model_admin):
        return [("yes", _("Reported, not yet resolved")), ("no", _("Not reported"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(open_reports__gt=0)
        if self.value() == "no":
            return queryset.filter(open_reports=0)
        return queryset


class CommentReportInline(admin.TabularInline):
    model = CommentReport
    fields = ["user", "reason", "detail", "created_at", "resolved"]
    readonly_fields = ["user", "reason", "detail", "created_at"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """The moderation queue: reported comments first, then the newest."""

    list_display = ["excerpt", "author", "article", "status", "open_reports", "created_at"]
    list_display_links = ["excerpt"]
    list_filter = [ReportedFilter, "status", "created_at"]
    list_select_related = ["article", "user"]
    search_fields = ["body", "guest_name", "user__username", "user__display_name"]
    date_hierarchy = "created_at"
    fields = ["article", "parent", "author", "body", "status", "ip_address", "created_at"]
    readonly_fields = ["article", "parent", "author", "body", "ip_address", "created_at"]
    inlines = [CommentReportInline]
    actions = ["hide", "restore", "delete_softly", "ban_authors"]

    def get_queryset(self, request):
        return Comment.objects.annotate(
            open_reports=Count("reports", filter=Q(reports__resolved=False))
        ).order_by("-open_reports", "-created_at")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # comments are never erased, only hidden or marked deleted

    def has_moderate_permission(self, request):
        return request.user.has_perm("comments.moderate_comments")

    @admin.display(description=_("comment"))
    def excerpt(self, comment):
        text = " ".join(comment.body.split())
        return text if len(text) <= 60 else f"{text[:59]}…"

    @admin.display(description=_("author"))
    def author(self, comment):
        return comment.author_name + ("" if comment.user_id else f" ({_('guest')})")

    @admin.display(description=_("open reports"), ordering="open_reports")
    def open_reports(self, comment):
        return comment.open_reports

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.refresh_comment_count(obj.article_id)

    def _set_status(self, request, queryset, status, message):
        count = services.set_status(list(queryset), status)
        self.message_user(request, message % count, messages.SUCCESS)

    @admin.action(description=_("Hide the selected comments"), permissions=["moderate"])
    def hide(self, request, queryset):
        self._set_status(request, queryset, Comment.Status.HIDDEN, _("%d comments hidden."))

    @admin.action(description=_("Restore the selected comments"), permissions=["moderate"])
    def restore(self, request, queryset):
        CommentReport.objects.filter(comment__in=queryset).update(resolved=True)
        self._set_status(request, queryset, Comment.Status.VISIBLE, _("%d comments restored."))

    @admin.action(description=_("Delete the selected comments"), permissions=["moderate"])
    def delete_softly(self, request, queryset):
        self._set_status(request, queryset, Comment.Status.DELETED, _("%d comments deleted."))

    @admin.action(
        description=_("Bar the authors of the selected comments from commenting"),
        permissions=["moderate"],
    )
    def ban_authors(self, request, queryset):
        users = {comment.user for comment in queryset.select_related("user") if comment.user}
        count = services.comments_ban(
            users=users, banned_by=request.user, reason=_("Barred from the moderation queue")
        )
        self.message_user(
            request,
            ngettext("%d reader barred.", "%d readers barred.", count) % count,
            messages.SUCCESS,
        )


@admin.register(CommentReport)
class CommentReportAdmin(admin.ModelAdmin):
    list_display = ["comment", "reason", "user", "created_at", "resolved"]
    list_filter = ["resolved", "reason"]
    list_select_related = ["comment", "user"]
    readonly_fields = ["comment", "user", "reason", "detail", "created_at"]
    list_editable = ["resolved"]

    def has_add_permission(self, request):
        return False


@admin.register(CommentBan)
class CommentBanAdmin(admin.ModelAdmin):
    list_display = ["user", "reason", "expires_at", "banned_by", "created_at"]
    search_fields = ["user__username", "user__display_name"]
    autocomplete_fields = ["user"]
    readonly_fields = ["banned_by"]

    def save_model(self, request, obj, form, change):
        obj.banned_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(CommentRules)
class CommentRulesAdmin(OneRowAdmin):
    fields = ["allow_guest_comments", "comment_interval_seconds", "comment_reports_to_hide"]
