"""The editors' moves on the front pages: pin, reorder, unpin, flag and clear breaking news.

Each keeps a page's slots numbered 0, 1, 2… in the editors' order (0 is the top story).
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import PINS_PER_PAGE, BreakingNews, Pin


def page_pins(section) -> list[Pin]:
    """The page's pins that have not ended, in order, with their articles."""
    return list(
        Pin.objects.on(section)
        .live()
        .select_related("article", "article__section", "pinned_by")
        .order_by("position", "pinned_at", "pk")
    )


@transaction.atomic
def pin(*, article, section, ends_at, by, top: bool) -> Pin:
    """Put ``article`` on the page, as its top story or in the last slot."""
    pins = page_pins(section)
    if any(p.article_id == article.pk for p in pins):
        raise ValidationError(_("This article is already pinned on this page."))
    if len(pins) >= PINS_PER_PAGE:
        raise ValidationError(
            _("This page already has %(count)d pinned stories: remove one first.")
            % {"count": PINS_PER_PAGE}
        )
    # An ended pin of the same article on this page would clash with the new one.
    Pin.objects.on(section).filter(article=article).delete()
    new = Pin(article=article, section=section, ends_at=ends_at, pinned_by=by)
    try:
        with transaction.atomic():  # another editor pinning it at the same moment
            _renumber([new, *pins] if top else [*pins, new])
    except IntegrityError:
        raise ValidationError(_("This article is already pinned on this page.")) from None
    return new


@transaction.atomic
def reorder(*, section, pin_ids: list[int]) -> None:
    """Put the page's pins in the order of ``pin_ids`` (every live pin, each once)."""
    pins = {p.pk: p for p in page_pins(section)}
    if sorted(pin_ids) != sorted(pins):
        raise ValidationError(
            _("The page changed while you were editing it: look at it again and retry.")
        )
    _renumber([pins[pk] for pk in pin_ids])


def move(*, pin: Pin, by: int) -> None:
    """Move one pin up (-1) or down (+1) a slot."""
    pins = page_pins(pin.section)
    ids = [p.pk for p in pins]
    if pin.pk not in ids:
        return
    at = ids.index(pin.pk)
    to = min(max(at + by, 0), len(ids) - 1)
    ids.insert(to, ids.pop(at))
    reorder(section=pin.section, pin_ids=ids)


def change_end(*, pin: Pin, ends_at) -> None:
    pin.ends_at = ends_at
    pin.save(update_fields=["ends_at"])


def unpin(*, pin: Pin) -> None:
    pin.delete()


def _renumber(pins: list[Pin]) -> None:
    for position, each in enumerate(pins):
        if each.pk is None or each.position != position:
            each.position = position
            each.save()


def flag_breaking(*, article, ends_at, by) -> BreakingNews:
    """Put the banner with ``article``'s headline on every page until ``ends_at``."""
    if article.breaking_news.live().exists():
        raise ValidationError(
            _("This article is already flagged as breaking news: change its end instead.")
        )
    return BreakingNews.objects.create(article=article, ends_at=ends_at, flagged_by=by)


def change_breaking_end(*, breaking: BreakingNews, ends_at) -> None:
    breaking.ends_at = ends_at
    breaking.save(update_fields=["ends_at"])


def clear_breaking(*, breaking: BreakingNews, by) -> None:
    """Take the banner down now; the flag stays on record."""
    breaking.ends_at = max(timezone.now(), breaking.starts_at)
    breaking.cleared_by = by
    breaking.save(update_fields=["ends_at", "cleared_by"])
