"""Uploaded pictures: refuse what is not a clean image, re-encode what is.

Every picture a person uploads (lead photos, reporter portraits, banners) is
opened with Pillow, checked against the allowed formats and a pixel limit, then
re-encoded under a server-made name: EXIF orientation is applied and all
metadata (GPS, camera owner, comments, XMP, PNG text) dropped, so nothing but pixels
and their colour profile reaches readers.
"""

import io
import logging
import uuid
import warnings
from collections.abc import Iterable
from functools import lru_cache

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

logger = logging.getLogger(__name__)

# Pillow's own guard against decompression bombs, set to our limit.
Image.MAX_IMAGE_PIXELS = settings.IMAGE_MAX_PIXELS

EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "png"}


def open_image(file) -> Image.Image:
    """Open an uploaded file as an image, or raise a ValidationError saying why not."""
    if file.size is not None and file.size > settings.IMAGE_MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is too large (at most %(mb)d MB).")
            % {"mb": settings.IMAGE_MAX_UPLOAD_BYTES // (1024 * 1024)},
            code="too_large",
        )
    file.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(file, formats=settings.IMAGE_FORMATS)
            width, height = image.size
            if width * height > settings.IMAGE_MAX_PIXELS:
                raise Image.DecompressionBombError
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            _("The picture is too large (at most %(mp)d megapixels).")
            % {"mp": settings.IMAGE_MAX_PIXELS // 1_000_000},
            code="too_many_pixels",
        ) from None
    except Exception:  # Pillow raises many kinds for broken or foreign files
        raise ValidationError(
            _("Upload a valid image: JPEG, PNG, WebP or GIF."), code="invalid_image"
        ) from None
    finally:
        file.seek(0)
    return image


def clean_pixels(image: Image.Image) -> Image.Image:
    """Upright pixels in a mode every encoder takes, with their colour profile and no
    other metadata."""
    image = ImageOps.exif_transpose(image)
    if image.mode not in ("RGB", "RGBA") or "transparency" in image.info:
        image = image.convert(
            "RGBA" if "transparency" in image.info or "A" in image.mode else "RGB"
        )
    # Encoders write some of what info holds (Pillow's JPEG encoder writes a JPEG or GIF
    # comment): keep only the colour profile, and only one made for RGB (the header says),
    # as the pixels now are.
    profile = image.info.get("icc_profile")
    image.info = {"icc_profile": profile} if profile and profile[16:20] == b"RGB " else {}
    return image


def encode(image: Image.Image, fmt: str) -> bytes:
    buffer = io.BytesIO()
    icc_profile = image.info.get("icc_profile")
    if fmt == "JPEG":
        if image.mode == "RGBA":
            background = Image.new("RGB", image.size, "white")
            background.paste(image, mask=image.getchannel("A"))
            image = background
        image.save(
            buffer, "JPEG", quality=85, optimize=True, progressive=True, icc_profile=icc_profile
        )
    elif fmt == "WEBP":
        image.save(buffer, "WEBP", quality=80, method=4, icc_profile=icc_profile)
    else:
        image.save(buffer, "PNG", optimize=True, icc_profile=icc_profile)
    return buffer.getvalue()


def reencode_upload(file) -> tuple[ContentFile, Image.Image]:
    """The upload re-encoded under a random name, and its clean pixels."""
    source = open_image(file)
    fmt = source.format if source.format in ("JPEG", "PNG", "WEBP") else "PNG"
    image = clean_pixels(source)
    name = f"{uuid.uuid4().hex}.{EXTENSIONS[fmt]}"
    return ContentFile(encode(image, fmt), name=name), image


def resized(image: Image.Image, width: int) -> Image.Image:
    if width >= image.width:
        return image
    height = round(image.height * width / image.width)
    return image.resize((width, height), Image.Resampling.LANCZOS)


class PictureFormField(forms.ImageField):
    """An image upload that explains exactly why a file is refused."""

    def to_python(self, data):
        if data not in self.empty_values:
            open_image(data)
        return super().to_python(data)


class PictureField(models.ImageField):
    """An ImageField whose uploads go through ``open_image``'s checks."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": PictureFormField, **kwargs})


@lru_cache(maxsize=50_000)
def stored_url(name: str) -> str:
    """The public URL of a stored file, worked out once: pages list dozens of renditions."""
    return default_storage.url(name)


def delete_stored_on_commit(names: Iterable[str]) -> None:
    """Delete these stored files (on disk or in the bucket) once the transaction that
    dropped the row naming them commits; a rolled-back delete keeps them."""
    names = [name for name in names if name]

    def delete() -> None:
        for name in names:
            try:
                default_storage.delete(name)
            except Exception:  # the row is gone either way: a leftover file only costs space
                logger.exception("Could not delete the stored file %s", name)

    transaction.on_commit(delete)
