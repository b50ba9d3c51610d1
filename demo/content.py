"""The demo newsroom's material, read from the JSON files in ``demo/data/``.

Everything there is invented: the outlet, companies, people and figures are fictional.

- ``outlet.json``: the outlet's settings, its desks (sections), reporters and sign-ins.
- ``pictures.json``: palettes, what each drawn motif shows, and the photos to draw.
- ``kits.json``, ``stories.json`` and ``placeholders.json``: the articles. Features and the
  unpublished stories are written out in full. A kit is a topic: each of its stories brings
  a title and opening paragraphs, the kit adds background, a quote and a closing paragraph,
  and ``{placeholders}`` are filled with values drawn from ``placeholders.json`` (or the kit's
  own ``fill``), so each article reads differently. ``{"numbers": [low, high, step]}`` stands
  for the figures from low to high. A placeholder may carry a Korean particle as its format
  spec, ``{company:이}``: written in its after-a-consonant form, the form that fits the value
  is used, so "세진오토메이션이" but "한빛솔라가".
- ``comments.json``, ``ads.json``: the demo's comment threads (reported ones too) and banners.
- ``archive.json``: what only the larger sizes (benchmark, soak) add: more desks and
  reporters, tag words, comment lines and banner sizes.
"""

import json
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def load(name: str):
    return json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))


Colour = tuple[int, int, int]


@dataclass(frozen=True)
class Palette:
    top: Colour
    bottom: Colour
    accent: Colour
    background_in_words: str
    accent_in_words: str


def figures(low: int, high: int, step: int = 1) -> list[str]:
    return [f"{n:,}" for n in range(low, high + 1, step)]


def fill_values(spec: dict) -> dict[str, list]:
    """A placeholder's choices: a list as written, or the figures a ``numbers`` entry names."""
    return {
        name: figures(*choices["numbers"]) if isinstance(choices, dict) else choices
        for name, choices in spec.items()
    }


_outlet = load("outlet")
SITE: dict[str, str] = _outlet["site"]
SECTIONS: list[dict] = _outlet["sections"]  # in navigation order
REPORTERS: list[dict] = _outlet["reporters"]
ACCOUNTS: list[dict] = _outlet["accounts"]

_pictures = load("pictures")
PALETTES = {
    name: Palette(
        top=tuple(spec["top"]),
        bottom=tuple(spec["bottom"]),
        accent=tuple(spec["accent"]),
        background_in_words=spec["background_in_words"],
        accent_in_words=spec["accent_in_words"],
    )
    for name, spec in _pictures["palettes"].items()
}
MOTIFS: dict[str, str] = _pictures["motifs"]  # alternative text; "{accent}" is a colour
PHOTOS: list[dict] = _pictures["photos"]  # the caption is a photo's natural key

PLACEHOLDERS: dict = load("placeholders")
FILL_VALUES = fill_values(PLACEHOLDERS["fill"])
KITS: list[dict] = [{**kit, "fill": fill_values(kit.get("fill", {}))} for kit in load("kits")]
_stories = load("stories")
# Features with a table and a video in their bodies, in a file of their own.
FEATURES: list[dict] = [*_stories["features"], *load("rich_stories")["features"]]
SCHEDULED: list[dict] = _stories["scheduled"]
UNPUBLISHED: list[dict] = _stories["unpublished"]
# Stories the desk holds under embargo (엠바고), in a file of their own.
EMBARGOED: list[dict] = load("embargo")

COMMENTS: dict = load("comments")
ADS: dict = load("ads")
ARCHIVE: dict = load("archive")
