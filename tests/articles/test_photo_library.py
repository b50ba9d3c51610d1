"""The photo library on the desk: chooser, upload from the editor, prefill from the
picture's own metadata, and library photos inside an article's body on the public page."""

import io
import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from articles.admin_photos import CHOOSER_PAGE_SIZE
from articles.models import Article, Photo
from articles.sanitize import sanitize_body
from tests.factories import ArticleFactory, PhotoFactory, UserFactory, image_bytes
from tests.images.pictures_with_metadata import agency_jpeg

pytestmark = pytest.mark.django_db

UPLOAD = reverse("admin:articles_photo_upload")
METADATA = reverse("admin:articles_photo_metadata")
CHOOSE = reverse("admin:articles_photo_choose")


def picture(content: bytes | None = None, name="wire.jpg"):
    return SimpleUploadedFile(name, content or agency_jpeg(), content_type="image/jpeg")


def upload(client, content: bytes | None = None, **fields):
    data = {"caption": "", "credit": "", "alt_text": "공장 건물 사진", **fields}
    return client.post(UPLOAD, {**data, "image": picture(content)})


def body_with(photo: Photo, caption="편집기에 보이는 설명") -> str:
    return (
        "<p>첫 문단이다.</p>"
        f'<figure data-photo-id="{photo.pk}">'
        f'<img src="{photo.fallback_url}" alt="{photo.alt_text}">'
        f"<figcaption>{caption}</figcaption></figure><p>둘째 문단이다.</p>"
    )


# ---- upload from the editor -------------------------------------------------------------


class TestUpload:
    def test_a_reporter_uploads_a_photo_into_the_library(self, client, reporter_user, media_root):
        client.force_login(reporter_user)

        response = upload(client, caption="공장 전경", credit="사진=홍길동 기자")

        assert response.status_code == 201
        photo = Photo.objects.get()
        assert photo.uploaded_by == reporter_user
        assert (photo.caption, photo.credit, photo.alt_text) == (
            "공장 전경",
            "사진=홍길동 기자",
            "공장 건물 사진",
        )
        answer = response.json()
        assert answer["photo"]["id"] == photo.pk
        assert answer["photo"]["src"] == photo.fallback_url
        assert answer["photo"]["alt"] == "공장 건물 사진"
        # What the picture said, for the form; the stored picture says nothing any more.
        assert answer["metadata"]["caption"] == "스마트공장 생산라인 전경"
        stored = (media_root / photo.image.name).read_bytes()
        assert "연합뉴스".encode() not in stored and b"Photoshop 3.0" not in stored
        assert not Image.open(io.BytesIO(stored)).getexif()

    def test_alt_text_is_required_and_the_picture_prefills_the_rest(self, client, reporter_user):
        client.force_login(reporter_user)

        response = upload(client, alt_text="")

        assert response.status_code == 400
        answer = response.json()
        assert "alt_text" in answer["errors"]
        assert answer["metadata"] == {
            "caption": "스마트공장 생산라인 전경",
            "credit": "연합뉴스",
            "byline": "홍길동",
        }
        assert not Photo.objects.exists()

    def test_a_file_that_is_not_a_picture_is_refused_with_the_reason(self, client, editor):
        client.force_login(editor)

        response = upload(client, content=b"%PDF-1.4 not a picture")

        assert response.status_code == 400
        assert response.json()["errors"]["image"] == [
            "올바른 이미지(JPEG, PNG, WebP, GIF)를 올려 주세요."
        ]
        assert not Photo.objects.exists()

    def test_the_upload_needs_the_csrf_token(self, reporter_user):
        client = Client(enforce_csrf_checks=True)
        client.force_login(reporter_user)

        assert upload(client).status_code == 403
        assert not Photo.objects.exists()

    def test_the_upload_takes_only_post(self, client, reporter_user):
        client.force_login(reporter_user)

        assert client.get(UPLOAD).status_code == 405

    @pytest.mark.parametrize("role", ["moderator", "ad_staff"])
    def test_staff_who_may_not_add_photos_are_refused(self, client, role, request):
        client.force_login(request.getfixturevalue(role))

        assert upload(client).status_code == 403
        assert client.post(METADATA, {"image": picture()}).status_code == 403
        assert not Photo.objects.exists()

    def test_readers_and_anonymous_visitors_are_sent_to_the_login(self, client, reader):
        for user in (reader, None):
            if user:
                client.force_login(user)
            response = upload(client)
            assert response.status_code == 302
            assert reverse("admin:login") in response["Location"]
        assert not Photo.objects.exists()


class TestMetadata:
    def test_the_picture_says_its_caption_credit_and_byline(self, client, reporter_user):
        client.force_login(reporter_user)

        response = client.post(METADATA, {"image": picture()})

        assert response.status_code == 200
        assert response.json()["metadata"] == {
            "caption": "스마트공장 생산라인 전경",
            "credit": "연합뉴스",
            "byline": "홍길동",
        }
        assert not Photo.objects.exists()

    def test_a_broken_file_gets_the_reason(self, client, reporter_user):
        client.force_login(reporter_user)

        response = client.post(METADATA, {"image": picture(b"GIF89a broken")})

        assert response.status_code == 400
        assert "image" in response.json()["errors"]

    def test_the_librarys_add_form_asks_for_the_metadata(self, client, editor):
        client.force_login(editor)

        page = client.get(reverse("admin:articles_photo_add")).content.decode()

        assert "js/admin/photo_metadata.js" in page
        assert f'data-photo-metadata-url="{METADATA}"' in page


# ---- the chooser ------------------------------------------------------------------------


def make_photos(count: int, **fields) -> list[Photo]:
    return [PhotoFactory(**fields) for _ in range(count)]


class TestChooser:
    def test_lists_newest_first_with_thumbnails_caption_credit_and_date(
        self, client, reporter_user
    ):
        older = PhotoFactory(caption="예전 사진")
        Photo.objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(days=3))
        newer = PhotoFactory(caption="새 사진", credit="사진=김영희 기자")
        client.force_login(reporter_user)

        page = client.get(CHOOSE).content.decode()

        assert page.index("새 사진") < page.index("예전 사진")
        assert "사진=김영희 기자" in page
        assert f'src="{newer.renditions[0]["jpg"]}' not in page  # a URL, not a file name
        assert 'loading="lazy"' in page and "/media/" in page
        item = json.loads(page.split('data-photo="', 1)[1].split('"', 1)[0].replace("&quot;", '"'))
        assert item["id"] == newer.pk and item["alt"] == newer.alt_text
        assert timezone.localtime(newer.created_at).strftime("%Y-%m-%d %H:%M") in page

    def test_searches_caption_and_credit(self, client, reporter_user):
        PhotoFactory(caption="용접 로봇 시연", credit="사진=홍길동 기자")
        PhotoFactory(caption="전시회 개막식", credit="연합뉴스")
        client.force_login(reporter_user)

        by_caption = client.get(CHOOSE, {"q": "용접"}).content.decode()
        by_credit = client.get(CHOOSE, {"q": "연합"}).content.decode()
        by_both = client.get(CHOOSE, {"q": "개막식 연합"}).content.decode()

        assert "용접 로봇" in by_caption and "전시회" not in by_caption
        assert "전시회" in by_credit and "용접 로봇" not in by_credit
        assert "전시회" in by_both and "용접 로봇" not in by_both

    def test_searches_by_upload_date_in_korea_time(self, client, reporter_user):
        old = PhotoFactory(caption="지난달 사진")
        Photo.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=30))
        PhotoFactory(caption="오늘 사진")
        client.force_login(reporter_user)
        today = timezone.localdate().isoformat()

        page = client.get(CHOOSE, {"date_from": today, "date_to": today}).content.decode()

        assert "오늘 사진" in page and "지난달 사진" not in page

    def test_a_reversed_date_range_says_so(self, client, reporter_user):
        client.force_login(reporter_user)

        page = client.get(CHOOSE, {"date_from": "2026-05-02", "date_to": "2026-05-01"})

        assert "시작 날짜가 끝 날짜보다 뒤입니다." in page.content.decode()

    def test_pages_through_the_library(self, client, reporter_user):
        make_photos(CHOOSER_PAGE_SIZE + 2)
        client.force_login(reporter_user)

        first = client.get(CHOOSE).content.decode()
        second = client.get(CHOOSE, {"page": 2}).content.decode()

        assert first.count("data-photo=") == CHOOSER_PAGE_SIZE
        assert 'data-chooser-page="2"' in first
        assert second.count("data-photo=") == 2
        assert 'data-chooser-page="1"' in second

    def test_every_photo_is_pickable_not_only_ones_own(self, client, reporter_user):
        PhotoFactory(caption="다른 기자의 사진", uploaded_by=UserFactory(username="someone"))
        client.force_login(reporter_user)

        assert "다른 기자의 사진" in client.get(CHOOSE).content.decode()

    @pytest.mark.parametrize("role", ["moderator", "ad_staff"])
    def test_staff_outside_the_newsroom_may_not_browse(self, client, role, request):
        client.force_login(request.getfixturevalue(role))

        assert client.get(CHOOSE).status_code == 403

    def test_anonymous_visitors_are_sent_to_the_login(self, client):
        assert client.get(CHOOSE).status_code == 302


class TestWritingScreen:
    def test_offers_the_library_for_the_lead_photo_and_the_body(self, client, reporter_user):
        client.force_login(reporter_user)

        page = client.get(reverse("admin:articles_article_add")).content.decode()

        assert 'id="photo-chooser"' in page and 'id="photo-upload"' in page
        assert f'data-url="{CHOOSE}"' in page and f'action="{UPLOAD}"' in page
        assert "js/admin/photos.js" in page
        assert "&quot;BodyPhoto&quot;:true" in page  # the body editor's own extension
        # The dialogs are outside the article's form: no form inside a form.
        form_end = page.index("</form>")
        assert page.index('id="photo-upload"') > form_end

    def test_those_who_only_read_an_article_get_no_library(self, client, moderator):
        article = ArticleFactory()
        client.force_login(moderator)

        page = client.get(reverse("admin:articles_article_change", args=[article.pk]))

        assert 'id="photo-chooser"' not in page.content.decode()


# ---- the body on the public page --------------------------------------------------------


class TestSanitizer:
    def test_keeps_the_photo_reference_and_nothing_a_reporter_could_abuse(self):
        body = sanitize_body(
            '<figure data-photo-id="12" class="x" style="color:red" '
            'onclick="alert(1)" data-other="1"><img src="/media/a.jpg" alt="사진" '
            'onerror="alert(1)" srcset="https://evil.example/x.jpg 1w"></figure>'
            '<figure data-photo-id="1 or 1=1"><img src="https://evil.example/p.gif"></figure>'
            '<p data-photo-id="3">문단</p>'
        )

        assert body == (
            '<figure data-photo-id="12"><img src="/media/a.jpg" alt="사진"></figure>'
            "<figure></figure><p>문단</p>"  # the image without an address goes
        )


class TestPublicPage:
    def test_a_body_photo_shows_like_the_lead_photo(self, client):
        photo = PhotoFactory(
            image=SimpleUploadedFile("big.jpg", image_bytes(1600, 1000, "JPEG")),
            caption="라이브러리의 사진 설명",
            credit="사진=홍길동 기자",
        )
        article = ArticleFactory(body=body_with(photo))

        page = client.get(article.get_absolute_url()).content.decode()
        body = page.split('class="article-body"', 1)[1].split("</div>", 1)[0]

        assert '<figure class="body-photo">' in body
        assert f'srcset="{photo.webp_srcset}"' in body
        assert f'srcset="{photo.jpeg_srcset}"' in body
        assert f'width="{photo.width}" height="{photo.height}"' in body
        assert 'loading="lazy"' in body
        assert f'alt="{photo.alt_text}"' in body
        assert "▲ 라이브러리의 사진 설명" in body
        assert '<span class="credit">사진=홍길동 기자</span>' in body
        assert "편집기에 보이는 설명" not in body  # the library's caption is the one shown
        assert body.index("첫 문단") < body.index("body-photo") < body.index("둘째 문단")

    def test_link_previews_show_the_first_body_photo_when_there_is_no_lead_photo(self, client):
        photo = PhotoFactory(alt_text="용접 로봇이 차체를 잇는 모습")
        article = ArticleFactory(lead_photo=None, body=body_with(photo))

        page = client.get(article.get_absolute_url()).content.decode()

        assert f'<meta property="og:image" content="http://testserver{photo.fallback_url}">' in page
        assert '<meta property="og:image:alt" content="용접 로봇이 차체를 잇는 모습">' in page

    def test_a_photo_deleted_from_the_library_leaves_the_body(self, client):
        photo = PhotoFactory()
        article = ArticleFactory(body=body_with(photo))
        photo.delete()

        body = client.get(article.get_absolute_url()).content.decode()

        assert "data-photo-id" not in body and "<figure" not in body.split("article-body")[1]
        assert "둘째 문단" in body

    def test_captions_are_escaped(self, client):
        photo = PhotoFactory(caption='<script>alert("x")</script>', credit="<b>굵게</b>")
        article = ArticleFactory(body=body_with(photo))

        page = client.get(article.get_absolute_url()).content.decode()

        assert "<script>alert" not in page and "&lt;script&gt;alert" in page
        assert "&lt;b&gt;굵게&lt;/b&gt;" in page

    def test_a_new_caption_shows_at_once_on_a_cached_page(self, settings):
        settings.PAGE_CACHE_SECONDS = 60
        photo = PhotoFactory(caption="처음 설명")
        article = ArticleFactory(body=body_with(photo))
        url = article.get_absolute_url()
        assert "처음 설명" in Client().get(url).content.decode()

        photo.caption = "고친 설명"
        photo.save()

        page = Client().get(url).content.decode()
        assert "고친 설명" in page and "처음 설명" not in page

    def test_the_lead_is_not_the_photo_caption(self):
        photo = PhotoFactory()
        article = ArticleFactory(
            summary="",
            body=f'<figure data-photo-id="{photo.pk}"><img src="/media/a.jpg" alt="x">'
            "<figcaption>사진 설명</figcaption></figure><p>기사 첫 문장.</p>",
        )

        assert article.lead == "기사 첫 문장."
        listed = Article.objects.for_listing().get(pk=article.pk)
        assert listed.lead == "기사 첫 문장."

    def test_one_query_for_all_the_body_photos(self, client, django_assert_num_queries):
        photos = make_photos(3)
        article = ArticleFactory(body="".join(body_with(photo) for photo in photos))
        from articles.body_photos import render_body

        with django_assert_num_queries(1):
            html = render_body(article.body)

        assert html.count('class="body-photo"') == 3


def test_json_ld_lists_the_body_photos_after_the_lead_photo(client):
    lead, inside = PhotoFactory(), PhotoFactory()
    article = ArticleFactory(lead_photo=lead, body=body_with(inside) + body_with(lead))

    page = client.get(article.get_absolute_url()).content.decode()
    data = json.loads(page.split('<script type="application/ld+json">', 1)[1].split("</script>")[0])

    assert data["image"] == [
        f"http://testserver{lead.fallback_url}",
        f"http://testserver{inside.fallback_url}",
    ]


class TestWhoMayChangeABodyPhoto:
    """Changing a photo changes every story that shows it, in its body too."""

    def test_not_a_reporter_when_a_published_story_shows_it_in_its_body(
        self, client, reporter_user
    ):
        photo = PhotoFactory(uploaded_by=reporter_user)
        ArticleFactory(reporter=reporter_user.reporter, body=body_with(photo))
        client.force_login(reporter_user)

        url = reverse("admin:articles_photo_change", args=[photo.pk])
        response = client.post(url, {"caption": "바꾼 설명", "credit": "", "alt_text": "x"})

        assert response.status_code == 403
        photo.refresh_from_db()
        assert photo.caption != "바꾼 설명"

    def test_not_a_reporter_when_another_reporters_draft_shows_it(
        self, reporter_user, other_reporter_user
    ):
        photo = PhotoFactory(uploaded_by=reporter_user)
        ArticleFactory(
            reporter=other_reporter_user.reporter,
            status=Article.Status.DRAFT,
            body=body_with(photo),
        )

        assert not Photo.objects.editable_by(reporter_user).filter(pk=photo.pk).exists()

    def test_a_reporter_whose_own_draft_shows_it(self, reporter_user, other_reporter_user):
        photo = PhotoFactory(uploaded_by=other_reporter_user)
        ArticleFactory(
            reporter=reporter_user.reporter, status=Article.Status.DRAFT, body=body_with(photo)
        )
        # Another photo's number that starts with this one's does not count.
        PhotoFactory.create_batch(10)
        longer = Photo.objects.filter(pk__startswith=str(photo.pk)).exclude(pk=photo.pk).first()
        if longer:
            ArticleFactory(reporter=other_reporter_user.reporter, body=body_with(longer))

        assert Photo.objects.editable_by(reporter_user).filter(pk=photo.pk).exists()


def test_deleting_a_photo_names_the_stories_whose_body_shows_it(client, editor):
    photo = PhotoFactory()
    shown = ArticleFactory(title="본문에 사진이 실린 기사", body=body_with(photo))
    ArticleFactory(title="사진 없는 기사")
    client.force_login(editor)

    page = client.get(reverse("admin:articles_photo_delete", args=[photo.pk])).content.decode()

    assert "다음 기사는 본문에 이 사진을 싣고 있어" in page
    assert "본문에 사진이 실린 기사" in page and "사진 없는 기사" not in page
    assert reverse("admin:articles_article_change", args=[shown.pk]) in page

    client.post(reverse("admin:articles_photo_delete", args=[photo.pk]), {"post": "yes"})
    assert not Photo.objects.filter(pk=photo.pk).exists()
    assert "body-photo" not in client.get(shown.get_absolute_url()).content.decode()
