from collections import Counter
from dataclasses import dataclass

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch
from django.forms import HiddenInput, Script
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, ngettext_lazy, pgettext, pgettext_lazy
from django.views.decorators.http import require_POST

from web.admin import OneRowAdmin
from web.templatetags.web import minute

from . import services
from .forms import CommentBanForm, ReaderBanForm, whole_number
from .models import Comment, CommentBan, CommentReport, CommentRules, active_bans

# The queue shows this much of a comment; longer ones open in full on demand.
EXCERPT_CHARACTERS = 140
EXCERPT_LINES = 3


def back_url(request, fallback: str) -> str:
    """Where a desk page sends the moderator back to: a page of this site, or ``fallback``."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return fallback


def reason_counts(reports) -> list[tuple[str, str, int]]:
    """Reports by reason, the most given first (ties: the first reported):
    [("abuse", "욕설·혐오 표현", 2), …]."""
    labels = dict(CommentReport.Reason.choices)
    counts = Counter(report.reason for report in reports)
    return [(reason, labels.get(reason, reason), n) for reason, n in counts.most_common()]


@dataclass(frozen=True)
class BulkDecision:
    """What a bulk action on comments asks first, says it will do, and reports after."""

    question: str
    effect: str
    confirm: str
    done: str = ""  # ngettext_lazy(…, "count"), so that % {"count": n} picks the form


BULK_DECISIONS = {
    Comment.Status.HIDDEN: BulkDecision(
        question=gettext_lazy("Hide these comments from readers?"),
        effect=gettext_lazy("Readers will no longer see the comments below."),
        confirm=gettext_lazy("Yes, hide them"),
        done=ngettext_lazy("%(count)d comment hidden.", "%(count)d comments hidden.", "count"),
    ),
    Comment.Status.VISIBLE: BulkDecision(
        question=gettext_lazy("Show these comments to readers?"),
        effect=gettext_lazy(
            "Hidden comments below will be shown again; visible ones stay as they are. "
            "Deleted ones stay deleted."
        ),
        confirm=gettext_lazy("Yes, show them"),
        done=ngettext_lazy(
            "%(count)d comment shown again.", "%(count)d comments shown again.", "count"
        ),
    ),
    Comment.Status.DELETED: BulkDecision(
        question=gettext_lazy("Delete these comments?"),
        effect=gettext_lazy(
            "Nobody will see the comments below any more, not even their authors. "
            "They are kept, not erased."
        ),
        confirm=gettext_lazy("Yes, delete them"),
        done=ngettext_lazy("%(count)d comment deleted.", "%(count)d comments deleted.", "count"),
    ),
}
BAN_AUTHORS = BulkDecision(
    question=gettext_lazy("Bar these comments' authors from commenting?"),
    effect=gettext_lazy(
        "The readers who wrote the comments below will not be able to post, reply, edit or "
        "vote until the ban ends. Guests and staff are left out."
    ),
    confirm=gettext_lazy("Bar them from commenting"),
)


class ReportedFilter(admin.SimpleListFilter):
    title = gettext_lazy("reports")
    parameter_name = "reported"

    def lookups(self, request, model_admin):
        return [
            ("yes", gettext_lazy("Reported, not yet resolved")),
            ("no", gettext_lazy("Not reported")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(open_reports__gt=0)
        if self.value() == "no":
            return queryset.filter(open_reports=0)
        return queryset


class CommentReportInline(admin.TabularInline):
    model = CommentReport
    template = "admin/comments/comment/report_inline.html"
    verbose_name_plural = gettext_lazy("reports on this comment")
    fields = ["reported_by", "reason", "detail", "reported_at", "resolved"]
    readonly_fields = ["reported_by", "reason", "detail", "reported_at"]
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")

    def has_add_permission(self, request, obj=None):
        return False

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "resolved":  # a checkbox in a table cell, named for screen readers
            field.widget.attrs["aria-label"] = db_field.verbose_name
        return field

    @admin.display(description=gettext_lazy("reported by"))
    def reported_by(self, report):
        return f"{report.user.public_name} ({report.user.username})"

    @admin.display(description=gettext_lazy("reported"))
    def reported_at(self, report):
        return minute(report.created_at)


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """The moderation queue: reported comments first, each decided in place."""

    list_display_links = None
    list_filter = [ReportedFilter, "status", "created_at"]
    search_fields = ["body", "guest_name", "user__username", "user__display_name"]
    list_per_page = 50
    fields = ["status"]
    inlines = [CommentReportInline]
    actions = ["hide", "restore", "delete_softly", "ban_authors"]

    class Media:
        css = {"all": ["css/admin/moderation.css"]}
        js = [Script("js/admin/moderation.js", defer=True)]

    def get_ordering(self, request):
        # The queue's order needs the annotation get_queryset() adds, so only on the queue:
        # other admins' comment pickers also ask this admin for its ordering.
        match = request.resolver_match
        if match and match.url_name == "comments_comment_changelist":
            return ["-open_reports", "-created_at", "-id"]
        return super().get_ordering(request)

    def get_queryset(self, request):
        open_reports = CommentReport.objects.open().select_related("user").order_by("created_at")
        return (
            Comment.objects.moderation_queue()
            .select_related("article", "user")
            .annotate(
                author_banned=Exists(CommentBan.objects.active().filter(user=OuterRef("user")))
            )
            .prefetch_related(Prefetch("reports", open_reports, to_attr="open_report_list"))
        )

    def get_urls(self):
        decide = self.admin_site.admin_view(require_POST(self.decide_view))
        hidden, visible = {"status": Comment.Status.HIDDEN}, {"status": Comment.Status.VISIBLE}
        return [
            path("<int:pk>/hide/", decide, hidden, name="comments_comment_hide"),
            path("<int:pk>/restore/", decide, visible, name="comments_comment_restore"),
            *super().get_urls(),
        ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # comments are never erased, only hidden or marked deleted

    def has_moderate_permission(self, request):
        return request.user.has_perm("comments.moderate_comments")

    def changelist_view(self, request, extra_context=None):
        context = {"title": _("Moderation queue"), **(extra_context or {})}
        return super().changelist_view(request, context)

    def get_list_display(self, request):
        if not self.has_moderate_permission(request):
            return ["queue_entry"]
        back = request.get_full_path()

        @admin.display(description=pgettext("moderation", "decision"))
        def decision(comment):
            return self.decision(comment, back)

        return ["queue_entry", decision]

    @admin.display(description=gettext_lazy("comment"))
    def queue_entry(self, comment):
        lines = comment.body.splitlines()
        return render_to_string(
            "admin/comments/comment/queue_entry.html",
            {
                "comment": comment,
                "reasons": reason_counts(comment.open_report_list),
                "is_long": len(comment.body) > EXCERPT_CHARACTERS or len(lines) > EXCERPT_LINES,
            },
        )

    def decision(self, comment, back: str) -> str:
        return render_to_string(
            "admin/comments/comment/queue_decision.html",
            {
                "comment": comment,
                "open_reports": len(comment.open_report_list),
                "ban_url": ban_url(comment, back),
            },
        )

    def decide_view(self, request, pk, status):
        """Hide, restore or keep one comment from its row; the row is sent back to be
        redrawn in place, or, without JavaScript, the moderator goes back to the list."""
        if not self.has_moderate_permission(request):
            raise PermissionDenied
        comment = get_object_or_404(self.get_queryset(request).not_deleted(), pk=pk)
        decided = services.comments_moderate(comments=[comment], status=status)
        message = decision_message(comment, status, decided)
        back = back_url(request, reverse("admin:comments_comment_changelist"))
        if not request.accepts("text/html"):
            comment = self.get_queryset(request).get(pk=pk)
            cells = {
                "queue_entry": self.queue_entry(comment),
                "decision": self.decision(comment, back),
            }
            return JsonResponse({"message": message, "cells": cells})
        self.message_user(request, message, messages.SUCCESS)
        return HttpResponseRedirect(back)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        comment = self.get_object(request, object_id)
        # The page reads as a review, not a form: its panel names the comment.
        context = {"title": _("Review a comment"), "subtitle": None, **(extra_context or {})}
        if comment is not None:
            context.update(
                reasons=reason_counts(comment.open_report_list),
                open_report_count=len(comment.open_report_list),
                **reader_history(comment.user, leaving_out=comment),
                ban_url=ban_url(comment, request.get_full_path()),
            )
        return super().change_view(request, object_id, form_url, context)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "status":
            field.help_text = _(
                "Saving applies it at once: a hidden or deleted comment leaves the article "
                "page, and the comment's open reports are marked resolved."
            )
        return field

    def get_readonly_fields(self, request, obj=None):
        # A deleted comment stays deleted: its author may have deleted it.
        return ["status"] if obj and obj.status == Comment.Status.DELETED else []

    def save_model(self, request, obj, form, change):
        # A status chosen on the form is a moderator's decision, like the queue's buttons.
        if "status" in form.changed_data:
            services.comments_moderate(comments=[obj], status=obj.status)
        else:
            super().save_model(request, obj, form, change)

    def decide_selected(self, request, queryset, status):
        """Ask before changing what readers see, then do it for every selected comment."""
        if request.POST.get("post") != "yes":
            return self.confirm_action(request, queryset, BULK_DECISIONS[status])
        decided = services.comments_moderate(comments=queryset, status=status)
        message = BULK_DECISIONS[status].done % {"count": decided.comments}
        self.message_user(request, with_resolved(message, decided.reports), messages.SUCCESS)
        return None

    def confirm_action(self, request, queryset, decision, form=None):
        comments = list(queryset)
        open_reports = sum(len(comment.open_report_list) for comment in comments)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": decision.question,
            "decision": decision,
            "comments": comments,
            "open_reports": open_reports,
            "action": request.POST["action"],
            "form": form,
            "back": request.get_full_path(),
            "media": self.media + form.media if form else self.media,
        }
        return TemplateResponse(request, "admin/comments/comment/confirm_action.html", context)

    @admin.action(
        description=gettext_lazy("Hide the selected comments (resolves their reports)"),
        permissions=["moderate"],
    )
    def hide(self, request, queryset):
        return self.decide_selected(request, queryset, Comment.Status.HIDDEN)

    @admin.action(
        description=gettext_lazy("Show the selected comments to readers (resolves their reports)"),
        permissions=["moderate"],
    )
    def restore(self, request, queryset):
        return self.decide_selected(request, queryset, Comment.Status.VISIBLE)

    @admin.action(
        description=gettext_lazy("Delete the selected comments (nobody sees them any more)"),
        permissions=["moderate"],
    )
    def delete_softly(self, request, queryset):
        return self.decide_selected(request, queryset, Comment.Status.DELETED)

    @admin.action(
        description=gettext_lazy("Bar the authors of the selected comments from commenting…"),
        permissions=["moderate"],
    )
    def ban_authors(self, request, queryset):
        if not request.user.has_perm("comments.add_commentban"):
            raise PermissionDenied
        form = CommentBanForm(request.POST if request.POST.get("post") == "yes" else None)
        if not form.is_valid():
            return self.confirm_action(request, queryset, BAN_AUTHORS, form)
        readers = {c.user for c in queryset if c.user_id and not c.user.is_staff}
        if not readers:
            message = _("None of the selected comments was written by a reader's account.")
            self.message_user(request, message, messages.WARNING)
            return None
        services.comments_ban(
            users=readers,
            banned_by=request.user,
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
            days=form.cleaned_data["term"],
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d reader barred from commenting (%(term)s).",
                "%(count)d readers barred from commenting (%(term)s).",
                len(readers),
            )
            % {"count": len(readers), "term": CommentBan.label_for_term(form.cleaned_data["term"])},
            messages.SUCCESS,
        )
        return None


def decision_message(comment: Comment, status: str, decided: services.Moderation) -> str:
    """What a moderator's decision on one comment did, in a sentence or two."""
    who = {"author": comment.author_name, "article": comment.article.title}
    if status == Comment.Status.HIDDEN:
        done = _("Hidden from readers: %(author)s's comment on “%(article)s”.") % who
    elif comment.status == Comment.Status.HIDDEN:
        done = _("Shown to readers again: %(author)s's comment on “%(article)s”.") % who
    else:
        done = _("Kept visible: %(author)s's comment on “%(article)s”.") % who
    return with_resolved(done, decided.reports)


def with_resolved(message: str, reports: int) -> str:
    """A decision's message, saying how many reports it resolved, if any."""
    if not reports:
        return message
    resolved = ngettext(
        "%(count)d report marked resolved.", "%(count)d reports marked resolved.", reports
    ) % {"count": reports}
    return f"{message} {resolved}"


def ban_url(comment: Comment, back: str) -> str | None:
    """The ban page for a comment's author, coming back to ``back``; None for guests and staff."""
    if not comment.user_id or comment.user.is_staff:
        return None
    query = urlencode({"user": comment.user_id, "comment": comment.pk, "next": back})
    return f"{reverse('admin:comments_commentban_add')}?{query}"


def reader_history(user, leaving_out: Comment | None = None) -> dict:
    """A reader's recent comments and every ban they have had, for the moderator's pages."""
    if user is None:
        return {"reader": None, "recent_comments": [], "bans": []}
    recent = Comment.objects.by(user).select_related("article")
    if leaving_out is not None:
        recent = recent.exclude(pk=leaving_out.pk)
    bans = CommentBan.objects.filter(user=user).select_related("banned_by", "lifted_by")
    return {"reader": user, "recent_comments": recent[:10], "bans": bans}


class BanStateFilter(admin.SimpleListFilter):
    title = pgettext_lazy("moderation", "state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("active", pgettext_lazy("moderation", "In force")),
            ("ended", pgettext_lazy("moderation", "Ended")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "active":
            return queryset.active()
        if self.value() == "ended":
            return queryset.exclude(active_bans())
        return queryset


@admin.register(CommentBan)
class CommentBanAdmin(admin.ModelAdmin):
    """Bans are made from the ban page and lifted early, never edited or erased: they are
    the reader's history."""

    list_display = ["reader", "reason_shown", "term", "until", "banned_by", "state"]
    list_filter = [BanStateFilter]
    list_select_related = ["user", "banned_by", "lifted_by"]
    search_fields = ["user__username", "user__display_name"]
    fields = ["reader", "reason_shown", "term", "banned_at", "until", "banned_by", "state"]
    readonly_fields = fields

    class Media:
        css = {"all": ["css/admin/moderation.css"]}

    def get_urls(self):
        lift = self.admin_site.admin_view(require_POST(self.lift_view))
        return [path("<int:pk>/lift/", lift, name="comments_commentban_lift"), *super().get_urls()]

    def has_change_permission(self, request, obj=None):
        return False  # read only: a ban in force is lifted (lift_view), not edited

    def has_delete_permission(self, request, obj=None):
        return False

    def has_lift_permission(self, request):
        return request.user.has_perm("comments.change_commentban")

    @admin.display(description=gettext_lazy("reader"), ordering="user__username")
    def reader(self, ban):
        return f"{ban.user.public_name} ({ban.user.username})"

    @admin.display(description=gettext_lazy("reason"), ordering="reason")
    def reason_shown(self, ban):
        return ban.reason_text

    @admin.display(description=pgettext_lazy("moderation", "term"))
    def term(self, ban):
        return ban.term_label

    @admin.display(description=gettext_lazy("banned"), ordering="created_at")
    def banned_at(self, ban):
        return minute(ban.created_at)

    @admin.display(description=gettext_lazy("until"), ordering="expires_at")
    def until(self, ban):
        return minute(ban.expires_at) or pgettext("moderation", "No end")

    @admin.display(description=pgettext_lazy("moderation", "state"))
    def state(self, ban):
        return render_to_string("admin/comments/commentban/ban_state.html", {"ban": ban})

    def get_list_display(self, request):
        if self.has_lift_permission(request):
            return [*self.list_display, "lift"]
        return self.list_display

    @admin.display(description=pgettext_lazy("moderation", "lift"))
    def lift(self, ban):
        return render_to_string("admin/comments/commentban/lift_control.html", {"ban": ban})

    def change_view(self, request, object_id, form_url="", extra_context=None):
        context = {**(extra_context or {}), "can_lift": self.has_lift_permission(request)}
        return super().change_view(request, object_id, form_url, context)

    def add_view(self, request, form_url="", extra_context=None):
        """The ban page: one reader (given by the queue, or chosen here), a reason, a term."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        back = back_url(request, reverse("admin:comments_commentban_changelist"))
        reader = (
            get_user_model()
            .objects.filter(pk=whole_number(request.GET.get("user")), is_staff=False)
            .first()
        )
        comment = Comment.objects.filter(
            pk=whole_number(request.GET.get("comment")), user=reader
        ).first()
        initial = {"user": reader}
        # The reason most readers reported the comment for, ready to confirm.
        if comment and (reasons := reason_counts(comment.reports.open().order_by("created_at"))):
            initial["reason"] = reasons[0][0]
        form = ReaderBanForm(request.POST or None, initial=initial)
        if reader:
            form.fields["user"].widget = HiddenInput()
        if request.method == "POST" and form.is_valid():
            ban = services.comments_ban(
                users=[form.cleaned_data["user"]],
                banned_by=request.user,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                days=form.cleaned_data["term"],
            )[0]
            self.message_user(request, ban_message(ban), messages.SUCCESS)
            return HttpResponseRedirect(back)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Bar a reader from commenting"),
            "form": form,
            "comment": comment,
            "back": back,
            "media": self.media + form.media,
            "current_ban": reader and CommentBan.objects.active().filter(user=reader).first(),
            **reader_history(reader, leaving_out=comment),
        }
        return TemplateResponse(request, "admin/comments/commentban/ban_form.html", context)

    def lift_view(self, request, pk):
        if not self.has_lift_permission(request):
            raise PermissionDenied
        ban = get_object_or_404(CommentBan.objects.select_related("user"), pk=pk)
        if services.comment_ban_lift(ban=ban, lifted_by=request.user):
            message = _("Ban lifted: %(reader)s can comment again now.") % {
                "reader": ban.user.public_name
            }
            self.message_user(request, message, messages.SUCCESS)
        else:
            self.message_user(request, _("That ban had already ended."), messages.INFO)
        return HttpResponseRedirect(
            back_url(request, reverse("admin:comments_commentban_changelist"))
        )


def ban_message(ban: CommentBan) -> str:
    values = {"reader": ban.user.public_name, "term": ban.term_label}
    if ban.expires_at is None:
        return _("%(reader)s is barred from commenting with no end date.") % values
    return _("%(reader)s is barred from commenting for %(term)s, until %(time)s.") % {
        **values,
        "time": minute(ban.expires_at),
    }


@admin.register(CommentReport)
class CommentReportAdmin(admin.ModelAdmin):
    list_display = ["comment", "reason", "user", "created_at", "resolved"]
    list_filter = ["resolved", "reason"]
    list_select_related = ["comment", "user"]
    readonly_fields = ["comment", "user", "reason", "detail", "created_at"]
    list_editable = ["resolved"]

    def has_add_permission(self, request):
        return False


@admin.register(CommentRules)
class CommentRulesAdmin(OneRowAdmin):
    fields = ["allow_guest_comments", "comment_interval_seconds", "comment_reports_to_hide"]
