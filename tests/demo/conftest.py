import io

import pytest
from PIL import Image

from demo import pictures


def small_jpeg(*args) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 40), "navy").save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def small_pictures(monkeypatch, media_root):
    """Small stand-ins for the demo's photos and portraits: drawing them and their
    renditions full size takes seconds (test_pictures draws the real ones)."""
    monkeypatch.setattr(pictures, "picture", small_jpeg)
    monkeypatch.setattr(pictures, "portrait", small_jpeg)
    return media_root
