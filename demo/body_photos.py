"""Photos from the library inside demo stories' bodies, as the editor stores them
(``<figure data-photo-id>``); which story, where and which photo: ``data/body_photos.json``."""

from functools import cache

from django.template.loader import render_to_string

from articles.models import Photo

from . import content


@cache
def placements() -> dict[str, dict]:
    return {entry["story"]: entry for entry in content.load("body_photos")["body_photos"]}


def placed(story_key: str, body: str, photos: dict[str, list[Photo]]) -> str:
    """``body`` with the story's library photo after the paragraph the data names."""
    entry = placements().get(story_key)
    if entry is None:
        return body
    photo = next(
        (p for motif in photos.values() for p in motif if p.caption == entry["photo"]), None
    )
    if photo is None:
        return body
    figure = render_to_string("demo/body_photo.html", {"photo": photo}).strip()
    paragraphs = body.split("\n")
    paragraphs.insert(entry["after_paragraph"], figure)
    return "\n".join(paragraphs)
