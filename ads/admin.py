from datetime import timedelta

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from web.admin import ReadOnlyAdmin

from . import reports
from .models import AdSlot, AdStat, Advertiser, Placement, click_through_rate

# The placement list's figures cover this many days, today included.
RECENT_DAYS = 30


def may_manage_code(request) -> bool:
    return request.user.has_perm("ads.manage_ad_code")


class ReportAdmin(admin.ModelAdmin):
    """Adds a report page (date range, daily table, SVG chart, CSV export) per object."""

    def report_stats(self, obj):
        raise NotImplementedError

    def report_extras(self, obj, *, start, end) -> dict:
        return {}

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path(
                "<path:object_id>/report/",
                self.admin_site.admin_view(self.report_view),
                name=f"{name}_report",
            ),
            path(
                "<path:object_id>/report.csv",
                self.admin_site.admin_view(self.report_view),
                {"as_csv": True},
                name=f"{name}_report_csv",
            ),
            *super().get_urls(),
        ]

    def report_view(self, request, object_id, as_csv=False):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_view_permission(request, obj):
            raise PermissionDenied
        form = reports.date_range_form(request.GET)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "subject": obj,
            "title": _("Report: %(subject)s") % {"subject": obj},
            "form": form,
        }
        if form.is_valid():
            start, end = form.cleaned_data["start"], form.cleaned_data["end"]
            if as_csv:
                filename = f"{self.opts.model_name}-{obj.pk}-{start}-{end}.csv"
                return reports.csv_response(
                    self.report_stats(obj), start=start, end=end, filename=filename
                )
            days = reports.daily(self.report_stats(obj), start=start, end=end)
            context |= {
                "days": days,
                "totals": reports.total(days),
                "chart": reports.chart(days),
                "start": start,
                "end": end,
                "csv_url": self.report_url(obj, csv=True)
                + "?"
                + urlencode({"start": start.isoformat(), "end": end.isoformat()}),
                **self.report_extras(obj, start=start, end=end),
            }
        return TemplateResponse(request, "ads/report.html", context)

    def report_url(self, obj, *, csv: bool = False) -> str:
        suffix = "_report_csv" if csv else "_report"
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}{suffix}", args=[obj.pk])

    @admin.display(description=pgettext_lazy("ad figures", "report"))
    def report_link(self, obj):
        return format_html('<a href="{}">{}</a>', self.report_url(obj), _("Impressions and clicks"))


@admin.register(AdSlot)
class AdSlotAdmin(admin.ModelAdmin):
    list_display = ["name", "key", "size", "max_placements", "rotation", "is_active"]
    list_filter = ["is_active", "rotation"]
    search_fields = ["name", "key"]
    fields = ["key", "name", "width", "height", "max_placements", "rotation", "is_active"]

    @admin.display(description=_("size"))
    def size(self, slot):
        return f"{slot.width}x{slot.height}"

    def get_readonly_fields(self, request, obj=None):
        # Templates name the slot by its key; renaming it would empty the slot silently.
        return ["key"] if obj else []


@admin.register(Advertiser)
class AdvertiserAdmin(ReportAdmin):
    list_display = ["name", "contact_email", "placement_count", "report_link"]
    search_fields = ["name", "contact_email"]
    fields = ["name", "contact_email", "report_link"]
    readonly_fields = ["report_link"]

    def get_fields(self, request, obj=None):
        return self.fields if obj else ["name", "contact_email"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(placement_count=Count("placements"))

    @admin.display(description=_("placements"), ordering="placement_count")
    def placement_count(self, advertiser):
        return advertiser.placement_count

    def report_stats(self, advertiser):
        return AdStat.objects.filter(placement__advertiser=advertiser)

    def report_extras(self, advertiser, *, start, end):
        placements = (
            Placement.objects.filter(advertiser=advertiser)
            .with_totals(start=start, end=end)
            .select_related("slot")
            .order_by("-total_impressions", "name")
        )
        return {"placements": placements}


class StatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return Placement.Status.choices

    def queryset(self, request, queryset):
        if self.value() in Placement.Status.values:
            return queryset.with_status(self.value())
        return queryset


class PlacementAdminForm(forms.ModelForm):
    class Meta:
        model = Placement
        fields = [
            "advertiser",
            "name",
            "slot",
            "kind",
            "image",
            "alt_text",
            "target_url",
            "network_code",
            "starts_at",
            "ends_at",
            "weight",
            "position",
            "is_active",
        ]

    may_manage_code = False  # set by PlacementAdmin.get_form

    def clean(self):
        cleaned = super().clean()
        # The field is read-only for these people; a hand-made POST that still sends
        # a different tag is refused out loud rather than dropped in silence.
        posted = self.data.get("network_code")
        if (
            not self.may_manage_code
            and posted is not None
            and posted.replace("\r\n", "\n").strip() != self.instance.network_code.strip()
        ):
            raise ValidationError(
                _("Changing the ad network tag needs the “Can manage ad code” permission.")
            )
        return cleaned


@admin.register(Placement)
class PlacementAdmin(ReportAdmin):
    form = PlacementAdminForm
    list_display = [
        "name",
        "advertiser",
        "slot",
        "status_label",
        "impressions",
        "clicks",
        "ctr",
        "period",
        "report_link",
    ]
    list_filter = [StatusFilter, "slot", "kind", "advertiser"]
    list_select_related = ["slot", "advertiser"]
    search_fields = ["name", "advertiser__name", "alt_text", "target_url"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["advertiser"]
    fieldsets = [
        (None, {"fields": ["advertiser", "name", "slot", "kind"]}),
        (_("Banner"), {"fields": ["image", "banner_preview", "alt_text", "target_url"]}),
        (_("Ad network tag"), {"fields": ["network_code"], "classes": ["collapse"]}),
        (_("Schedule"), {"fields": ["starts_at", "ends_at", "weight", "position", "is_active"]}),
        (_("Figures"), {"fields": ["report_link"]}),
    ]

    class Media:
        css = {"all": ["ads/admin.css"]}

    def get_fieldsets(self, request, obj=None):
        # The figures come once the placement exists.
        return self.fieldsets if obj else self.fieldsets[:-1]

    def get_queryset(self, request):
        since = timezone.localdate() - timedelta(days=RECENT_DAYS - 1)
        return super().get_queryset(request).with_totals(start=since)

    def get_readonly_fields(self, request, obj=None):
        readonly = ["banner_preview", "report_link"]
        return readonly if may_manage_code(request) else [*readonly, "network_code"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.may_manage_code = may_manage_code(request)
        return form

    def get_changeform_initial_data(self, request):
        start = timezone.localtime().replace(second=0, microsecond=0)
        return {
            "starts_at": start,
            "ends_at": start + timedelta(days=30),
            **super().get_changeform_initial_data(request),
        }

    def report_stats(self, placement):
        return placement.stats.all()

    @admin.display(description=_("status"))
    def status_label(self, placement):
        return placement.status.label

    @admin.display(description=_("impressions (30 days)"), ordering="total_impressions")
    def impressions(self, placement):
        return placement.total_impressions

    @admin.display(description=_("clicks (30 days)"), ordering="total_clicks")
    def clicks(self, placement):
        return placement.total_clicks

    @admin.display(description=_("CTR (30 days)"))
    def ctr(self, placement):
        rate = click_through_rate(
            impressions=placement.total_impressions, clicks=placement.total_clicks
        )
        return "-" if rate is None else f"{rate:.2f}%"

    @admin.display(description=_("period"), ordering="starts_at")
    def period(self, placement):
        return format_html(
            "{}<br>~ {}",
            date_format(timezone.localtime(placement.starts_at), "Y-m-d H:i"),
            date_format(timezone.localtime(placement.ends_at), "Y-m-d H:i"),
        )

    @admin.display(description=_("preview"))
    def banner_preview(self, placement):
        if not placement.image:
            return "-"
        return format_html(
            '<img src="{}" alt="" width="{}" style="height:auto">',
            placement.image.url,
            placement.slot.width,
        )


@admin.register(AdStat)
class AdStatAdmin(ReadOnlyAdmin):
    """The counters are written by the site, never by hand."""

    list_display = ["date", "placement", "impressions", "clicks"]
    list_select_related = ["placement__advertiser"]
    list_filter = ["placement__slot", "placement__advertiser"]
    search_fields = ["placement__name", "placement__advertiser__name"]
    date_hierarchy = "date"
