"""The photo library in a real browser: a reporter picks the lead photo in the chooser,
drags a wire photo into the body (its caption and credit come from the picture), adds
another from the library with the toolbar, saves; readers see both like lead photos."""

import base64
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article, Photo
from tests.factories import PhotoFactory
from tests.images.pictures_with_metadata import agency_jpeg

from .desk import log_in
from .test_accessibility import AXE, serious_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ADD_URL = reverse("admin:articles_article_add")

DROP_FILE = """([data, name, selector]) => {
  const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0))
  const transfer = new DataTransfer()
  transfer.items.add(new File([bytes], name, { type: "image/jpeg" }))
  const target = document.querySelector(selector || ".tiptap p")
  const box = target.getBoundingClientRect()
  const at = { bubbles: true, cancelable: true, dataTransfer: transfer,
               clientX: box.left + 5, clientY: box.top + 5 }
  target.dispatchEvent(new DragEvent("dragenter", at))
  target.dispatchEvent(new DragEvent("dragover", at))
  target.dispatchEvent(new DragEvent("drop", at))
}"""


@pytest.fixture
def browser_context_args(browser_context_args):
    # axe is injected as an inline script, which the admin's Content Security Policy forbids.
    return {**browser_context_args, "bypass_csp": True}


def test_a_reporter_composes_with_the_photo_library(page, live_server, reporter):
    welding = PhotoFactory(caption="용접 로봇 시연", credit="사진=김영희 기자")
    PhotoFactory(caption="전시회 개막식", credit="연합뉴스")
    log_in(page, live_server, "writer")
    page.goto(f"{live_server.url}{ADD_URL}")
    page.locator("#id_title").fill("용접 로봇 보급 늘어")
    page.locator("#id_section").select_option(label="기계·로봇")

    # The lead photo, from the chooser: search by caption, pick a thumbnail.
    page.locator(".photo-library-button").click()
    chooser = page.locator("#photo-chooser")
    expect(chooser.get_by_role("heading")).to_have_text("사진 보관함")
    expect(chooser.locator("[data-photo]")).to_have_count(2)
    chooser.get_by_label("사진 설명·출처").fill("용접")
    chooser.get_by_role("button", name="검색").click()
    expect(chooser.locator("[data-photo]")).to_have_count(1)
    if AXE.exists():
        assert serious_violations(page) == []
    chooser.locator("[data-photo]").click()
    expect(chooser).not_to_be_visible()
    expect(page.locator("#id_lead_photo")).to_have_value(str(welding.pk))
    expect(page.locator(".field-lead_photo .select2-selection__rendered")).to_contain_text(
        "용접 로봇 시연"
    )

    # A wire photo dragged into the body: the picture's caption and credit fill the form.
    body = page.locator(".tiptap")
    body.click()
    body.press_sequentially("용접 로봇 보급이 늘고 있다.")
    page.evaluate(DROP_FILE, [base64.b64encode(agency_jpeg()).decode(), "wire.jpg"])
    upload = page.locator("#photo-upload")
    expect(upload.get_by_role("heading")).to_have_text("사진 보관함에 사진 올리기")
    expect(upload.get_by_label("사진 설명")).to_have_value("스마트공장 생산라인 전경")
    expect(upload.get_by_label("출처(크레디트)")).to_have_value("홍길동/연합뉴스")
    upload.get_by_role("button", name="올리고 넣기").click()
    expect(upload.get_by_role("alert")).to_contain_text("대체 텍스트")  # required, nothing lost
    expect(upload.get_by_label("사진 설명")).to_have_value("스마트공장 생산라인 전경")
    upload.get_by_label("대체 텍스트").fill("생산라인에서 로봇이 일하는 모습")
    upload.get_by_role("button", name="올리고 넣기").click()
    expect(upload).not_to_be_visible()
    wire = Photo.objects.get(caption="스마트공장 생산라인 전경")
    expect(body.locator(f'figure[data-photo-id="{wire.pk}"] img')).to_be_visible()

    # Another from the library, with the editor's toolbar button.
    page.locator(".prose-menubar").get_by_role("button", name="사진 보관함에서 고르기").click()
    chooser.locator("[data-photo]", has=page.get_by_role("img", name=welding.alt_text)).click()
    expect(body.locator(f'figure[data-photo-id="{welding.pk}"]')).to_have_count(1)

    page.get_by_role("button", name="저장", exact=True).click()
    expect(page.locator(".messagelist")).to_be_visible()
    article = Article.objects.get()
    assert article.lead_photo == welding
    assert f'<figure data-photo-id="{wire.pk}">' in article.body
    assert f'<figure data-photo-id="{welding.pk}">' in article.body

    # Readers see the body photos with renditions and the ▲ caption.
    Article.objects.filter(pk=article.pk).update(
        status=Article.Status.PUBLISHED, published_at=timezone.now()
    )
    page.context.clear_cookies()
    for viewport in ({"width": 1280, "height": 900}, {"width": 360, "height": 740}):
        page.set_viewport_size(viewport)
        page.goto(f"{live_server.url}{article.get_absolute_url()}")
        figures = page.locator(".article-body figure.body-photo")
        expect(figures).to_have_count(2)
        first = figures.first
        expect(first.locator("figcaption")).to_have_text(re.compile(r"^▲ 스마트공장 생산라인 전경"))
        expect(first.locator("img")).to_have_attribute("loading", "lazy")
        expect(first.locator("img")).to_have_attribute("srcset", re.compile(r"\d+w"))
        expect(first.locator("img")).to_have_attribute("alt", "생산라인에서 로봇이 일하는 모습")
        first.scroll_into_view_if_needed()
        expect(first.locator("img")).to_have_js_property("complete", True)
        assert first.locator("img").evaluate("img => img.naturalWidth") > 0
        if AXE.exists():
            assert serious_violations(page) == []


PASTE_TEXT = """async (text) => {
  const data = new DataTransfer()
  data.setData("text/plain", text)
  document.activeElement.dispatchEvent(
    new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true })
  )
}"""


def test_typing_after_a_body_photo_goes_below_it(page, live_server, reporter):
    """Whichever way a photo goes into the body (the upload button, the library, a drop),
    the caret waits in a paragraph below it: the next key or paste neither replaces the
    photo nor lands in the paragraph above."""
    log_in(page, live_server, "writer")
    page.goto(f"{live_server.url}{ADD_URL}")
    page.locator("#id_title").fill("로봇 전시회 개막")
    page.locator("#id_section").select_option(label="기계·로봇")
    body = page.locator(".tiptap")
    body.click()
    body.press_sequentially("전시회가 개막했다.")
    menubar = page.locator(".prose-menubar")
    upload = page.locator("#photo-upload")

    # The upload button, then typing straight away.
    menubar.get_by_role("button", name="본문에 사진 올리기").click()
    upload.get_by_label("사진 파일").set_input_files(
        {"name": "expo.jpg", "mimeType": "image/jpeg", "buffer": agency_jpeg()}
    )
    expect(upload.get_by_label("사진 설명")).to_have_value("스마트공장 생산라인 전경")
    upload.get_by_label("사진 설명").fill("올린 사진")
    upload.get_by_label("대체 텍스트").fill("전시장 입구")
    upload.get_by_role("button", name="올리고 넣기").click()
    expect(upload).not_to_be_visible()
    uploaded = Photo.objects.get(caption="올린 사진")
    expect(body.locator(f'figure[data-photo-id="{uploaded.pk}"]')).to_have_count(1)
    page.keyboard.type("X 올린 사진 아래.")
    expect(body.locator(f'figure[data-photo-id="{uploaded.pk}"]')).to_have_count(1)
    expect(body.locator(f'figure[data-photo-id="{uploaded.pk}"] + p')).to_have_text(
        "X 올린 사진 아래."
    )

    # From the library, then a paste straight away.
    library = PhotoFactory(caption="관람객 행렬", credit="연합뉴스")
    menubar.get_by_role("button", name="사진 보관함에서 고르기").click()
    chooser = page.locator("#photo-chooser")
    chooser.locator("[data-photo]", has=page.get_by_role("img", name=library.alt_text)).click()
    expect(chooser).not_to_be_visible()
    expect(body.locator(f'figure[data-photo-id="{library.pk}"]')).to_have_count(1)
    page.evaluate(PASTE_TEXT, "보관함 사진 아래.")
    expect(body.locator(f'figure[data-photo-id="{library.pk}"]')).to_have_count(1)
    expect(body.locator(f'figure[data-photo-id="{library.pk}"] + p')).to_have_text(
        "보관함 사진 아래."
    )

    # Dropped on a new empty line, then typing straight away.
    page.keyboard.press("Enter")
    expect(body.locator(":scope > p").last).to_have_text("")
    page.evaluate(
        DROP_FILE,
        [base64.b64encode(agency_jpeg()).decode(), "drop.jpg", ".tiptap > p:last-child"],
    )
    expect(upload.get_by_label("사진 설명")).to_have_value("스마트공장 생산라인 전경")
    upload.get_by_label("사진 설명").fill("끌어 놓은 사진")
    upload.get_by_label("대체 텍스트").fill("전시장 내부")
    upload.get_by_role("button", name="올리고 넣기").click()
    expect(upload).not_to_be_visible()
    dropped = Photo.objects.get(caption="끌어 놓은 사진")
    expect(body.locator(f'figure[data-photo-id="{dropped.pk}"]')).to_have_count(1)
    page.keyboard.type("끌어 놓은 사진 아래.")
    expect(body.locator(f'figure[data-photo-id="{dropped.pk}"] + p')).to_have_text(
        "끌어 놓은 사진 아래."
    )
    # Nothing went to the end of the paragraph above.
    expect(body.locator(f'figure[data-photo-id="{library.pk}"] + p')).to_have_text(
        "보관함 사진 아래."
    )

    page.get_by_role("button", name="저장", exact=True).click()
    expect(page.locator(".messagelist")).to_be_visible()
    saved = Article.objects.get().body
    for photo, text in (
        (uploaded, "X 올린 사진 아래."),
        (library, "보관함 사진 아래."),
        (dropped, "끌어 놓은 사진 아래."),
    ):
        below = rf'<figure data-photo-id="{photo.pk}">.*?</figure><p>{re.escape(text)}</p>'
        assert re.search(below, saved), (photo, saved)
