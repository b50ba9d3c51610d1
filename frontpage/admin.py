"""메인 편집: the editors' board for the home page and each section page, and 속보.

One screen per page shows its slots as the public sees them, with the pins in order
(drag them, or use the up and down buttons), the time each ends, and the breaking-news
banner. Every change is a POST checked on the server against the editor's permissions;
reporters have none of them.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from articles.models import Article, Section, desk_time
from web.admin import ReadOnlyAdmin

from . import services
from .forms import BreakingEndForm, BreakingForm, OrderForm, PinEndForm, PinForm
from .models import PINS_PER_PAGE, BreakingNews, Pin


@admin.register(Pin)
class PinAdmin(admin.ModelAdmin):
    """The list is the board of one page (?section=<id>, the home page without)."""

    def get_urls(self):
        urls = [
            ("pin/", self.pin_view, "frontpage_pin_pin"),
            ("order/", self.order_view, "frontpage_pin_order"),
            ("<int:pk>/move/<str:direction>/", self.move_view, "frontpage_pin_move"),
            ("<int:pk>/end/", self.end_view, "frontpage_pin_end"),
            ("<int:pk>/remove/", self.remove_view, "frontpage_pin_remove"),
            ("breaking/", self.breaking_view, "frontpage_breaking_flag"),
            ("breaking/<int:pk>/end/", self.breaking_end_view, "frontpage_breaking_end"),
            ("breaking/<int:pk>/clear/", self.breaking_clear_view, "frontpage_breaking_clear"),
        ]
        return [
            path(route, self.admin_site.admin_view(require_POST(func)), name=name)
            for route, func, name in urls
        ] + super().get_urls()

    # Django's own add, change and delete screens are not used: the board does it all
    # (the menu links to the board only).
    def has_add_permission(self, request):
        return False

    def add_view(self, request, form_url="", extra_context=None):
        return HttpResponseRedirect(reverse("admin:frontpage_pin_changelist"))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        pin = get_object_or_404(Pin, pk=object_id)
        return self._to_board(pin.section)

    def delete_view(self, request, object_id, extra_context=None):
        return self.change_view(request, object_id)

    # The board

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        section = self._section(request.GET.get("section"))
        # From an article's change screen: that story is chosen in both forms.
        chosen = {"article": request.GET["article"]} if "article" in request.GET else {}
        return self._board(request, section, chosen=chosen)

    def _board(
        self, request, section, *, pin_form=None, breaking_form=None, chosen=None, status=200
    ):
        pins = services.page_pins(section)
        public = set(
            Article.objects.published()
            .filter(pk__in=[p.article_id for p in pins])
            .values_list("pk", flat=True)
        )
        for each in pins:
            each.is_public = each.article_id in public
            each.end_form = PinEndForm(
                initial={"ends_at": each.ends_at}, auto_id=f"id_pin{each.pk}_%s"
            )
        shown = [p for p in pins if p.is_public]
        breaking = list(BreakingNews.objects.live().select_related("article", "flagged_by"))
        for flag in breaking:
            flag.end_form = BreakingEndForm(
                initial={"ends_at": flag.ends_at}, auto_id=f"id_breaking{flag.pk}_%s"
            )
        may_change = self.has_change_permission(request)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Front page editing"),
            "subtitle": section.name if section else _("Home page"),
            "section": section,
            "pages": [(None, _("Home page")), *((s, s.name) for s in Section.objects.active())],
            "pins": pins,
            "automatic_top": None if shown else self._automatic_top(section),
            "pins_per_page": PINS_PER_PAGE,
            "room_left": len(pins) < PINS_PER_PAGE,
            "public_url": section.get_absolute_url() if section else reverse("articles:home"),
            "may_change": may_change,
            "pin_form": pin_form or (PinForm(initial=chosen) if may_change else None),
            "may_flag": request.user.has_perm("frontpage.add_breakingnews"),
            "may_clear": request.user.has_perm("frontpage.change_breakingnews"),
            "breaking": breaking,
            "breaking_form": breaking_form
            or (
                BreakingForm(prefix="breaking", initial=chosen)
                if request.user.has_perm("frontpage.add_breakingnews")
                else None
            ),
        }
        return TemplateResponse(request, "admin/frontpage/board.html", context, status=status)

    @staticmethod
    def _automatic_top(section):
        """The top story the public sees when nothing is pinned (as the home page picks it)."""
        if section is not None:
            return None
        published = Article.objects.published().for_listing()
        return published.filter(lead_photo__isnull=False).first() or published.first()

    @staticmethod
    def _section(value) -> Section | None:
        if not value:
            return None
        try:
            return Section.objects.get(pk=int(value))
        except (ValueError, Section.DoesNotExist):
            return None

    def _to_board(self, section, anchor=""):
        url = reverse("admin:frontpage_pin_changelist")
        if section is not None:
            url += "?" + urlencode({"section": section.pk})
        return HttpResponseRedirect(url + anchor)

    def _need(self, request, perm: str):
        if not request.user.has_perm(f"frontpage.{perm}"):
            raise PermissionDenied

    # Pins

    def pin_view(self, request):
        self._need(request, "add_pin")
        section = self._section(request.POST.get("section"))
        form = PinForm(request.POST)
        if form.is_valid():
            try:
                pin = services.pin(
                    article=form.cleaned_data["article"],
                    section=section,
                    ends_at=form.cleaned_data["ends_at"],
                    by=request.user,
                    top=form.cleaned_data["slot"] == "top",
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, self._pinned_message(pin))
                return self._to_board(section)
        return self._board(request, section, pin_form=form, status=400)

    @staticmethod
    def _pinned_message(pin) -> str:
        place = (
            _("the top story")
            if pin.position == 0
            else _("slot %(slot)d") % {"slot": pin.position + 1}
        )
        if pin.ends_at:
            return _("“%(title)s” is pinned as %(place)s until %(time)s.") % {
                "title": pin.article.title,
                "place": place,
                "time": desk_time(pin.ends_at),
            }
        return _("“%(title)s” is pinned as %(place)s.") % {
            "title": pin.article.title,
            "place": place,
        }

    def order_view(self, request):
        self._need(request, "change_pin")
        section = self._section(request.POST.get("section"))
        form = OrderForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError(_("The new order could not be read."))
            services.reorder(section=section, pin_ids=form.cleaned_data["order"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The new order is on the site."))
        return self._to_board(section, "#slots")

    def move_view(self, request, pk, direction):
        self._need(request, "change_pin")
        pin = get_object_or_404(Pin, pk=pk)
        if direction not in ("up", "down"):
            raise PermissionDenied
        services.move(pin=pin, by=-1 if direction == "up" else 1)
        messages.success(request, _("“%(title)s” moved.") % {"title": pin.article.title})
        return self._to_board(pin.section, f"#pin-{pin.pk}")

    def end_view(self, request, pk):
        self._need(request, "change_pin")
        pin = get_object_or_404(Pin, pk=pk)
        form = PinEndForm(request.POST)
        if form.is_valid():
            services.change_end(pin=pin, ends_at=form.cleaned_data["ends_at"])
            messages.success(request, _("The end of the pin is changed."))
        else:
            messages.error(request, " ".join(form.errors["ends_at"]))
        return self._to_board(pin.section, f"#pin-{pin.pk}")

    def remove_view(self, request, pk):
        self._need(request, "delete_pin")
        pin = get_object_or_404(Pin, pk=pk)
        services.unpin(pin=pin)
        messages.success(
            request, _("“%(title)s” is no longer pinned.") % {"title": pin.article.title}
        )
        return self._to_board(pin.section, "#slots")

    # Breaking news

    def breaking_view(self, request):
        self._need(request, "add_breakingnews")
        section = self._section(request.POST.get("section"))
        form = BreakingForm(request.POST, prefix="breaking")
        if form.is_valid():
            try:
                flag = services.flag_breaking(
                    article=form.cleaned_data["article"],
                    ends_at=form.cleaned_data["ends_at"],
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("“%(title)s” is breaking news on every page until %(time)s.")
                    % {"title": flag.article.title, "time": desk_time(flag.ends_at)},
                )
                return self._to_board(section, "#breaking")
        return self._board(request, section, breaking_form=form, status=400)

    def breaking_end_view(self, request, pk):
        self._need(request, "change_breakingnews")
        flag = get_object_or_404(BreakingNews.objects.live(), pk=pk)
        form = BreakingEndForm(request.POST)
        if form.is_valid():
            services.change_breaking_end(breaking=flag, ends_at=form.cleaned_data["ends_at"])
            messages.success(request, _("The end of the banner is changed."))
        else:
            messages.error(request, " ".join(form.errors["ends_at"]))
        return self._back(request, "#breaking")

    def breaking_clear_view(self, request, pk):
        self._need(request, "change_breakingnews")
        flag = get_object_or_404(BreakingNews.objects.live(), pk=pk)
        services.clear_breaking(breaking=flag, by=request.user)
        messages.success(
            request,
            _("The breaking-news banner for “%(title)s” is down.") % {"title": flag.article.title},
        )
        return self._back(request, "#breaking")

    def _back(self, request, anchor):
        return self._to_board(self._section(request.POST.get("section")), anchor)


@admin.register(BreakingNews)
class BreakingNewsAdmin(ReadOnlyAdmin):
    """Every banner the desk raised: who flagged it, until when, who took it down. Banners
    are raised and cleared on the 메인 편집 board."""

    list_display = ["article", "starts_at", "ends_at", "flagged_by", "cleared_by"]
    list_select_related = ["article", "flagged_by", "cleared_by"]
    date_hierarchy = "starts_at"
    search_fields = ["article__title"]
