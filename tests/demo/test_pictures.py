import io

import pytest
from PIL import Image

from demo import content, pictures

# The stand-ins of conftest.py are set on the module; these are the real drawings.
picture, portrait = pictures.picture, pictures.portrait


@pytest.mark.parametrize("motif", sorted(content.MOTIFS))
def test_every_motif_is_drawn_as_a_photo_the_same_way_every_time(motif):
    drawing = picture(motif, "navy", "seed")

    assert Image.open(io.BytesIO(drawing)).size == pictures.PHOTO_SIZE
    assert picture(motif, "navy", "seed") == drawing
    assert picture(motif, "navy", "another seed") != drawing


def test_every_photo_and_reporter_names_a_motif_and_a_palette_the_data_has():
    assert {photo["motif"] for photo in content.PHOTOS} <= set(pictures.DRAWINGS)
    palettes = {photo["palette"] for photo in content.PHOTOS}
    palettes |= {reporter["palette"] for reporter in content.REPORTERS}
    assert palettes <= set(content.PALETTES)


def test_a_portrait_is_square():
    assert Image.open(io.BytesIO(portrait("plum"))).size == pictures.PORTRAIT_SIZE
