import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import pairwise

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.db.models import BooleanField, ExpressionWrapper, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from caching import versions
from caching.signals import NotifyingQuerySet
from images.pictures import PictureField, clean_pixels, open_image, reencode_upload
from web.conditions import holds

# Moved on by any change to a slot or a placement (ads.signals): the slots' cached
# placements, and the pages that show them (all), are stale.
SLOTS_VERSION = versions.on_every_page("ad-slots")

# A banner may also be drawn at this multiple of its slot's size, for high-density screens.
RETINA_SCALE = 2


class AdSlot(models.Model):
    """A named place in the page layout that shows banners, such as the sidebar's "sub-right"."""

    class Rotation(models.TextChoices):
        POSITION = "position", _("In order of position")
        WEIGHT = "weight", _("Rotated at random by weight")

    key = models.SlugField(
        _("key"),
        max_length=40,
        unique=True,
        help_text=_(
            "The name the page templates use for the slot, such as sub-right. "
            "It cannot be changed later."
        ),
    )
    name = models.CharField(_("name"), max_length=100)
    width = models.PositiveSmallIntegerField(
        _("width"), validators=[MinValueValidator(1)], help_text=_("In pixels.")
    )
    height = models.PositiveSmallIntegerField(
        _("height"), validators=[MinValueValidator(1)], help_text=_("In pixels.")
    )
    max_placements = models.PositiveSmallIntegerField(
        _("banners shown at once"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    rotation = models.CharField(
        _("rotation"),
        max_length=10,
        choices=Rotation.choices,
        default=Rotation.POSITION,
        help_text=_(
            "When more banners are live than fit: show the first by position, "
            "or draw them at random in proportion to their weight on every page view."
        ),
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("An inactive slot shows nothing.")
    )

    objects = NotifyingQuerySet.as_manager()

    class Meta:
        ordering = ["key"]
        verbose_name = _("ad slot")
        verbose_name_plural = _("ad slots")

    def __str__(self):
        return f"{self.name} ({self.width}x{self.height})"

    def pick(self, placements: list["Placement"], *, rng=random) -> list["Placement"]:
        """The live ``placements`` to show now, at most ``max_placements`` of them."""
        if self.rotation == self.Rotation.WEIGHT:
            # Weighted sampling without replacement (Efraimidis-Spirakis): the largest
            # u ** (1 / weight) win, so each placement's chance is proportional to its weight.
            ranked = sorted(placements, key=lambda p: rng.random() ** (1 / p.weight), reverse=True)
        else:
            ranked = sorted(placements, key=in_position_order)
        return ranked[: self.max_placements]

    def left_out(self, live: list["Placement"]) -> list["Placement"]:
        """Of the ``live`` placements, those the slot does not show at all: with rotation by
        position, the ones after the first ``max_placements``; rotated by weight, none, as
        every one takes its turn."""
        if self.rotation == self.Rotation.WEIGHT:
            return []
        shown = self.pick(live)
        return [placement for placement in live if placement not in shown]

    def stretches(self, placements: list["Placement"], *, start, end) -> list["Stretch"]:
        """From ``start`` to ``end``, the stretches of time in which the same ``placements``
        are live, in order."""
        edges = {start, end}
        for placement in placements:
            edges |= {m for m in (placement.starts_at, placement.ends_at) if start < m < end}
        stretches = []
        for stretch_start, stretch_end in pairwise(sorted(edges)):
            # Starts and ends fall on the edges only: who is live at a stretch's first
            # moment is live throughout it.
            live = [p for p in placements if holds(live_at(stretch_start), p)]
            stretches.append(Stretch(self, stretch_start, stretch_end, live, self.left_out(live)))
        return stretches


def in_position_order(placement: "Placement") -> tuple:
    """Lower positions first; at equal positions the older placement, and an unsaved one
    (it will be the newest) last."""
    return (placement.position, placement.pk is None, placement.pk or 0)


@dataclass(frozen=True)
class Stretch:
    """A stretch of time in which the same placements are live in a slot."""

    slot: AdSlot
    starts_at: datetime
    ends_at: datetime
    live: list["Placement"]
    left_out: list["Placement"]

    @property
    def overbooked(self) -> bool:
        return len(self.live) > self.slot.max_placements


@dataclass
class Overbooking:
    """A time in a placement's schedule in which its slot would hold more live placements
    than it shows at once, with the same outcome throughout."""

    placement: "Placement"
    starts_at: datetime
    ends_at: datetime
    live: list["Placement"]  # every placement live at some moment of it, it included
    most_live: int
    # Shown without the placement, left out with it (rotation by position only).
    pushed_off: list["Placement"]
    placement_left_out: bool

    def continues(self, stretch: Stretch, pushed_off, placement_left_out: bool) -> bool:
        return self.ends_at == stretch.starts_at and (self.pushed_off, self.placement_left_out) == (
            pushed_off,
            placement_left_out,
        )


class Advertiser(models.Model):
    """A company that buys banner placements."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("advertiser")
        verbose_name_plural = _("advertisers")

    def __str__(self):
        return self.name


def in_time_window(moment, *, starting_within: timedelta = timedelta(0)) -> Q:
    """Shown at ``moment`` as far as its times go: from its start (inclusive) until its end
    (exclusive). With ``starting_within``, also those that start before that much time has
    passed."""
    return Q(starts_at__lte=moment + starting_within, ends_at__gt=moment)


def running() -> Q:
    """Neither the placement nor its slot is paused."""
    return Q(is_active=True, slot__is_active=True)


def live_at(moment, *, starting_within: timedelta = timedelta(0)) -> Q:
    """Shown at ``moment``: active, in an active slot, inside its time window."""
    return running() & in_time_window(moment, starting_within=starting_within)


def status_is(status: str, moment) -> Q:
    """The placements whose status is ``status`` at ``moment`` as far as their own rows
    tell; each has exactly one. Live and displaced ones share the rule: which of the live
    ones a full slot leaves out is decided among them (``displaced_at``)."""
    ended = Q(ends_at__lte=moment)
    return {
        Placement.Status.EXPIRED: ended,
        Placement.Status.PAUSED: ~ended & ~running(),
        Placement.Status.SCHEDULED: ~ended & running() & Q(starts_at__gt=moment),
        Placement.Status.LIVE: live_at(moment),
        Placement.Status.DISPLACED: live_at(moment),
    }[status]


def displaced_at(moment, *, slot: AdSlot | None = None) -> list[int]:
    """The ids of the placements live at ``moment`` that their full slot does not show."""
    live = Placement.objects.filter(live_at(moment)).select_related("slot").order_by()
    by_slot = defaultdict(list)
    for placement in live if slot is None else live.filter(slot=slot):
        by_slot[placement.slot].append(placement)
    return sorted(p.pk for full, placements in by_slot.items() for p in full.left_out(placements))


class PlacementQuerySet(NotifyingQuerySet):
    def live(self, slot: AdSlot | None = None, *, within: timedelta = timedelta(0)):
        """Live by their schedule now, whether or not a full slot shows them; with ``within``,
        also those that start before that much time has passed."""
        live = self.filter(live_at(timezone.now(), starting_within=within))
        return live if slot is None else live.filter(slot=slot)

    def with_status(self, status: str):
        now = timezone.now()
        matching = self.filter(status_is(status, now))
        if status == Placement.Status.DISPLACED:
            return matching.filter(pk__in=displaced_at(now))
        if status == Placement.Status.LIVE:
            return matching.exclude(pk__in=displaced_at(now))
        return matching

    def with_displacement(self):
        """Annotated with whether a full slot leaves each one out now, so that reading the
        status of many costs one query in all."""
        displaced = Q(pk__in=displaced_at(timezone.now()))
        return self.annotate(displaced_now=ExpressionWrapper(displaced, BooleanField()))

    def banners(self):
        return self.filter(kind=Placement.Kind.IMAGE)

    def network_tags(self):
        return self.filter(kind=Placement.Kind.NETWORK)

    def with_totals(self, *, start: date, end: date | None = None):
        """Annotated with the impressions and clicks counted from ``start`` (to ``end``)."""
        period = Q(stats__date__gte=start) & (Q(stats__date__lte=end) if end else Q())
        return self.annotate(
            total_impressions=Coalesce(Sum("stats__impressions", filter=period), 0),
            total_clicks=Coalesce(Sum("stats__clicks", filter=period), 0),
        )


class Placement(models.Model):
    """One advertiser's banner or ad-network tag in a slot, for a period of time."""

    class Kind(models.TextChoices):
        IMAGE = "image", _("Banner image")
        NETWORK = "network", _("Ad network tag")

    class Status(models.TextChoices):
        LIVE = "live", pgettext_lazy("placement status", "Live")
        DISPLACED = "displaced", pgettext_lazy("placement status", "Displaced")
        SCHEDULED = "scheduled", pgettext_lazy("placement status", "Queued")
        PAUSED = "paused", pgettext_lazy("placement status", "Paused")
        EXPIRED = "expired", pgettext_lazy("placement status", "Ended")

    slot = models.ForeignKey(
        AdSlot, verbose_name=_("slot"), on_delete=models.PROTECT, related_name="placements"
    )
    advertiser = models.ForeignKey(
        Advertiser,
        verbose_name=_("advertiser"),
        on_delete=models.PROTECT,
        related_name="placements",
    )
    name = models.CharField(
        _("name"), max_length=100, help_text=_("For your own lists, e.g. the campaign's name.")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.IMAGE)
    image = PictureField(
        _("banner image"),
        upload_to="ads/%Y/%m/",
        blank=True,
        width_field="image_width",
        height_field="image_height",
        help_text=_(
            "JPEG, PNG, WebP or GIF at exactly the slot's size, or twice its size "
            "for sharp banners on high-density screens."
        ),
    )
    image_width = models.PositiveIntegerField(editable=False, null=True)
    image_height = models.PositiveIntegerField(editable=False, null=True)
    alt_text = models.CharField(
        _("alternative text"),
        max_length=200,
        blank=True,
        help_text=_("What the banner says, for readers who cannot see it."),
    )
    target_url = models.URLField(
        _("target address"),
        max_length=500,
        blank=True,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("Where a click on the banner leads: an http:// or https:// address."),
    )
    network_code = models.TextField(
        _("ad network tag"),
        blank=True,
        help_text=_(
            "The HTML and script the ad network gives you. It runs in a sandboxed frame. "
            "Only people with the “Can manage ad code” permission may change it; "
            "nobody has it by default except superusers."
        ),
    )
    starts_at = models.DateTimeField(_("starts"), help_text=_("Shown from this minute on."))
    ends_at = models.DateTimeField(_("ends"), help_text=_("No longer shown from this minute on."))
    weight = models.PositiveSmallIntegerField(
        _("weight"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("In slots rotated by weight, a banner of weight 3 shows three times as often."),
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("In slots shown in order, lower numbers come first.")
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Untick to pause the placement.")
    )

    objects = PlacementQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        permissions = [("manage_ad_code", _("Can manage ad code"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__lt=models.F("ends_at")),
                name="placement_starts_before_it_ends",
                violation_error_message=_("A placement must start before it ends."),
            ),
            models.CheckConstraint(
                condition=Q(target_url="")
                | Q(target_url__istartswith="http://")
                | Q(target_url__istartswith="https://"),
                name="placement_target_url_is_http",
                violation_error_message=_("Enter an http:// or https:// address."),
            ),
            models.CheckConstraint(condition=Q(weight__gte=1), name="placement_weight_positive"),
        ]

    def __str__(self):
        return f"{self.advertiser} · {self.name}"

    def save(self, *args, **kwargs):
        if self.image and not self.image._committed:
            content, _image = reencode_upload(self.image)
            self.image.save(content.name, content, save=False)
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        if self.starts_at and self.ends_at and self.starts_at >= self.ends_at:
            errors["ends_at"] = _("The end must come after the start.")
        if self.kind == self.Kind.IMAGE:
            if not self.image:
                errors["image"] = _("Upload the banner image.")
            if not self.alt_text:
                errors["alt_text"] = _("Say what the banner shows.")
            if not self.target_url:
                errors["target_url"] = _("Enter the address a click leads to.")
            if self.image and self.slot_id and (size_error := self._banner_size_error()):
                errors["image"] = size_error
        elif not self.network_code.strip():
            # Not keyed to network_code: people without the permission see it read-only.
            errors.setdefault("__all__", []).append(
                _("An ad network placement needs the network's tag.")
            )
        if errors:
            raise ValidationError(errors)

    def _banner_size_error(self) -> str | None:
        if self.image._committed:
            size = (self.image_width, self.image_height)
        else:  # a new upload: measure it upright, as it will be stored
            size = clean_pixels(open_image(self.image)).size
        slot = self.slot
        allowed = {
            (slot.width, slot.height),
            (slot.width * RETINA_SCALE, slot.height * RETINA_SCALE),
        }
        if size in allowed:
            return None
        return _(
            "The banner is %(width)sx%(height)s pixels, but the slot “%(slot)s” takes "
            "%(slot_width)sx%(slot_height)s (or %(retina_width)sx%(retina_height)s "
            "for high-density screens)."
        ) % {
            "width": size[0],
            "height": size[1],
            "slot": slot.name,
            "slot_width": slot.width,
            "slot_height": slot.height,
            "retina_width": slot.width * RETINA_SCALE,
            "retina_height": slot.height * RETINA_SCALE,
        }

    @property
    def status(self) -> "Placement.Status":
        now = timezone.now()
        # Expired is asked first: an ended placement's status needs no look at its slot.
        in_order = (
            self.Status.EXPIRED,
            self.Status.PAUSED,
            self.Status.SCHEDULED,
            self.Status.LIVE,
        )
        status = next(status for status in in_order if holds(status_is(status, now), self))
        if status == self.Status.LIVE:
            displaced = self.__dict__.get("displaced_now")  # from with_displacement()
            if displaced is None:
                displaced = self.pk in displaced_at(now, slot=self.slot)
            return self.Status.DISPLACED if displaced else status
        return status

    def overbooking(self) -> list[Overbooking]:
        """The stretches of its schedule, from now on, in which its slot would hold more live
        placements than it shows at once, it included; none while it or its slot is paused."""
        start = max(self.starts_at, timezone.now())
        if start >= self.ends_at or not holds(running(), self):
            return []
        others = (
            Placement.objects.filter(
                running(), slot=self.slot, starts_at__lt=self.ends_at, ends_at__gt=start
            )
            .exclude(pk=self.pk)
            .select_related("slot", "advertiser")
            .order_by("position", "pk")
        )
        placements = [*others, self]
        overbookings: list[Overbooking] = []
        for stretch in self.slot.stretches(placements, start=start, end=self.ends_at):
            if self not in stretch.live or not stretch.overbooked:
                continue
            without = self.slot.left_out([p for p in stretch.live if p is not self])
            pushed_off = [p for p in stretch.left_out if p is not self and p not in without]
            left_out = self in stretch.left_out
            if overbookings and overbookings[-1].continues(stretch, pushed_off, left_out):
                last = overbookings[-1]
                last.ends_at = stretch.ends_at
                last.most_live = max(last.most_live, len(stretch.live))
                last.live += [p for p in stretch.live if p not in last.live]
            else:
                overbookings.append(
                    Overbooking(
                        self,
                        stretch.starts_at,
                        stretch.ends_at,
                        list(stretch.live),
                        len(stretch.live),
                        pushed_off,
                        left_out,
                    )
                )
        return overbookings


class AdStat(models.Model):
    """A placement's impressions and clicks on one day (in the site's time zone)."""

    # Figures are the record of what was billed: a placement that has them is paused, not deleted.
    placement = models.ForeignKey(
        Placement, verbose_name=_("placement"), on_delete=models.PROTECT, related_name="stats"
    )
    date = models.DateField(_("date"))
    impressions = models.PositiveBigIntegerField(_("impressions"), default=0)
    clicks = models.PositiveBigIntegerField(_("clicks"), default=0)

    class Meta:
        ordering = ["-date", "placement"]
        verbose_name = _("ad statistic")
        verbose_name_plural = _("ad statistics")
        constraints = [
            models.UniqueConstraint(fields=["placement", "date"], name="adstat_one_row_per_day")
        ]

    def __str__(self):
        return f"{self.placement} {self.date}"


def click_through_rate(*, impressions: int, clicks: int) -> float | None:
    """Clicks per hundred impressions, or None when nothing was shown."""
    return clicks * 100 / impressions if impressions else None
