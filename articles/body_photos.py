"""Photos from the library inside an article's body.

The editor stores each as ``<figure data-photo-id="42">`` with a plain picture and caption
for the editor; the page shows the library's photo instead, with its renditions, srcset,
size, lazy loading and ``▲`` caption, as the lead photo is shown. A photo deleted from the
library leaves the body without it.
"""

import re

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from .models import Photo

# The sanitizer leaves data-photo-id alone on a figure, digits only, so this is what
# a body photo looks like after it; a figure never holds another one.
BODY_PHOTO = re.compile(r'<figure data-photo-id="(\d+)">(?:(?!</?figure\b).)*</figure>', re.S)


def photo_ids(body: str) -> set[int]:
    return {int(pk) for pk in BODY_PHOTO.findall(body or "")}


def photos_in(body: str) -> list[Photo]:
    """The library photos a body shows, in its order; no query when it shows none."""
    order = list(dict.fromkeys(int(pk) for pk in BODY_PHOTO.findall(body or "")))
    if not order:
        return []
    photos = Photo.objects.in_bulk(order)
    return [photos[pk] for pk in order if pk in photos]


def render_body(body: str, photos: dict[int, Photo] | None = None) -> SafeString:
    """The sanitized body with its library photos rendered; one query when it has any."""
    body = body or ""
    ids = photo_ids(body)
    if not ids:
        # Sanitized against articles/sanitize.py when saved.
        return mark_safe(body)  # noqa: S308  # nosec B308 B703
    if photos is None:
        photos = Photo.objects.in_bulk(ids)

    def figure(match: re.Match) -> str:
        photo = photos.get(int(match[1]))
        if photo is None:
            return ""
        return render_to_string("includes/body_photo.html", {"photo": photo}).strip()

    # The sanitized body, with figures our own escaping template made.
    return mark_safe(BODY_PHOTO.sub(figure, body))  # noqa: S308  # nosec B308 B703
