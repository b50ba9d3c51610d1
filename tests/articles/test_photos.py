import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from articles.models import Photo
from tests.factories import image_bytes

pytestmark = pytest.mark.django_db


def upload(client, content: bytes, name: str = "photo.jpg", **fields):
    data = {"caption": "공장 전경", "credit": "사진=홍길동", "alt_text": "공장 건물 사진", **fields}
    data["image"] = SimpleUploadedFile(name, content, content_type="image/jpeg")
    return client.post(reverse("admin:articles_photo_add"), data)


def jpeg_with_exif(width=800, height=600) -> bytes:
    image = Image.new("RGB", (width, height), "orange")
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to display
    exif[0x013B] = "홍길동 (source)"  # Artist
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def test_upload_makes_renditions_once(client, editor, media_root):
    client.force_login(editor)

    response = upload(client, image_bytes(1600, 1000, "JPEG"))

    assert response.status_code == 302
    photo = Photo.objects.get()
    assert [r["width"] for r in photo.renditions] == [480, 800, 1200, 1600]
    for rendition in photo.renditions:
        assert (media_root / rendition["webp"]).exists()
        assert (media_root / rendition["jpg"]).exists()
    assert "480w" in photo.webp_srcset and photo.fallback_url.endswith("-1200.jpg")


def test_stored_file_gets_a_server_made_name(client, editor):
    client.force_login(editor)

    upload(client, image_bytes(), name="../../etc/passwd.jpg")

    name = Photo.objects.get().image.name
    assert "passwd" not in name and ".." not in name
    assert name.startswith("photos/")


def test_exif_orientation_applied_and_metadata_stripped(client, editor):
    client.force_login(editor)

    upload(client, jpeg_with_exif(800, 600))

    photo = Photo.objects.get()
    with Image.open(photo.image.path) as stored:
        assert stored.size == (600, 800)
        assert not stored.getexif()


def test_text_file_named_jpg_is_refused_and_the_form_kept(client, editor):
    client.force_login(editor)

    response = upload(client, b"this is not an image", caption="보존될 설명")

    assert response.status_code == 200
    assert "올바른 이미지" in response.content.decode()
    assert "보존될 설명" in response.content.decode()
    assert not Photo.objects.exists()


def test_too_many_pixels_is_refused_with_a_clear_error(client, editor, settings):
    client.force_login(editor)

    response = upload(client, image_bytes(8000, 5000, "PNG"))  # 40 megapixels

    assert response.status_code == 200
    assert "메가픽셀" in response.content.decode()
    assert not Photo.objects.exists()


def test_svg_is_refused(client, editor):
    client.force_login(editor)
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="9"/></svg>'

    response = upload(client, svg, name="chart.svg")

    assert response.status_code == 200
    assert not Photo.objects.exists()


def test_alt_text_is_required(client, editor):
    client.force_login(editor)

    response = upload(client, image_bytes(), alt_text="")

    assert response.status_code == 200
    assert not Photo.objects.exists()
