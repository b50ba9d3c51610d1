"""With media in an S3 bucket (moto's server), a reader's browser loads the article's photo
from the bucket, at desktop and phone widths, and the page's CSP lets it."""

import pytest
from django.core.files.base import ContentFile
from django.utils.csp import CSP

from tests.factories import ArticleFactory, PhotoFactory, image_bytes
from tests.s3 import bucket, s3_server  # noqa: F401 - fixtures

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def media_in_bucket(request, settings):
    """The bucket, and the CSP settings.py makes for it (MEDIA_URL in img-src)."""
    media_bucket = request.getfixturevalue("bucket")
    settings.SECURE_CSP = {
        **settings.SECURE_CSP,
        "img-src": [CSP.SELF, "data:", settings.MEDIA_URL],
    }
    return media_bucket


@pytest.mark.parametrize("width", [1280, 360])
def test_a_reader_sees_the_photo_from_the_bucket(page, live_server, media_in_bucket, width):
    photo = PhotoFactory(image=ContentFile(image_bytes(1600, 1000, "JPEG"), name="lead.jpg"))
    article = ArticleFactory(lead_photo=photo)
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security" in message.text else None
        ),
    )
    page.set_viewport_size({"width": width, "height": 900})

    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    picture = page.locator(".lead-photo img")
    picture.scroll_into_view_if_needed()
    page.wait_for_function(
        "element => element.complete && element.naturalWidth > 0", arg=picture.element_handle()
    )

    source = picture.evaluate("element => element.currentSrc")
    assert source.startswith(f"{media_in_bucket.endpoint}/{media_in_bucket.name}/media/photos/")
    assert refused == []
