"""web.jinja2: the Jinja2 parts of public pages write what Django's templates would."""

import datetime as dt

import pytest
from django.template import engines
from django.template.loader import get_template
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from web.jinja2 import render_part

UTC = dt.UTC


def render(source: str, **context) -> str:
    return engines["jinja2"].from_string(source).render(context)


def test_values_are_escaped_as_django_escapes_them():
    typed = """<b onmouseover="x">'굵게' & </b>"""
    django = engines["django"].from_string("{{ v }}").render({"v": typed})
    assert render("{{ v }}", v=typed) == django
    assert "&quot;" in django and "&#x27;" in django


def test_what_is_already_html_is_not_escaped_twice():
    assert render("{{ v }}", v=mark_safe("<b>굵게</b>")) == "<b>굵게</b>"
    assert render("{{ v }}", v="<b>") == "&lt;b&gt;"


def test_autoescaping_cannot_be_turned_off_in_the_settings():
    from web.jinja2 import environment

    assert environment(autoescape=False).autoescape is True


def test_times_show_in_korea_time_in_the_django_format():
    moment = dt.datetime(2026, 12, 1, 15, 5, 9, tzinfo=UTC)
    assert render('{{ t|date("Y-m-d H:i") }}', t=moment) == "2026-12-02 00:05"
    assert render("{{ t|isotime }}", t=moment) == "2026-12-02T00:05:09+09:00"
    django = engines["django"].from_string('{{ t|date:"SHORT_DATETIME_FORMAT" }}')
    assert render('{{ t|date("SHORT_DATETIME_FORMAT") }}', t=moment) == django.render({"t": moment})


@pytest.mark.parametrize(
    ("language", "reply", "edit", "page"),
    [("ko", "답글", "수정", "5쪽 중 2쪽"), ("en", "Reply", "Edit", "Page 2 of 5")],
)
def test_strings_come_from_the_same_catalogue_in_the_readers_language(language, reply, edit, page):
    source = (
        '{{ _("Reply") }}|{{ pgettext("comment", "Edit") }}|'
        '{{ _("Page %(number)s of %(total)s", number=2, total=5) }}'
    )
    with translation.override(language):
        shown_reply, shown_edit, shown_page = render(source).split("|")
    assert (shown_reply, shown_edit, shown_page) == (reply, edit, page)


def test_url_is_djangos_reverse():
    assert render("{{ url('comments:vote', 7) }}") == "/comments/7/vote/"


def test_a_part_is_html_for_the_django_page_around_it():
    part = render_part("ads/ad_slot.html", {"placements": []})
    assert isinstance(part, SafeString)
    assert part.strip() == ""


def test_djangos_engine_never_reads_the_jinja2_templates():
    # They live in templates/jinja2/; asked for by their own names, only Jinja2 has them.
    template = get_template("comments/comment_thread.html")
    assert template.backend.name == "jinja2"
