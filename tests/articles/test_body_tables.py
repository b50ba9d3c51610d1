"""Tables pasted from HWP (한글), Word, Excel and Google Sheets: the sanitizer keeps their
structure and none of their look, and the article page shows each in a labelled box that
scrolls by itself on a phone. The clipboard samples are in fixtures/clipboard/."""

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from articles.body_tables import present
from articles.models import Article
from articles.sanitize import sanitize_body
from tests.articles.test_admin import article_form, change_url
from tests.factories import ArticleFactory, SectionFactory

CLIPBOARD = Path(__file__).parent / "fixtures" / "clipboard"


def clipboard(name: str) -> str:
    return (CLIPBOARD / f"{name}.html").read_text(encoding="utf-8")


def rows(html: str) -> list[list[str]]:
    """Each row's cells as text, with their spans: [["th:구분", "td:1,234 colspan=2"], ...]."""
    table = []
    for row in re.findall(r"<tr>(.*?)</tr>", html, re.DOTALL):
        cells = []
        for name, attributes, content in re.findall(r"<(th|td)([^>]*)>(.*?)</\1>", row, re.DOTALL):
            text = " ".join(re.sub(r"<[^>]+>", "", content).split())
            cells.append(f"{name}:{text}{attributes}")
        table.append(cells)
    return table


JUNK = re.compile(
    r"\s(style|class|width|height|border|cellspacing|cellpadding|align|valign|lang|x:num|"
    r"data-sheets-value|xmlns)=|mso-|<o:p|<span|<col|<font|<!--|<style|<meta|google-sheets",
    re.IGNORECASE,
)


class TestPastedTablesKeepTheirStructureAndLoseTheirLook:
    def test_word_table_with_caption_spans_and_the_hidden_misaligned_row(self):
        body = sanitize_body(clipboard("word"))

        assert body.count("<table>") == 1
        assert "<caption>2025년 공작기계 수주 실적</caption>" in body
        assert rows(body) == [
            ['td:구분 rowspan="2"', 'td:수주액(억 원) colspan="2"'],
            ["td:내수", "td:수출"],
            ["td:1분기", "td:1,234", "td:2,345"],
        ]  # Word's row of empty cells after <![if !supportMisalignedColumns]> is gone
        assert "<b>구분</b>" in body  # the bold stays, as the reporter typed it
        assert not JUNK.search(body), JUNK.search(body)

    def test_hwp_table_with_a_cell_spanning_two_rows(self):
        body = sanitize_body(clipboard("hwp"))

        assert rows(body) == [
            ["td:품목", "td:2024년", "td:2025년"],
            ["td:감속기", "td:41.2%", 'td:집계 중 rowspan="2"'],
            ["td:서보모터", "td:27.9%"],
        ]
        assert "<p>※ 자료: 한국기계산업진흥회</p>" in body
        assert not JUNK.search(body), JUNK.search(body)

    def test_excel_range_with_a_merged_total_cell(self):
        body = sanitize_body(clipboard("excel"))

        assert rows(body) == [
            ["td:지역", "td:업체 수", "td:생산액", "td:비중"],
            ["td:경남", "td:1,204", "td:8,123,456", "td:31.2%"],
            ["td:경기", "td:987", "td:6,543,210", "td:25.1%"],
            ['td:합계 (전국) colspan="2"', "td:26,012,345", "td:100.0%"],
        ]
        assert not JUNK.search(body), JUNK.search(body)

    def test_google_sheets_range(self):
        body = sanitize_body(clipboard("google_sheets"))

        assert rows(body) == [["td:전시회", "td:기간"], ["td:SIMTOS 2026", "td:4월 13~17일"]]
        assert not JUNK.search(body), JUNK.search(body)

    def test_the_editors_own_table_markup_is_kept_without_its_widths(self):
        editor_html = (
            '<table style="min-width: 75px"><caption>표 제목</caption><colgroup>'
            '<col style="min-width: 25px"></colgroup><tbody><tr><th colspan="1" rowspan="1">'
            '<p>항목</p></th><th colspan="2" rowspan="1"><p>값</p></th></tr></tbody></table>'
        )

        assert sanitize_body(editor_html) == (
            "<table><caption>표 제목</caption><tbody><tr><th><p>항목</p></th>"
            '<th colspan="2"><p>값</p></th></tr></tbody></table>'
        )


@pytest.mark.parametrize(
    ("cell", "kept"),
    [
        ('<td colspan="3">', '<td colspan="3">'),
        ('<td colspan="1" rowspan="1">', "<td>"),  # the default: noise
        ('<td colspan="0">', "<td>"),
        ('<td colspan="-2">', "<td>"),
        ('<td colspan="2x">', "<td>"),
        ('<td colspan="٣">', "<td>"),  # digits, but not ASCII ones
        ('<td colspan="1001">', "<td>"),  # beyond HTML's limit
        ('<td rowspan=" 4 ">', '<td rowspan="4">'),
        ('<th scope="COL">', '<th scope="col">'),
        ('<th scope="rowgroup">', '<th scope="rowgroup">'),
        ('<th scope="everything">', "<th>"),
        ('<td scope="row">', "<td>"),  # scope belongs on header cells
        ('<td onclick="alert(1)" style="background:url(javascript:alert(1))">', "<td>"),
        ('<td bgcolor="red" class="xl65" id="x" abbr="a" headers="h">', "<td>"),
    ],
)
def test_only_spans_and_scope_survive_on_cells(cell, kept):
    name = "th" if cell.startswith("<th") else "td"
    body = sanitize_body(f"<table><tr>{cell}값</{name}></tr></table>")

    assert f"<tr>{kept}값</{name}></tr>" in body


def test_tables_attributes_are_all_dropped():
    body = sanitize_body(
        '<table border="1" summary="s" style="width:100%" class="x" onmouseover="x()" '
        'align="center"><tr><td>1</td></tr></table>'
    )

    assert body == "<table><tbody><tr><td>1</td></tr></tbody></table>"


def test_rows_of_the_editors_empty_cells_are_kept():
    # Only rows of cells with nothing at all (Word's hidden row) go; an empty row the
    # reporter made in the editor has paragraphs in its cells and stays.
    body = sanitize_body("<table><tr><td>1</td></tr><tr><td><p></p></td></tr></table>")

    assert body.count("<tr>") == 2


class TestPresent:
    def test_each_table_gets_a_focusable_region_named_by_its_caption_or_number(self):
        html = present(
            sanitize_body(
                "<table><caption>분기별 &lt;수주&gt; 실적</caption><tr><td>1</td></tr></table>"
                "<p>사이</p><table><tr><td>2</td></tr></table>"
            )
        )

        boxes = re.findall(r'<div class="table-scroll"([^>]*)><table>', html)
        assert boxes == [
            ' role="region" tabindex="0" aria-label="분기별 &lt;수주&gt; 실적"',
            ' role="region" tabindex="0" aria-label="표 2"',
        ]
        assert html.count("</table></div>") == 2

    def test_header_rows_head_columns_and_a_first_header_cell_heads_its_row(self):
        html = present(
            sanitize_body(
                '<table><tr><th rowspan="2">구분</th><th colspan="2">수주액</th></tr>'
                "<tr><th>내수</th><th>수출</th></tr>"
                "<tr><th>1분기</th><td>1</td><td>2</td></tr>"
                '<tr><td>합계</td><th scope="col">3</th><td>4</td></tr></table>'
            )
        )

        assert rows(html) == [
            ['th:구분 rowspan="2" scope="col"', 'th:수주액 colspan="2" scope="col"'],
            ['th:내수 scope="col"', 'th:수출 scope="col"'],
            ['th:1분기 scope="row"', "td:1", "td:2"],
            ["td:합계", 'th:3 scope="col"', "td:4"],  # an editor's own scope is kept
        ]

    def test_a_body_without_tables_is_untouched(self):
        assert present("<p>표 없는 본문</p>") == "<p>표 없는 본문</p>"


@pytest.mark.django_db
class TestArticlePage:
    def test_shows_the_pasted_table_in_its_scrolling_box(self, client):
        article = ArticleFactory(body=sanitize_body(clipboard("word")))

        content = client.get(article.get_absolute_url()).content.decode()

        assert (
            '<div class="table-scroll" role="region" tabindex="0" '
            'aria-label="2025년 공작기계 수주 실적"><table>'
        ) in content
        body = content[content.index('<div class="article-body">') :]
        body = body[: body.index('<footer class="article-footer">')]
        assert "style=" not in body and "mso-" not in body

    def test_a_changed_table_shows_at_once_with_the_page_cache_on(self, client, settings):
        settings.PAGE_CACHE_SECONDS = 300
        article = ArticleFactory(body="<table><tr><td>첫 값</td></tr></table>")
        client.get(article.get_absolute_url())

        article.body = "<table><tr><td>고친 값</td></tr></table>"
        article.save()

        assert "고친 값" in client.get(article.get_absolute_url()).content.decode()


@pytest.mark.django_db
class TestSavedFromTheAdmin:
    """The body is sanitized on the server whoever posts it, whatever the browser sent."""

    @pytest.mark.parametrize("role", ["reporter_user", "editor"])
    def test_a_pasted_table_is_stored_clean(self, role, request):
        user = request.getfixturevalue(role)
        client = Client()
        client.force_login(user)
        section = SectionFactory()

        response = client.post(
            reverse("admin:articles_article_add"),
            article_form(section, body=clipboard("hwp")),
        )

        assert response.status_code == 302, response.context["adminform"].form.errors
        body = Article.objects.get().body
        assert body.startswith("<table>") and 'rowspan="2"' in body
        assert not JUNK.search(body)

    @pytest.mark.parametrize("role", ["moderator", "ad_staff", "reader", None])
    def test_who_may_not_write_articles_cannot_post_a_body(self, role, request):
        article = ArticleFactory(body="<p>원래 본문</p>")
        client = Client()
        if role:
            client.force_login(request.getfixturevalue(role))

        response = client.post(
            change_url(article), article_form(article.section, article, body=clipboard("word"))
        )

        assert response.status_code in (302, 403)
        if response.status_code == 302:
            assert reverse("admin:login") in response["Location"]
        article.refresh_from_db()
        assert article.body == "<p>원래 본문</p>"
