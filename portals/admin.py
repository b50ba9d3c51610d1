"""The portals' screens in the admin, all for editors (articles.publish_article): the
partnership report, the compliance warnings, the IndexNow send log; and the compliance
check itself, added to the article admin (articles knows nothing of it: this app
registers the article admin again with the check in front of publishing)."""

from functools import partial

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles.admin import ArticleAdmin, ArticleAdminForm
from articles.admin_bylines import LeftOutFormSet
from articles.models import Article, desk_time
from web.admin import ReadOnlyAdmin
from web.date_ranges import DateRangeForm

from . import compliance, indexnow, report
from .models import ComplianceWarning, IndexNowPing, PartnershipReport

GOING_OUT = {"publish", "schedule", "embargo"}
# What an edit of a live story can newly cause; its re-sending was checked when it went out.
EDIT_KINDS = {
    ComplianceWarning.Kind.REWRITE,
    ComplianceWarning.Kind.HEADLINE,
    ComplianceWarning.Kind.ADVERTISEMENT,
}
GO_AHEAD = "portal_go_ahead"


def may_publish(request) -> bool:
    return (
        request.user.is_active
        and request.user.is_staff
        and request.user.has_perm("articles.publish_article")
    )


class EditorsOnly:
    """Editors read these screens; nobody adds, changes or deletes a row by hand."""

    def has_view_permission(self, request, obj=None):
        return may_publish(request)

    def has_module_permission(self, request):
        return may_publish(request)


class CheckedArticleForm(ArticleAdminForm):
    """The article form, refusing to save a change to a live story the portals would
    sanction until the editor ticks that they know (the check runs on what would be saved)."""

    portal_go_ahead = forms.BooleanField(
        label=_("Save anyway: I have read the portal warnings"),
        required=False,
        widget=forms.HiddenInput,
    )
    findings: list = []

    def _post_clean(self):
        super()._post_clean()
        self.findings = []
        if self.errors or self.instance.pk is None:
            return
        if not Article.objects.published().filter(pk=self.instance.pk).exists():
            return
        self.findings = [
            finding for finding in compliance.check(self.instance) if finding.kind in EDIT_KINDS
        ]
        if self.findings and not self.cleaned_data.get(GO_AHEAD):
            compliance.record(
                article=self.instance,
                findings=self.findings,
                user=self.user,
                step=ComplianceWarning.Step.EDIT,
                went_ahead=False,
            )
            self.fields[GO_AHEAD].widget = forms.CheckboxInput()
            self.add_error(
                None,
                ValidationError(
                    [_("This story is live, and the portals may sanction this change:")]
                    + [f"{finding.label}: {finding.detail}" for finding in self.findings]
                    + [_("Change it, or tick “Save anyway” above the headline and save again.")]
                ),
            )


class ComplianceWarningInline(admin.TabularInline):
    """The warnings this article's editors were given, on its page."""

    model = ComplianceWarning
    formset = LeftOutFormSet
    fields = ["created_at", "step", "kind", "detail", "user", "went_ahead"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("portal compliance warnings")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return may_publish(request)


admin.site.unregister(Article)


@admin.register(Article)
class CheckedArticleAdmin(ArticleAdmin):
    """The article admin with the portals' compliance check in front of publishing,
    scheduling and embargoing (one article or many) and of changing a live story."""

    form = CheckedArticleForm

    def get_inlines(self, request, obj):
        inlines = list(super().get_inlines(request, obj))
        if obj is not None and may_publish(request):
            inlines.append(ComplianceWarningInline)
        return inlines

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not self.has_change_permission(request, obj):
            return fieldsets
        (title, options), *rest = fieldsets
        return [(title, {**options, "fields": [GO_AHEAD, *options["fields"]]}), *rest]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if getattr(form, "findings", None):
            compliance.record(
                article=obj,
                findings=form.findings,
                user=request.user,
                step=ComplianceWarning.Step.EDIT,
                went_ahead=True,
            )

    def workflow_view(self, request, object_id, action):
        article = self.get_object(request, object_id)
        if (
            request.method != "POST"
            or action not in GOING_OUT
            or article is None
            or not article.may_take(action, request.user)
            or not self.has_change_permission(request, article)
            or not article.allows(action)
        ):
            return super().workflow_view(request, object_id, action)
        findings = compliance.check(article)
        return self._checked(
            request,
            [(article, findings)] if findings else [],
            step=action,
            back_url=reverse("admin:articles_article_change", args=[article.pk]),
            take=partial(super().workflow_view, request, object_id, action),
        )

    def _bulk_step(self, request, queryset, action, takes):
        if action != "publish" or request.POST.get("post") != "yes":
            return super()._bulk_step(request, queryset, action, takes)
        going = [a for a in queryset.select_related("section") if a.stage in takes]
        return self._checked(
            request,
            [(article, found) for article in going if (found := compliance.check(article))],
            step=ComplianceWarning.Step.PUBLISH,
            back_url=reverse("admin:articles_article_changelist"),
            take=partial(super()._bulk_step, request, queryset, action, takes),
        )

    def _checked(self, request, flagged, *, step, back_url, take):
        """Take the step (``take()``) once the editor has seen the warnings of the
        ``flagged`` articles and chosen to go ahead; record the warnings either way."""
        if flagged and request.POST.get(GO_AHEAD) != "yes":
            self._record(request, flagged, step=step, went_ahead=False)
            return self.compliance_step(request, flagged, back_url=back_url)
        response = take()
        gone_out = [(article, found) for article, found in flagged if self._went_out(article)]
        self._record(request, gone_out, step=step, went_ahead=True)
        return response

    @staticmethod
    def _record(request, flagged, *, step, went_ahead):
        for article, findings in flagged:
            compliance.record(
                article=article,
                findings=findings,
                user=request.user,
                step=step,
                went_ahead=went_ahead,
            )

    @staticmethod
    def _went_out(article) -> bool:
        return Article.objects.filter(pk=article.pk, status=Article.Status.PUBLISHED).exists()

    def compliance_step(self, request, flagged, *, back_url):
        """The page that lists what the portals could sanction, before anything goes out:
        publish anyway (the same request again, confirmed) or go back."""
        resent = [
            (name, value)
            for name in request.POST
            if name not in ("csrfmiddlewaretoken", GO_AHEAD)
            for value in request.POST.getlist(name)
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Portal compliance warnings"),
            "flagged": flagged,
            "resent": resent,
            "back_url": back_url,
            "go_ahead": GO_AHEAD,
        }
        return TemplateResponse(request, "admin/portals/compliance_confirm.html", context)


@admin.register(ComplianceWarning)
class ComplianceWarningAdmin(EditorsOnly, ReadOnlyAdmin):
    list_display = ["warned", "article_link", "kind", "detail", "step", "user", "went_ahead"]
    list_filter = ["kind", "went_ahead", "step"]
    list_select_related = ["article", "user"]
    search_fields = ["article__title", "detail"]
    list_display_links = None

    @admin.display(description=_("warned at"), ordering="created_at")
    def warned(self, warning):
        return desk_time(warning.created_at)

    @admin.display(description=_("article"))
    def article_link(self, warning):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:articles_article_change", args=[warning.article_id]),
            warning.article.title,
        )


@admin.register(IndexNowPing)
class IndexNowPingAdmin(EditorsOnly, ReadOnlyAdmin):
    list_display = [
        "queued",
        "addresses",
        "endpoint",
        "reason",
        "state",
        "outcome",
        "due",
    ]
    list_filter = ["state", "reason", "endpoint"]
    list_display_links = None

    @admin.display(description=_("queued at"), ordering="created_at")
    def queued(self, ping):
        return desk_time(ping.created_at)

    @admin.display(description=_("due"), ordering="due_at")
    def due(self, ping):
        return desk_time(ping.due_at)

    @admin.display(description=_("attempts and answer"))
    def outcome(self, ping):
        if not ping.attempts:
            return "-"
        answer = ngettext("%(count)d attempt", "%(count)d attempts", ping.attempts) % {
            "count": ping.attempts
        }
        if ping.error:
            return format_html("{}<br><small>{}</small>", answer, ping.error)
        return format_html("{}<br><small>{}</small>", answer, ping.status_code)

    @admin.display(description=_("addresses"))
    def addresses(self, ping):
        return format_html_join("", "<div>{}</div>", ((url,) for url in ping.urls))

    def changelist_view(self, request, extra_context=None):
        if not indexnow.enabled():
            self.message_user(
                request,
                _(
                    "IndexNow is off: no pings are sent until the server's INDEXNOW_KEY and "
                    "SITE_URL settings are set (docs/portals.md)."
                ),
                messages.WARNING,
            )
        return super().changelist_view(request, extra_context)


@admin.register(PartnershipReport)
class PartnershipReportAdmin(EditorsOnly, ReadOnlyAdmin):
    """The partnership report: its menu entry opens the report, not a list of rows."""

    def get_urls(self):
        return [
            path(
                "",
                self.admin_site.admin_view(self.report_view),
                name="portals_partnershipreport_changelist",
            ),
            path(
                "articles.csv",
                self.admin_site.admin_view(self.report_view),
                {"as_csv": True},
                name="portals_partnershipreport_csv",
            ),
        ]

    def report_view(self, request, as_csv=False):
        if not self.has_view_permission(request):
            raise PermissionDenied
        start, end = report.last_twelve_months(timezone.localdate())
        form = DateRangeForm(request.GET or {"start": start, "end": end})
        if form.is_valid():
            start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        elif as_csv:
            return HttpResponseRedirect(reverse("admin:portals_partnershipreport_changelist"))
        if as_csv:
            site_url = settings.SITE_URL or request.build_absolute_uri("/")
            return report.article_list_csv(start=start, end=end, site_url=site_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Partnership report"),
            "form": form,
            "report": (figures := report.partnership_report(start, end)),
            **report.share_chart(figures),
            "csv_query": f"start={start.isoformat()}&end={end.isoformat()}",
        }
        return TemplateResponse(request, "admin/portals/partnership_report.html", context)
