"""Media on S3-compatible storage: every picture people upload lands in the bucket with
what is made of it, its public address is the bucket's, and readers' browsers get the
bytes back from there; a deleted photo takes its objects with it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse

from ads.models import AdSlot, Placement
from articles.models import Photo
from reporters.models import Reporter
from tests.factories import AdvertiserFactory, ArticleFactory, image_bytes
from tests.s3 import Bucket, fetch
from tests.security.test_uploads import upload_banner, upload_photo, upload_portrait

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def advertiser(db):
    return AdvertiserFactory(name="협동로봇")


def assert_served_from_the_bucket(bucket: Bucket, name: str, url: str) -> None:
    """The object is in the bucket under media/, its URL is the bucket's, and a GET of that
    URL without credentials returns its bytes."""
    stored = bucket.objects(f"media/{name}")[f"media/{name}"]
    assert url == f"{bucket.endpoint}/{bucket.name}/media/{name}"
    status, served, content_type = fetch(url)
    assert status == 200
    assert served == stored
    assert content_type.startswith("image/")


def test_an_uploaded_photo_lands_in_the_bucket_with_its_renditions(
    client, request, bucket, media_root
):
    response = upload_photo(client, request, image_bytes(1600, 1000, "JPEG"), "공장.jpg")

    assert response.status_code == 302
    photo = Photo.objects.get()
    names = photo.stored_names()
    assert len(names) == 1 + 2 * 4  # the picture, and a WebP and a JPEG at 4 widths
    assert bucket.object_keys() == {f"media/{name}" for name in names}
    assert not media_root.exists()  # nothing on the local disk
    assert_served_from_the_bucket(bucket, photo.image.name, photo.image.url)
    for rendition in photo.renditions:
        assert f"{bucket.endpoint}/{bucket.name}/media/{rendition['webp']} " in photo.webp_srcset
    assert_served_from_the_bucket(bucket, photo.renditions[-2]["jpg"], photo.fallback_url)


def test_the_article_page_shows_the_photo_from_the_bucket(client, request, bucket):
    upload_photo(client, request, image_bytes(1200, 800, "JPEG"), "lead.jpg")
    photo = Photo.objects.get()
    article = ArticleFactory(lead_photo=photo)
    client.logout()

    page = client.get(article.get_absolute_url()).content.decode()

    assert f'src="{photo.fallback_url}"' in page
    assert f'<meta property="og:image" content="{photo.fallback_url}">' in page
    assert photo.webp_srcset in page
    assert fetch(photo.fallback_url)[0] == 200


def test_a_reporter_photo_lands_in_the_bucket_and_is_served(client, request, bucket):
    response = upload_portrait(client, request, image_bytes(400, 500, "JPEG"), "kim.jpg")

    assert response.status_code == 302
    photo = Reporter.objects.get().photo
    assert photo.name.startswith("reporters/")
    assert bucket.object_keys() == {f"media/{photo.name}"}
    assert_served_from_the_bucket(bucket, photo.name, photo.url)


def test_a_banner_lands_in_the_bucket_and_is_served(client, request, bucket):
    AdSlot.objects.filter(key="sub-right").update(width=300, height=250)

    response = upload_banner(client, request, image_bytes(300, 250, "PNG"), "banner.png")

    assert response.status_code == 302, response.content.decode()[:2000]
    banner = Placement.objects.get().image
    assert bucket.object_keys() == {f"media/{banner.name}"}
    assert_served_from_the_bucket(bucket, banner.name, banner.url)


def test_deleting_a_photo_removes_its_objects_from_the_bucket(
    client, request, bucket, django_capture_on_commit_callbacks
):
    upload_photo(client, request, image_bytes(1200, 800, "JPEG"), "first.jpg")
    upload_photo(client, request, image_bytes(900, 600, "PNG"), "second.png")
    first, second = Photo.objects.order_by("created_at", "pk")
    assert len(bucket.object_keys()) == len(first.stored_names()) + len(second.stored_names())

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:articles_photo_delete", args=[first.pk]), {"post": "yes"}
        )

    assert response.status_code == 302
    assert not Photo.objects.filter(pk=first.pk).exists()
    assert bucket.object_keys() == {f"media/{name}" for name in second.stored_names()}


def test_deleting_a_reporter_or_a_placement_removes_its_picture_from_the_bucket(
    client, request, bucket, django_capture_on_commit_callbacks
):
    AdSlot.objects.filter(key="sub-right").update(width=300, height=250)
    upload_portrait(client, request, image_bytes(400, 500, "JPEG"), "kim.jpg")
    upload_banner(client, request, image_bytes(300, 250, "PNG"), "banner.png")
    assert len(bucket.object_keys()) == 2

    with django_capture_on_commit_callbacks(execute=True):
        Reporter.objects.get().delete()
        Placement.objects.all().delete()

    assert bucket.object_keys() == set()


def test_a_new_picture_for_a_photo_or_a_reporter_replaces_the_old_objects(
    client, request, bucket, django_capture_on_commit_callbacks
):
    upload_photo(client, request, image_bytes(1200, 800, "JPEG"), "first.jpg")
    upload_portrait(client, request, image_bytes(400, 500, "JPEG"), "kim.jpg")
    photo, reporter = Photo.objects.get(), Reporter.objects.get()
    old = {f"media/{name}" for name in [*photo.stored_names(), reporter.photo.name]}

    with django_capture_on_commit_callbacks(execute=True):
        photo.image = SimpleUploadedFile("second.png", image_bytes(900, 600, "PNG"))
        photo.save()
        reporter.photo = SimpleUploadedFile("lee.jpg", image_bytes(400, 500, "JPEG"))
        reporter.save()

    new = {f"media/{name}" for name in [*photo.stored_names(), reporter.photo.name]}
    assert bucket.object_keys() == new
    assert not new & old
    with django_capture_on_commit_callbacks(execute=True):
        reporter.photo = None
        reporter.save()
    assert bucket.object_keys() == {f"media/{name}" for name in photo.stored_names()}


def test_a_photo_whose_delete_is_rolled_back_keeps_its_objects(
    client, request, bucket, django_capture_on_commit_callbacks
):
    upload_photo(client, request, image_bytes(800, 600, "JPEG"), "kept.jpg")
    before = bucket.object_keys()

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        Photo.objects.get().delete()
        raise RuntimeError("the delete fails after the row went")

    assert Photo.objects.exists()
    assert bucket.object_keys() == before


def test_the_body_sanitizer_keeps_pictures_from_the_bucket(bucket, settings):
    from articles.sanitize import sanitize_body

    url = f"{settings.MEDIA_URL}photos/2026/12/a.jpg"
    body = sanitize_body(
        f'<p><img src="{url}" alt="a"><img src="https://tracker.example/p.gif"></p>'
    )

    assert url in body
    assert "tracker.example" not in body


def test_the_content_security_policy_lets_pages_show_media_from_the_bucket(bucket):
    shown = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings as s; "
            "print(s.MEDIA_URL); print(' '.join(map(str, s.SECURE_CSP['img-src'])))",
        ],
        cwd=ROOT,
        env={**os.environ, **bucket.env, "DJANGO_SETTINGS_MODULE": "newsroom.settings"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()

    media_url = f"{bucket.endpoint}/{bucket.name}/media/"
    assert shown == [media_url, f"'self' data: {media_url}"]
