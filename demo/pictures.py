"""The demo's pictures, drawn with Pillow: photos of seven motifs, portraits and banners.

Each drawing is seeded, so the same data draws the same picture on every run.
"""

import io
import math
import random

from django.core.files.storage import default_storage
from django.db.models.fields.files import FieldFile
from PIL import Image, ImageDraw

from demo import content
from demo.content import Colour

PHOTO_SIZE = (1600, 1000)
PORTRAIT_SIZE = (480, 480)


def gradient(size: tuple[int, int], top: Colour, bottom: Colour) -> Image.Image:
    mask = Image.linear_gradient("L").resize(size)
    return Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), mask)


def shade(colour: Colour, factor: float) -> Colour:
    """Darker below 1, lighter above 1."""
    if factor < 1:
        return tuple(round(c * factor) for c in colour)
    return tuple(round(c + (255 - c) * (factor - 1)) for c in colour)


def circle(draw: ImageDraw.ImageDraw, x: float, y: float, r: float, **kwargs) -> None:
    draw.ellipse((x - r, y - r, x + r, y + r), **kwargs)


def draw_gears(draw: ImageDraw.ImageDraw, rng: random.Random, accent: Colour, back: Colour) -> None:
    for x, y, r in ((620, 520, 260), (1010, 330, 170), (1060, 720, 140), (330, 230, 110)):
        teeth = max(8, r // 18)
        tilt = rng.random()
        points = []
        for i in range(teeth * 4):
            angle = 2 * math.pi * (i + tilt) / (teeth * 4)
            radius = r if i % 4 in (1, 2) else r * 0.84
            points.append((x + radius * math.cos(angle), y + radius * math.sin(angle)))
        draw.polygon(points, fill=accent)
        circle(draw, x, y, r * 0.55, fill=shade(accent, 0.8))
        circle(draw, x, y, r * 0.2, fill=back)


def draw_bars(draw: ImageDraw.ImageDraw, rng: random.Random, accent: Colour, back: Colour) -> None:
    base, left, width, gap = 860, 220, 120, 50
    tops = []
    for i in range(7):
        height = 140 + i * 85 + rng.randint(-40, 40)
        x = left + i * (width + gap)
        draw.rectangle((x, base - height, x + width, base), fill=accent)
        tops.append((x + width / 2, base - height - 40))
    draw.line((160, base, 1440, base), fill=shade(back, 0.6), width=8)
    draw.line(tops, fill=shade(accent, 1.5), width=10)
    for x, y in tops:
        circle(draw, x, y, 16, fill=shade(accent, 1.5))


def draw_robot(draw: ImageDraw.ImageDraw, rng: random.Random, accent: Colour, back: Colour) -> None:
    draw.rectangle((0, 860, PHOTO_SIZE[0], PHOTO_SIZE[1]), fill=shade(back, 0.7))
    draw.rectangle((420, 760, 640, 860), fill=shade(accent, 0.7))
    shoulder = (530, 700)
    elbow = (530 + rng.randint(120, 260), 360 + rng.randint(-60, 60))
    wrist = (1060 + rng.randint(-60, 60), 520)
    draw.line((shoulder, elbow), fill=accent, width=90)
    draw.line((elbow, wrist), fill=accent, width=64)
    for (x, y), r in ((shoulder, 80), (elbow, 62), (wrist, 46)):
        circle(draw, x, y, r, fill=shade(accent, 0.8))
    x, y = wrist
    draw.rectangle((x - 50, y + 40, x - 25, y + 150), fill=shade(accent, 0.6))
    draw.rectangle((x + 25, y + 40, x + 50, y + 150), fill=shade(accent, 0.6))
    draw.rectangle((x - 90, 700, x + 90, 860), fill=shade(back, 1.4))


def draw_solar(draw: ImageDraw.ImageDraw, rng: random.Random, accent: Colour, back: Colour) -> None:
    circle(draw, 1300, 220, 120, fill=shade(accent, 1.6))
    for row in range(3):
        y = 520 + row * 150
        for col in range(5 - row % 2):
            x = 140 + col * 280 + (row % 2) * 140 + rng.randint(-8, 8)
            panel = [(x, y + 110), (x + 240, y + 110), (x + 290, y), (x + 50, y)]
            draw.polygon(panel, fill=accent)
            draw.line((x + 145, y + 110, x + 170, y), fill=back, width=5)
            draw.line((x + 25, y + 55, x + 265, y + 55), fill=back, width=5)


def draw_wind(draw: ImageDraw.ImageDraw, rng: random.Random, accent: Colour, back: Colour) -> None:
    draw.ellipse((-300, 760, 1900, 1500), fill=shade(back, 0.7))
    for x, height in ((380, 560), (820, 680), (1240, 500)):
        hub = (x, 880 - height)
        draw.line(((x, 880), hub), fill=accent, width=22)
        start = rng.random() * 2 * math.pi
        for blade in range(3):
            angle = start + blade * 2 * math.pi / 3
            tip = (hub[0] + 230 * math.cos(angle), hub[1] + 230 * math.sin(angle))
            draw.line((hub, tip), fill=accent, width=18)
        circle(draw, *hub, 26, fill=shade(accent, 0.8))


def draw_conveyor(
    draw: ImageDraw.ImageDraw, rng: random.Random, accent: Colour, back: Colour
) -> None:
    draw.rounded_rectangle((120, 700, 1480, 780), radius=40, fill=shade(back, 0.5))
    for x in range(170, 1460, 110):
        circle(draw, x, 740, 26, fill=shade(back, 1.3))
    x = 180
    while x < 1350:
        width, height = rng.randint(150, 240), rng.randint(120, 260)
        draw.rectangle((x, 700 - height, x + width, 700), fill=accent)
        draw.line((x, 700 - height + 30, x + width, 700 - height + 30), fill=back, width=6)
        x += width + rng.randint(60, 120)


def draw_network(
    draw: ImageDraw.ImageDraw, rng: random.Random, accent: Colour, back: Colour
) -> None:
    nodes = [(rng.randint(140, 1460), rng.randint(120, 880)) for _ in range(16)]
    for i, (x, y) in enumerate(nodes):
        nearest = sorted(nodes[i + 1 :], key=lambda n: (n[0] - x) ** 2 + (n[1] - y) ** 2)[:2]
        for other in nearest:
            draw.line(((x, y), other), fill=shade(accent, 0.75), width=6)
    for x, y in nodes:
        circle(draw, x, y, rng.randint(18, 42), fill=accent)


DRAWINGS = {
    "gears": draw_gears,
    "bars": draw_bars,
    "robot": draw_robot,
    "solar": draw_solar,
    "wind": draw_wind,
    "conveyor": draw_conveyor,
    "network": draw_network,
}


def jpeg(image: Image.Image) -> bytes:
    # JPEG rather than PNG: Photo.save() keeps the format, and JPEG encodes many times faster.
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=88)
    return buffer.getvalue()


def picture(motif: str, palette: str, seed: str) -> bytes:
    """A photo's drawing: the motif on the palette's gradient, the same for the same seed."""
    colours = content.PALETTES[palette]
    top = colours.top
    image = gradient(PHOTO_SIZE, top, colours.bottom)
    draw = ImageDraw.Draw(image)
    rng = random.Random(seed)  # noqa: S311 (demo drawing, not secrets)
    # Faint discs behind the motif give the flat background some depth.
    for _ in range(5):
        x, y = rng.randint(0, PHOTO_SIZE[0]), rng.randint(0, PHOTO_SIZE[1])
        circle(draw, x, y, rng.randint(120, 420), fill=shade(top, 1.12))
    DRAWINGS[motif](draw, rng, colours.accent, shade(top, 0.85))
    return jpeg(image)


def portrait(palette: str) -> bytes:
    """A reporter's picture: a head and shoulders on the palette's gradient."""
    colours = content.PALETTES[palette]
    image = gradient(PORTRAIT_SIZE, colours.top, colours.bottom)
    draw = ImageDraw.Draw(image)
    figure = shade(colours.accent, 1.25)
    circle(draw, 240, 190, 92, fill=figure)
    draw.ellipse((70, 310, 410, 620), fill=figure)
    return jpeg(image)


def banner(width: int, height: int, colours: tuple[str, str], seed: int) -> bytes:
    """A simple drawn banner: a ground colour, a band, circles and a button shape."""
    rng = random.Random(seed)  # noqa: S311 - the same drawing on every run, not a secret
    ground, accent = colours
    image = Image.new("RGB", (width, height), ground)
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, int(height * 0.7), width, height], fill=accent)
    for _ in range(4):
        radius = rng.randint(height // 8, height // 3)
        x, y = rng.randint(0, width), rng.randint(0, height)
        draw.ellipse([x - radius, y - radius, x + radius, y + radius], outline=accent, width=3)
    draw.rounded_rectangle(
        [width - 110, int(height * 0.72), width - 12, height - 8], radius=8, fill=ground
    )
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def is_stored(file: FieldFile) -> bool:
    """The file field names a file that exists (a new MEDIA_ROOT starts empty)."""
    return bool(file) and default_storage.exists(file.name)
