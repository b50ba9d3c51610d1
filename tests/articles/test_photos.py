import io
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image, ImageCms, PngImagePlugin

from articles.models import Article, Photo
from tests.factories import ArticleFactory, PhotoFactory, image_bytes

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


MARKER = "숨은-메타데이터-marker"
SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def picture_with_metadata(fmt: str) -> bytes:
    """A 900 by 600 picture carrying every kind of metadata its format can hold."""
    image = Image.new("RGB", (900, 600), "orange")
    exif = Image.Exif()
    exif[0x013B] = MARKER  # Artist
    xmp = f'<x:xmpmeta xmlns:x="adobe:ns:meta/">{MARKER}</x:xmpmeta>'.encode()
    options = {
        "JPEG": {"comment": MARKER.encode(), "exif": exif, "xmp": xmp, "icc_profile": SRGB},
        "WEBP": {"exif": exif, "xmp": xmp, "icc_profile": SRGB},
        "GIF": {"comment": MARKER.encode()},
    }.get(fmt, {})
    if fmt == "PNG":
        text = PngImagePlugin.PngInfo()
        text.add_text("Comment", MARKER)
        text.add_itxt("Description", MARKER, lang="ko")
        options = {"pnginfo": text, "exif": exif, "icc_profile": SRGB}
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    assert MARKER.encode() in buffer.getvalue()
    return buffer.getvalue()


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "GIF"])
def test_the_original_and_every_rendition_keep_pixels_and_colour_profile_only(media_root, fmt):
    photo = PhotoFactory(
        image=ContentFile(picture_with_metadata(fmt), name=f"upload.{fmt.lower()}")
    )

    stored = [photo.image.name] + [r[ext] for r in photo.renditions for ext in ("jpg", "webp")]
    leaks, profiles = {}, {}
    for name in stored:
        path = media_root / name
        with Image.open(path) as image:
            metadata = {"exif", "xmp", "XML:com.adobe.xmp", "comment"} & set(image.info)
            leaks[name] = sorted(metadata | set(getattr(image, "text", {})))
            if MARKER.encode() in path.read_bytes():
                leaks[name].append(MARKER)
            profiles[name] = image.info.get("icc_profile")
            size = image.size

    assert len(stored) == 7 and size == (900, 600)
    assert leaks == {name: [] for name in stored}
    # A GIF carries no colour profile; the others keep theirs everywhere.
    assert profiles == dict.fromkeys(stored, None if fmt == "GIF" else SRGB)


def test_a_transparent_colour_stays_transparent(media_root):
    image = Image.new("RGB", (600, 400), "lime")
    image.paste("red", (0, 0, 300, 400))
    buffer = io.BytesIO()
    image.save(buffer, "PNG", transparency=(0, 255, 0))

    photo = PhotoFactory(image=ContentFile(buffer.getvalue(), name="cutout.png"))

    with Image.open(media_root / photo.image.name) as stored:
        stored = stored.convert("RGBA")
        assert stored.getpixel((100, 200)) == (255, 0, 0, 255)
        assert stored.getpixel((500, 200))[3] == 0


def test_a_colour_profile_made_for_other_than_rgb_is_dropped(media_root):
    cmyk_profile = SRGB[:16] + b"CMYK" + SRGB[20:]  # the header names the colour space
    buffer = io.BytesIO()
    Image.new("CMYK", (600, 400), (0, 100, 200, 0)).save(buffer, "JPEG", icc_profile=cmyk_profile)

    photo = PhotoFactory(image=ContentFile(buffer.getvalue(), name="print.jpg"))

    for name in [photo.image.name, *(r[ext] for r in photo.renditions for ext in ("jpg", "webp"))]:
        with Image.open(media_root / name) as stored:
            assert "icc_profile" not in stored.info


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


# --- Who may change a photo -------------------------------------------------------------


def change_url(photo):
    return reverse("admin:articles_photo_change", args=[photo.pk])


def delete_url(photo):
    return reverse("admin:articles_photo_delete", args=[photo.pk])


def photo_form(**changes):
    return {"caption": "바꿔치기", "credit": "", "alt_text": "다른 사진", **changes}


@pytest.fixture
def others_lead_photo(other_reporter_user):
    """The lead photo of another reporter's published article."""
    photo = PhotoFactory(caption="남의 기사 사진", uploaded_by=other_reporter_user)
    ArticleFactory(reporter=other_reporter_user.reporter, lead_photo=photo)
    return photo


@pytest.mark.parametrize("uploader", [None, "other_reporter_user"])
def test_a_reporter_cannot_open_change_or_delete_the_photo_of_another_reporters_article(
    client, request, reporter_user, other_reporter_user, uploader
):
    photo = PhotoFactory(
        caption="남의 기사 사진", uploaded_by=uploader and request.getfixturevalue(uploader)
    )
    ArticleFactory(reporter=other_reporter_user.reporter, lead_photo=photo)
    stored = photo.image.name
    new_image = SimpleUploadedFile("new.png", image_bytes(color="red"), content_type="image/png")
    client.force_login(reporter_user)

    answers = {
        "GET change": client.get(change_url(photo)).status_code,
        "POST caption": client.post(change_url(photo), photo_form()).status_code,
        "POST image": client.post(change_url(photo), photo_form(image=new_image)).status_code,
        "GET delete": client.get(delete_url(photo)).status_code,
        "POST delete": client.post(delete_url(photo), {"post": "yes"}).status_code,
    }
    listing = client.get(reverse("admin:articles_photo_changelist")).content.decode()

    assert answers == dict.fromkeys(answers, 403)
    photo.refresh_from_db()
    assert photo.caption == "남의 기사 사진" and photo.image.name == stored
    assert "남의 기사 사진" not in listing


def test_an_editor_changes_any_photo(client, editor, others_lead_photo):
    client.force_login(editor)

    response = client.post(change_url(others_lead_photo), photo_form(caption="편집자 설명"))

    assert response.status_code == 302
    others_lead_photo.refresh_from_db()
    assert others_lead_photo.caption == "편집자 설명"


def test_the_uploader_is_recorded_and_may_change_the_photo(client, reporter_user):
    client.force_login(reporter_user)
    upload(client, image_bytes(800, 600, "JPEG"))
    photo = Photo.objects.get()

    response = client.post(change_url(photo), photo_form(caption="고친 설명"))

    assert photo.uploaded_by == reporter_user
    assert response.status_code == 302
    photo.refresh_from_db()
    assert photo.caption == "고친 설명"


def own_draft(user):
    return {"reporter": user.reporter, "status": Article.Status.DRAFT}


@pytest.mark.parametrize(
    ("uploaded_by_me", "shown_by", "may_change"),
    [
        (True, [], True),
        (False, [], False),
        (False, ["own draft"], True),
        (True, ["own draft"], True),
        (False, ["own draft", "own draft"], True),
        # Changing a photo changes every story that shows it.
        (True, ["other's draft"], False),
        (False, ["own draft", "other's draft"], False),
        (False, ["own draft", "article without a reporter"], False),
        # A published (or scheduled) story is the editors' to change, its photo too.
        (True, ["own published"], False),
        (False, ["own draft", "own scheduled"], False),
    ],
)
def test_a_reporter_may_change_photos_they_uploaded_or_only_their_drafts_show(
    reporter_user, other_reporter_user, uploaded_by_me, shown_by, may_change
):
    photo = PhotoFactory(uploaded_by=reporter_user if uploaded_by_me else other_reporter_user)
    articles = {
        "own draft": own_draft(reporter_user),
        "own published": {"reporter": reporter_user.reporter},
        "own scheduled": {
            "reporter": reporter_user.reporter,
            "published_at": timezone.now() + timedelta(hours=1),
        },
        "other's draft": own_draft(other_reporter_user),
        "article without a reporter": {"reporter": None, "status": Article.Status.DRAFT},
    }
    for kind in shown_by:
        ArticleFactory(lead_photo=photo, **articles[kind])

    assert Photo.objects.editable_by(reporter_user).filter(pk=photo.pk).exists() == may_change


def test_a_reporter_still_picks_any_photo_as_a_lead_photo(client, reporter_user, others_lead_photo):
    client.force_login(reporter_user)

    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "articles", "model_name": "article", "field_name": "lead_photo"},
    )

    assert [result["id"] for result in response.json()["results"]] == [str(others_lead_photo.pk)]
