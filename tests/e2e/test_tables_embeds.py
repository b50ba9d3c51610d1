"""Tables and embeds in a real browser: a reporter pastes a table from Word and one from
Excel and a YouTube link into the body editor (its table tools in Korean), saves; the
published article shows the tables in boxes that scroll by themselves on a 360 px phone,
print whole, and the video as the privacy-enhanced player; axe finds nothing serious."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from articles.models import Article

from .axe import AXE, serious_violations
from .desk import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CLIPBOARD = Path(__file__).resolve().parents[1] / "articles" / "fixtures" / "clipboard"
ADD_URL = reverse("admin:articles_article_add")
VIDEO = "https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ"

# What a paste from another program puts on the clipboard, delivered to the editor as
# the browser does: a paste event carrying text/html and text/plain.
PASTE = """async ([html, text]) => {
  const editor = document.querySelector('.prose-editor > .ProseMirror');
  editor.focus();
  // Let the editor take in where the caret went (it hears of it by "selectionchange").
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 50)));
  const data = new DataTransfer();
  if (html) data.setData('text/html', html);
  data.setData('text/plain', text);
  const event = {clipboardData: data, bubbles: true, cancelable: true};
  editor.dispatchEvent(new ClipboardEvent('paste', event));
}"""


@pytest.fixture(autouse=True)
def _needs_axe():
    if not AXE.exists():
        pytest.skip("axe-core is not installed: run `npm ci` (.ci/run does)")


@pytest.fixture
def browser_context_args(browser_context_args):
    # axe is injected as an inline script, which the Content Security Policy forbids.
    return {**browser_context_args, "bypass_csp": True}


@pytest.fixture(autouse=True)
def no_video_from_the_internet(page):
    """The player is YouTube's page: a stand-in answers for it, so the test is offline."""
    page.route(
        re.compile(r"^https://www\.youtube-nocookie\.com/"),
        lambda route: route.fulfill(
            content_type="text/html",
            body='<!doctype html><html lang="en"><title>player</title><p>player</p></html>',
        ),
    )
    yield
    page.wait_for_load_state("networkidle")
    page.context.set_offline(True)  # the writing screen's autosave must not outlive the test
    page.close()


def paste(page, html, text=""):
    page.evaluate(PASTE, [html, text])


def test_pasted_tables_and_a_video_from_the_editor_to_the_phone(page, live_server, reporter):
    log_in(page, live_server, "writer")
    page.goto(f"{live_server.url}{ADD_URL}")
    page.locator("#id_title").fill("공작기계 수주 실적")
    page.locator("#id_section").select_option(label="기계·로봇")
    body = page.locator(".prose-editor > .ProseMirror")
    body.click()
    body.press_sequentially("분기별 실적은 다음과 같다.")
    body.press("Enter")
    body.press_sequentially("지역별로는 다음과 같다.")
    body.press("Enter")
    body.press_sequentially("설명회 영상")

    def new_line_after(text):
        body.locator(":scope > p", has_text=text).click()
        # The editor (not only the page) must have left the table the last step worked in:
        # its table tools go when its own selection does.
        expect(page.get_by_role("button", name="표 삭제")).to_be_hidden()
        body.press("End")
        body.press("Enter")

    new_line_after("분기별 실적은")
    paste(page, (CLIPBOARD / "word.html").read_text(encoding="utf-8"), "구분\t수주액")
    # The table, its caption and spans arrived; Word's hidden row did not.
    table = body.locator("table").first
    expect(table.locator("caption")).to_have_text("2025년 공작기계 수주 실적")
    expect(table.locator("tr")).to_have_count(3)
    expect(table.locator("td[rowspan='2']")).to_have_text("구분")
    expect(table.locator("td[colspan='2']")).to_have_text("수주액(억 원)")

    # Inside a table the toolbar offers the table tools, in Korean.
    table.locator("td").last.click()
    for title in ["표 제목", "아래에 행 추가", "오른쪽에 열 추가", "셀 합치기", "표 삭제"]:
        expect(page.get_by_role("button", name=title)).to_be_visible()

    new_line_after("지역별로는")
    paste(page, (CLIPBOARD / "excel.html").read_text(encoding="utf-8"), "지역\t업체 수")
    expect(body.locator("table")).to_have_count(2)
    excel = body.locator("table").nth(1)
    expect(excel.locator("td[colspan='2']")).to_have_text("합계 (전국)")
    # Three more columns, from the toolbar, make it wider than a phone.
    excel.locator("td").last.click()
    for _ in range(3):
        page.get_by_role("button", name="오른쪽에 열 추가").click()
    expect(excel.locator("tr").first.locator("td, th")).to_have_count(7)

    # A YouTube link on a line of its own becomes the video...
    new_line_after("설명회 영상")
    paste(page, None, "https://youtu.be/aqz-KE-bpKQ?si=share")
    expect(body.locator(".body-embed-node iframe")).to_have_attribute("src", VIDEO)
    # ...a link inside a sentence stays text.
    body.locator(":scope > p", has_text="설명회 영상").click()
    body.press("End")
    body.press_sequentially(" 출처 ")
    paste(page, None, "https://www.youtube.com/watch?v=aqz-KE-bpKQ")
    expect(body.locator(":scope > p", has_text="출처 https://www.youtube.com")).to_be_visible()
    expect(body.locator(".body-embed-node")).to_have_count(1)
    assert serious_violations(page, exclude=(".body-embed-node iframe",)) == []

    page.get_by_role("button", name="저장", exact=True).click()
    expect(page.locator(".messagelist")).to_be_visible()

    article = Article.objects.get()
    assert article.body.count("<table>") == 2
    assert "style=" not in article.body and "class=" not in article.body
    assert f'<iframe src="{VIDEO}" title="유튜브 동영상" referrerpolicy=' in article.body

    article.status = Article.Status.PUBLISHED
    article.save()
    url = f"{live_server.url}{article.get_absolute_url()}"

    for width in (1280, 360):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(url)
        box = page.get_by_role("region", name="2025년 공작기계 수주 실적")
        expect(box).to_be_visible()
        expect(page.get_by_role("region", name="표 2")).to_be_visible()
        # The page never scrolls sideways; a table too wide scrolls inside its box.
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        box.focus()
        expect(box).to_be_focused()
        video = page.locator(f".article-body iframe[src='{VIDEO}']")
        expect(video).to_have_attribute("title", "유튜브 동영상")
        frame_box = video.bounding_box()
        assert abs(frame_box["width"] / frame_box["height"] - 16 / 9) < 0.02
        # axe cannot enter the player's frame (another origin): the frame itself is checked.
        assert serious_violations(page, exclude=(".article-body iframe",)) == []

    # On a phone a wide table scrolls inside its box, by keyboard too.
    page.goto(url)
    wide = page.get_by_role("region", name="표 2")
    scroll_width, client_width = wide.evaluate("box => [box.scrollWidth, box.clientWidth]")
    assert scroll_width > client_width  # seven columns are wider than a phone
    wide.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "() => document.querySelectorAll('.table-scroll')[1].scrollLeft > 0", timeout=2000
    )

    # Printed, nothing is clipped and every cell has its border.
    page.emulate_media(media="print")
    assert (
        page.locator(".table-scroll").first.evaluate("box => getComputedStyle(box).overflowX")
        == "visible"
    )
    assert (
        page.locator(".article-body td").first.evaluate(
            "cell => getComputedStyle(cell).borderTopStyle"
        )
        == "solid"
    )


MAP_CODE = (
    '<iframe src="https://www.google.com/maps/embed?pb=!1m18!1m12!1m3!1d3162.5!2d126.97'
    '!3d37.56!2m3!1f0!2f0!3f0!3m2!1i1024!2i768!4f13.1!5e0!3m2!1sko!2skr!4v1700000000000" '
    'width="600" height="450" style="border:0;" allowfullscreen="" loading="lazy" '
    'referrerpolicy="no-referrer-when-downgrade"></iframe>'
)


def test_a_map_from_the_toolbar_and_a_naver_map_refused(page, live_server, reporter):
    alerts = []
    page.on("dialog", lambda dialog: (alerts.append(dialog.message), dialog.accept()))
    page.route(re.compile(r"^https://www\.google\.com/"), lambda route: route.abort())
    log_in(page, live_server, "writer")
    page.goto(f"{live_server.url}{ADD_URL}")
    body = page.locator(".prose-editor > .ProseMirror")
    body.click()
    body.press_sequentially("공장 위치는 다음과 같다.")

    page.get_by_role("button", name="동영상·지도 넣기").click()
    dialog = page.locator("dialog[open]")
    dialog.get_by_label("주소").fill("https://map.naver.com/p/entry/place/11591563")
    dialog.get_by_role("button", name="넣기", exact=True).click()
    expect(body.locator(".body-embed-node")).to_have_count(0)
    assert alerts and "네이버·카카오 지도" in alerts[0]

    page.get_by_role("button", name="동영상·지도 넣기").click()
    dialog = page.locator("dialog[open]")
    dialog.get_by_label("주소").fill(MAP_CODE)
    dialog.get_by_label("화면 낭독기용 제목").fill("본사 위치")
    dialog.get_by_role("button", name="넣기", exact=True).click()
    frame = body.locator(".body-embed-node iframe")
    expect(frame).to_have_attribute("title", "본사 위치")
    expect(frame).to_have_attribute("src", re.compile(r"^https://www\.google\.com/maps/embed\?pb="))
    expect(body.locator(".body-embed-node")).to_contain_text("지도: 본사 위치")


@pytest.mark.django_db(transaction=False)
def test_an_article_with_pasted_tables_and_embeds_is_valid_html(tmp_path):
    from django.test import Client

    from articles.sanitize import sanitize_body
    from tests.e2e.test_html_validity import VNU
    from tests.factories import ArticleFactory

    if not VNU.exists() or not shutil.which("java"):
        pytest.skip("the Nu checker needs `npm ci` and Java (.ci/run has both)")
    pasted = "".join(
        (CLIPBOARD / f"{name}.html").read_text(encoding="utf-8")
        for name in ("word", "hwp", "excel", "google_sheets")
    )
    embeds = (
        '<iframe src="https://www.youtube.com/embed/aqz-KE-bpKQ" title="YouTube video player">'
        '</iframe><iframe src="https://www.google.com/maps/embed?pb=!1m2!1d3162.5"></iframe>'
    )
    article = ArticleFactory(body=sanitize_body(pasted + embeds))
    page = tmp_path / "article.html"
    page.write_bytes(Client().get(article.get_absolute_url()).content)

    result = subprocess.run(
        [shutil.which("java"), "-jar", str(VNU), "--errors-only", "--format", "json", "--stdout",
         str(page)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip

    messages = [m["message"] for m in json.loads(result.stdout)["messages"]]
    assert messages == []
    assert page.read_text().count('class="table-scroll"') == 4


def test_pasted_embed_code_without_a_title_is_named_by_its_kind(page, live_server, reporter):
    """YouTube's iframe code pasted as HTML, with no title: the editor calls it a video,
    not a map, and the saved body's frame is titled as a video; a map's code, a map."""
    page.route(re.compile(r"^https://www\.google\.com/"), lambda route: route.abort())
    log_in(page, live_server, "writer")
    page.goto(f"{live_server.url}{ADD_URL}")
    page.locator("#id_title").fill("설명회 영상")
    page.locator("#id_section").select_option(label="기계·로봇")
    body = page.locator(".prose-editor > .ProseMirror")
    body.click()
    body.press_sequentially("설명회 영상은 다음과 같다.")
    body.press("Enter")
    code = '<iframe src="https://www.youtube.com/embed/aqz-KE-bpKQ"></iframe>'
    paste(page, code)
    node = body.locator(".body-embed-node")
    expect(node).to_have_count(1)
    expect(node).to_have_text("유튜브 동영상")  # not "지도", nor "유튜브 동영상: 지도"
    expect(node.locator("iframe")).to_have_attribute("src", VIDEO)
    expect(node.locator("iframe")).to_have_attribute("title", "유튜브 동영상")

    # A map's code, pasted as HTML on a new line above the video, stays a map.
    body.locator(":scope > p", has_text="설명회 영상은").click()
    body.press("End")
    body.press("Enter")
    paste(page, MAP_CODE)
    nodes = body.locator(".body-embed-node")
    expect(nodes).to_have_count(2)
    expect(nodes.first).to_have_text("지도")
    expect(nodes.first.locator("iframe")).to_have_attribute("title", "지도")
    expect(nodes.last).to_have_text("유튜브 동영상")

    page.get_by_role("button", name="저장", exact=True).click()
    expect(page.locator(".messagelist")).to_be_visible()
    article = Article.objects.get()
    assert f'<iframe src="{VIDEO}" title="유튜브 동영상" referrerpolicy=' in article.body
    assert article.body.count('title="지도"') == 1
    assert article.body.index("maps/embed") < article.body.index(VIDEO)
