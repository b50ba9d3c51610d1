"""Hostile uploads, for every kind of picture people upload: lead photos, reporter portraits
and ad banners. Each is refused with a form error, or stored re-encoded under a name of the
server's making: a clean image, upright, with no metadata that could identify a source.
"""

import io
import re
import struct
import zlib
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import ExifTags, Image, PngImagePlugin

from ads.models import AdSlot, Placement
from articles.models import Photo
from reporters.models import Reporter
from tests.factories import image_bytes

pytestmark = pytest.mark.django_db

# The slot the banners go into is 300x250: banners must be that size (or twice it).
BANNER = (300, 250)
SECRETS = [b"Hong Gil-dong", b"Secret Source Ltd", b"SN-0451-7781", b"37/1", b"Jeju"]


def png(width: int, height: int, *, rows: int | None = None) -> bytes:
    """A grey PNG made by hand: the header may claim more rows than the data holds."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    pixels = zlib.compress(b"\x00" * (width + 1) * (height if rows is None else rows))
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def jpeg_from_a_source(width: int, height: int) -> bytes:
    """A camera JPEG stored sideways (orientation 6) with GPS and the people behind it."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # turn 90° clockwise to show
    exif[ExifTags.Base.Artist] = "Hong Gil-dong"
    exif[ExifTags.Base.Copyright] = "Secret Source Ltd"
    exif[ExifTags.Base.Make] = "Canon"
    camera = exif.get_ifd(ExifTags.IFD.Exif)
    camera[ExifTags.Base.BodySerialNumber] = "SN-0451-7781"
    camera[ExifTags.Base.CameraOwnerName] = "Hong Gil-dong"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (37.0, 33.0, 59.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (126.0, 58.0, 40.0)
    gps[ExifTags.GPS.GPSAreaInformation] = "Jeju"
    image = Image.new("RGB", (width, height), "orange")
    image.paste("navy", (0, 0, width // 4, height))  # a dark band on the left, to see turns
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def png_with_text_chunks(width: int, height: int) -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Hong Gil-dong")
    info.add_text("Copyright", "Secret Source Ltd")
    info.add_itxt("Comment", "GPS 37/1 Jeju")
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "teal").save(buffer, "PNG", pnginfo=info)
    return buffer.getvalue()


# --- the three ways a picture is uploaded -------------------------------------------------


def upload_photo(client, request, content, name):
    client.force_login(request.getfixturevalue("editor"))
    data = {"caption": "보존될 설명", "credit": "사진=홍길동", "alt_text": "공장 건물"}
    data["image"] = SimpleUploadedFile(name, content, content_type="image/jpeg")
    return client.post(reverse("admin:articles_photo_add"), data)


def upload_portrait(client, request, content, name):
    client.force_login(request.getfixturevalue("editor"))
    data = {
        "name": "보존될 이름",
        "slug": "kim",
        "email": "",
        "title": "",
        "bio": "",
        "is_active": "on",
    }
    data["photo"] = SimpleUploadedFile(name, content, content_type="image/jpeg")
    return client.post(reverse("admin:reporters_reporter_add"), data)


def upload_banner(client, request, content, name):
    client.force_login(request.getfixturevalue("ad_staff"))
    start = timezone.localtime() - timedelta(hours=1)
    end = start + timedelta(days=7)
    data = {
        "advertiser": request.getfixturevalue("advertiser").pk,
        "name": "보존될 캠페인",
        "slot": AdSlot.objects.get(key="sub-right").pk,
        "kind": "image",
        "image": SimpleUploadedFile(name, content, content_type="image/png"),
        "alt_text": "협동로봇",
        "target_url": "https://robot.example/",
        "starts_at_0": start.strftime("%Y-%m-%d"),
        "starts_at_1": start.strftime("%H:%M:%S"),
        "ends_at_0": end.strftime("%Y-%m-%d"),
        "ends_at_1": end.strftime("%H:%M:%S"),
        "weight": "1",
        "position": "0",
        "is_active": "on",
    }
    return client.post(reverse("admin:ads_placement_add"), data)


def stored_photo(media_root) -> list:
    photo = Photo.objects.get()
    renditions = [r[ext] for r in photo.renditions for ext in ("jpg", "webp")]
    return [media_root / name for name in [photo.image.name, *renditions]]


def stored_portrait(media_root) -> list:
    return [media_root / Reporter.objects.get().photo.name]


def stored_banner(media_root) -> list:
    return [media_root / Placement.objects.get().image.name]


KINDS = {
    "photo": (upload_photo, stored_photo, r"photos/\d{4}/\d{2}/"),
    "reporter portrait": (upload_portrait, stored_portrait, r"reporters/"),
    "banner": (upload_banner, stored_banner, r"ads/\d{4}/\d{2}/"),
}
KEPT = "보존될"  # each form's text field starts with this: kept when the file is refused


def size_for(kind: str, default=(640, 480)) -> tuple[int, int]:
    return BANNER if kind == "banner" else default


def files_in(media_root) -> list:
    return [path for path in media_root.rglob("*") if path.is_file()] if media_root.exists() else []


# --- refused ------------------------------------------------------------------------------

REFUSED = {
    # 900 megapixels claimed by a 100-byte file: refused from the header, never decoded.
    "decompression bomb": (lambda kind: png(30_000, 30_000, rows=1), "bomb.png", "메가픽셀"),
    "40-megapixel image": (lambda kind: png(8_000, 5_000), "huge.png", "메가픽셀"),
    "SVG with script": (
        lambda kind: (
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
            b"<script>alert(2)</script></svg>"
        ),
        "chart.svg",
        "올바른 이미지",
    ),
    "SVG named .png": (
        lambda kind: b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="1"/></svg>',
        "banner.png",
        "올바른 이미지",
    ),
    "text named .jpg": (lambda kind: b"this is not an image\n" * 10, "photo.jpg", "올바른 이미지"),
    "HTML named .jpg": (
        lambda kind: b"<html><script>alert(1)</script></html>",
        "photo.jpg",
        "올바른 이미지",
    ),
}


@pytest.mark.parametrize("case", REFUSED)
@pytest.mark.parametrize("kind", KINDS)
def test_what_is_not_a_clean_image_is_refused_with_a_form_error(
    client, request, media_root, kind, case
):
    upload, _stored, _folder = KINDS[kind]
    make, name, message = REFUSED[case]

    response = upload(client, request, make(kind), name)

    content = response.content.decode()
    assert response.status_code == 200
    assert "errorlist" in content and message in content
    assert KEPT in content  # what was typed in the other fields is still there
    assert files_in(media_root) == []
    assert not (Photo.objects.exists() or Reporter.objects.exists() or Placement.objects.exists())


# --- accepted, and stored clean -----------------------------------------------------------


def assert_clean_image(path, media_root, folder: str):
    name = path.relative_to(media_root).as_posix()
    assert re.fullmatch(rf"{folder}[0-9a-f]{{32}}(-\d+)?\.(jpg|png|webp)", name), name
    data = path.read_bytes()
    assert b"<script" not in data and b"<html" not in data.lower()
    with Image.open(path) as image:
        image.verify()
    with Image.open(path) as image:
        assert data.endswith({"PNG": b"IEND\xaeB`\x82", "JPEG": b"\xff\xd9"}.get(image.format, b""))
        assert not image.getexif(), path.name
        assert not {"exif", "xmp", "XML:com.adobe.xmp"} & set(image.info), path.name
        assert not getattr(image, "text", None), path.name
    for secret in SECRETS:
        assert secret not in data, (path.name, secret)


@pytest.mark.parametrize("kind", KINDS)
def test_a_png_with_html_appended_is_stored_without_it(client, request, media_root, kind):
    upload, stored, folder = KINDS[kind]
    content = image_bytes(*size_for(kind), "PNG") + b"<html><script>alert(1)</script></html>"

    response = upload(client, request, content, "innocent.png")

    assert response.status_code == 302
    for path in stored(media_root):
        assert_clean_image(path, media_root, folder)


@pytest.mark.parametrize("kind", KINDS)
def test_a_path_traversal_file_name_is_replaced_by_the_servers_own(
    client, request, media_root, kind
):
    upload, stored, folder = KINDS[kind]

    response = upload(client, request, image_bytes(*size_for(kind)), "../../../etc/cron.d/x.png")

    assert response.status_code == 302
    for path in stored(media_root):
        assert path.resolve().is_relative_to(media_root.resolve())
        assert_clean_image(path, media_root, folder)
    assert not any("cron" in str(path) or "etc" in path.parts for path in files_in(media_root))


@pytest.mark.parametrize("kind", KINDS)
def test_exif_orientation_is_applied_and_gps_and_people_are_stripped(
    client, request, media_root, kind
):
    upload, stored, folder = KINDS[kind]
    upright = size_for(kind, default=(600, 800))
    content = jpeg_from_a_source(upright[1], upright[0])  # stored sideways, as cameras do
    with Image.open(io.BytesIO(content)) as original:  # the test file really carries them
        exif = original.getexif()
        assert exif.get_ifd(ExifTags.IFD.GPSInfo) and exif[ExifTags.Base.Artist]

    response = upload(client, request, content, "DSC_0001.JPG")

    assert response.status_code == 302
    paths = stored(media_root)
    assert len(paths) == (1 if kind != "photo" else 1 + 2 * 2)  # photo: 480 and 600 wide
    for path in paths:
        assert_clean_image(path, media_root, folder)
        with Image.open(path) as image:
            width, height = image.size
            assert width * upright[1] == height * upright[0], (path.name, image.size)
            # The navy band the camera stored on the left is at the top once upright.
            assert image.convert("RGB").getpixel((width // 2, 2))[2] > 100, path.name


@pytest.mark.parametrize("kind", KINDS)
def test_png_text_chunks_naming_people_are_stripped(client, request, media_root, kind):
    upload, stored, folder = KINDS[kind]

    response = upload(client, request, png_with_text_chunks(*size_for(kind)), "scan.png")

    assert response.status_code == 302
    for path in stored(media_root):
        assert_clean_image(path, media_root, folder)
