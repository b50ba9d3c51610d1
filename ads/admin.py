from datetime import timedelta

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from web.admin import DeletesInLockOrder, ReadOnlyAdmin

from . import reports
from .forms import PlacementAdminForm
from .models import AdSlot, AdStat, Advertiser, Placement
from .timeline import slot_timeline


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
        valid = form.is_valid()
        start, end = (
            (form.cleaned_data["start"], form.cleaned_data["end"]) if valid else (None, None)
        )
        if valid and as_csv:
            filename = f"{self.opts.model_name}-{obj.pk}-{start}-{end}.csv"
            return reports.csv_response(
                self.report_stats(obj), start=start, end=end, filename=filename
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "subject": obj,
            "title": _("Report: %(subject)s") % {"subject": obj},
            "form": form,
            "quick_ranges": reports.quick_range_links(start=start, end=end),
        }
        if valid:
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

    class Media:
        css = {"all": ["css/admin/adstaff.css"]}

    def change_view(self, request, object_id, form_url="", extra_context=None):
        slot = self.get_object(request, unquote(object_id))
        if slot is not None and self.has_view_permission(request, slot):
            extra_context = {**(extra_context or {}), "timeline": slot_timeline(slot)}
        return super().change_view(request, object_id, form_url, extra_context)

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
        # A GROUP BY drops the model's ordering; the advertiser picker pages through this.
        placements = Count("placements")
        return super().get_queryset(request).annotate(placement_count=placements).order_by("name")

    @admin.display(description=_("placements"), ordering="placement_count")
    def placement_count(self, advertiser):
        return advertiser.placement_count

    def report_stats(self, advertiser):
        return AdStat.objects.filter(placement__advertiser=advertiser)

    def report_extras(self, advertiser, *, start, end):
        placements = (
            Placement.objects.filter(advertiser=advertiser)
            .with_totals(start=start, end=end)
            .with_displacement()
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


IMPRESSIONS_TODAY = _("shown today")
CLICKS_TODAY = _("clicks today")


def figure(label, number: int) -> str:
    # The label shows only where a phone's list drops the column headings; screen
    # readers have those headings, so it is hidden from them.
    return format_html(
        '<span class="placement-figure-label" aria-hidden="true">{}</span> {}',
        label,
        intcomma(number),
    )


@admin.register(Placement)
class PlacementAdmin(DeletesInLockOrder, ReportAdmin):
    form = PlacementAdminForm
    list_display = [
        "thumbnail",
        "name_and_report",
        "advertiser",
        "slot_name",
        "status_label",
        "period",
        "impressions",
        "clicks",
    ]
    # The name column links to the placement itself, beside the link to its report.
    list_display_links = None
    list_filter = [StatusFilter, "slot", "kind", "advertiser"]
    list_select_related = ["slot", "advertiser"]
    search_fields = ["name", "advertiser__name", "alt_text", "target_url"]
    autocomplete_fields = ["advertiser"]
    fieldsets = [
        (None, {"fields": ["advertiser", "name", "slot", "kind"]}),
        (_("Banner"), {"fields": ["image", "banner_preview", "alt_text", "target_url"]}),
        (_("Ad network tag"), {"fields": ["network_code"], "classes": ["collapse"]}),
        (_("Schedule"), {"fields": ["starts_at", "ends_at", "weight", "position", "is_active"]}),
        (_("Figures"), {"fields": ["report_link"]}),
    ]

    class Media:
        css = {"all": ["css/admin/adstaff.css"]}
        js = ["js/admin/adstaff.js"]

    def get_fieldsets(self, request, obj=None):
        # The figures come once the placement exists.
        return self.fieldsets if obj else self.fieldsets[:-1]

    def get_queryset(self, request):
        today = timezone.localdate()
        return super().get_queryset(request).with_totals(start=today, end=today).with_displacement()

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

    @admin.display(description=_("Banner"))
    def thumbnail(self, placement):
        if not placement.image:
            return format_html(
                '<span class="placement-thumb-none">{}</span>', placement.get_kind_display()
            )
        return format_html(
            '<img class="placement-thumb" src="{}" alt="" loading="lazy">', placement.image.url
        )

    @admin.display(description=_("name"), ordering="name")
    def name_and_report(self, placement):
        return format_html(
            '<a href="{}">{}</a><a class="placement-report-link" href="{}">{}</a>',
            reverse("admin:ads_placement_change", args=[placement.pk]),
            placement.name,
            self.report_url(placement),
            pgettext_lazy("ad figures", "Report"),
        )

    @admin.display(description=_("slot"), ordering="slot__name")
    def slot_name(self, placement):
        return placement.slot.name  # the list has no room for the size; the filter shows it

    @admin.display(description=_("status"))
    def status_label(self, placement):
        return render_to_string("admin/ads/placement_status.html", {"placement": placement})

    @admin.display(description=IMPRESSIONS_TODAY, ordering="total_impressions")
    def impressions(self, placement):
        return figure(IMPRESSIONS_TODAY, placement.total_impressions)

    @admin.display(description=CLICKS_TODAY, ordering="total_clicks")
    def clicks(self, placement):
        return figure(CLICKS_TODAY, placement.total_clicks)

    @admin.display(description=_("period"), ordering="starts_at")
    def period(self, placement):
        return render_to_string(
            "admin/ads/placement_period.html",
            {"starts_at": placement.starts_at, "ends_at": placement.ends_at},
        )

    @admin.display(description=_("preview"))
    def banner_preview(self, placement):
        if not placement.image:
            return "-"
        # Drawn at the slot's size, as on the site (a banner may be twice it).
        width = placement.slot.width if placement.slot_id else placement.image_width
        return format_html(
            '<img class="placement-preview" src="{}" alt="" width="{}">', placement.image.url, width
        )


@admin.register(AdStat)
class AdStatAdmin(ReadOnlyAdmin):
    """The counters are written by the site, never by hand."""

    list_display = ["date", "placement", "impressions", "clicks"]
    list_select_related = ["placement__advertiser"]
    list_filter = ["placement__slot", "placement__advertiser"]
    search_fields = ["placement__name", "placement__advertiser__name"]
    date_hierarchy = "date"
