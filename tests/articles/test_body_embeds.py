"""Videos and maps in the article body: a YouTube link or embed code becomes the
privacy-enhanced player and a Google Maps embed a map, each a lazy, titled
iframe; every other frame is dropped, and the CSP allows exactly these hosts."""

import re

import pytest
from django.conf import settings as django_settings

from articles import embeds
from articles.embeds import parse_embed
from articles.sanitize import sanitize_body
from tests.factories import ArticleFactory

NOCOOKIE = "https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ"
MAP_PB = (
    "!1m18!1m12!1m3!1d3162.5!2d126.97!3d37.56!2m3!1f0!2f0!3f0!3m2!1i1024!2i768!4f13.1"
    "!5e0!3m2!1sko!2skr!4v1700000000000"
)
MAP = f"https://www.google.com/maps/embed?pb={MAP_PB}"


@pytest.mark.parametrize(
    ("pasted", "src"),
    [
        ("https://www.youtube.com/watch?v=aqz-KE-bpKQ", NOCOOKIE),
        ("https://youtube.com/watch?v=aqz-KE-bpKQ&list=PL123&index=2", NOCOOKIE),
        ("https://m.youtube.com/watch?v=aqz-KE-bpKQ", NOCOOKIE),
        ("http://www.youtube.com/watch?v=aqz-KE-bpKQ", NOCOOKIE),
        ("https://youtu.be/aqz-KE-bpKQ?si=tracking", NOCOOKIE),
        ("https://www.youtube.com/shorts/aqz-KE-bpKQ", NOCOOKIE),
        ("https://www.youtube.com/live/aqz-KE-bpKQ", NOCOOKIE),
        ("https://www.youtube.com/embed/aqz-KE-bpKQ?si=abc&autoplay=1", NOCOOKIE),
        ("//www.youtube-nocookie.com/embed/aqz-KE-bpKQ", NOCOOKIE),
        ("https://youtu.be/aqz-KE-bpKQ?t=90", f"{NOCOOKIE}?start=90"),
        ("https://www.youtube.com/watch?v=aqz-KE-bpKQ&t=1m30s", f"{NOCOOKIE}?start=90"),
        ("https://www.youtube.com/embed/aqz-KE-bpKQ?start=5", f"{NOCOOKIE}?start=5"),
        (MAP, MAP),
        (f"https://maps.google.com/maps/embed?pb={MAP_PB}", MAP),
        (
            "https://www.google.com/maps/embed?pb=!1m14!1s0x357ca2eaa5e1a7b1%3A0x4c0a0b2f0e5d1cbb",
            "https://www.google.com/maps/embed?pb=!1m14!1s0x357ca2eaa5e1a7b1%3A0x4c0a0b2f0e5d1cbb",
        ),
    ],
)
def test_youtube_and_google_maps_addresses_become_their_safe_embed(pasted, src):
    assert parse_embed(pasted).src == src


@pytest.mark.parametrize(
    "pasted",
    [
        "https://www.youtube.com/watch?v=short",  # not an 11-character video id
        "https://www.youtube.com/watch?v=aqz-KE-bpKQ%22onload=%22",
        "https://www.youtube.com/embed/aqz-KE-bpKQ/../../evil",
        "https://www.youtube.com/channel/UC123",
        "https://www.youtube.com.evil.example/embed/aqz-KE-bpKQ",
        "https://www.youtube.com@evil.example/embed/aqz-KE-bpKQ",
        "https://user:pw@www.youtube.com/embed/aqz-KE-bpKQ",
        "https://www.youtube.com:8443/embed/aqz-KE-bpKQ",
        "javascript:alert(1)//youtu.be/aqz-KE-bpKQ",
        "data:text/html,<script>alert(1)</script>",
        "ftp://youtu.be/aqz-KE-bpKQ",
        "https://vimeo.com/76979871",
        "https://www.google.com/maps/place/Seoul",  # a map page, not its embed
        "https://www.google.com/search?q=maps/embed",
        "https://www.google.com/maps/embed?pb=<script>",
        "https://www.google.com/maps/embed",
        # Naver and Kakao maps only embed through a script of theirs on our page.
        "https://map.naver.com/p/entry/place/11591563",
        "https://naver.me/5aBcDeF",
        "https://map.kakao.com/?urlX=506012&urlY=1126708",
        "https://ssl.daumcdn.net/dmaps/map_js_init/roughmapLoader.js",
        "",
        "   ",
        "not a url",
    ],
)
def test_everything_else_has_no_embed(pasted):
    assert parse_embed(pasted) is None


def iframes(html: str) -> list[dict[str, str]]:
    return [
        dict(re.findall(r'(\w[\w-]*)(?:="([^"]*)")?', attributes))
        for attributes in re.findall(r"<iframe ([^>]*)></iframe>", html)
    ]


class TestSanitizer:
    def test_youtubes_embed_code_becomes_the_privacy_enhanced_player(self):
        body = sanitize_body(
            '<p>영상</p><iframe width="560" height="315" '
            'src="https://www.youtube.com/embed/aqz-KE-bpKQ?si=Xy1" title="YouTube video player" '
            'frameborder="0" allow="accelerometer; autoplay; clipboard-write; encrypted-media; '
            'gyroscope; picture-in-picture; web-share" referrerpolicy="unsafe-url" '
            'allowfullscreen onload="alert(1)" srcdoc="<script>alert(1)</script>"></iframe>'
        )

        assert iframes(body) == [
            {
                "src": NOCOOKIE,
                "title": "유튜브 동영상",  # YouTube's English title replaced
                "referrerpolicy": "strict-origin-when-cross-origin",
                "loading": "lazy",
                "allow": "fullscreen; picture-in-picture; encrypted-media",
            }
        ]
        assert "allow-top-navigation" not in body and "allow-forms" not in body

    def test_google_maps_embed_code_becomes_a_fixed_map_frame(self):
        body = sanitize_body(
            f'<iframe src="{MAP}" width="600" height="450" style="border:0;" allowfullscreen="" '
            'loading="eager" referrerpolicy="no-referrer-when-downgrade"></iframe>'
        )

        (frame,) = iframes(body)
        assert frame["src"] == MAP.replace("&", "&amp;")
        assert frame["title"] == "지도"
        assert "style" not in frame and frame["loading"] == "lazy"

    def test_an_editors_title_is_kept_and_escaped(self):
        body = sanitize_body(
            f'<iframe src="{NOCOOKIE}" title="설명회 &quot;&gt;&lt;script&gt;x"></iframe>'
        )

        assert iframes(body)[0]["title"] == "설명회 &quot;&gt;&lt;script&gt;x"
        assert "<script" not in body

    @pytest.mark.parametrize(
        "frame",
        [
            '<iframe src="https://evil.example/embed/aqz-KE-bpKQ"></iframe>',
            '<iframe src="javascript:alert(1)"></iframe>',
            '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
            "<iframe></iframe>",
            '<iframe src="https://map.naver.com/p/entry/place/11591563"></iframe>',
            '<IFRAME SRC="https://www.youtube.com/channel/UC1">텍스트</IFRAME>',
            '<object data="https://www.youtube.com/embed/aqz-KE-bpKQ"></object>',
            '<embed src="https://www.youtube.com/embed/aqz-KE-bpKQ">',
            '<script src="https://ssl.daumcdn.net/dmaps/map_js_init/roughmapLoader.js"></script>',
            '<frame src="https://www.youtube.com/embed/aqz-KE-bpKQ">',
        ],
    )
    def test_any_other_frame_is_dropped_whole(self, frame):
        body = sanitize_body(f"<p>앞</p>{frame}<p>뒤</p>")

        assert body == "<p>앞</p><p>뒤</p>"

    def test_whatever_is_inside_an_iframe_is_dropped(self):
        body = sanitize_body(f'<iframe src="{NOCOOKIE}"><p>대체 텍스트</p></iframe>')

        assert "대체 텍스트" not in body and len(iframes(body)) == 1

    def test_sanitizing_twice_changes_nothing(self):
        once = sanitize_body(f'<iframe src="{MAP}" title="공장 위치"></iframe>')

        assert sanitize_body(once) == once


def policy(response) -> dict[str, list[str]]:
    return {
        name: values.split()
        for name, values in (
            directive.strip().split(None, 1)
            for directive in response["Content-Security-Policy"].split(";")
        )
    }


def test_the_csp_allows_exactly_the_embed_hosts_and_the_ad_networks_in_frames():
    assert list(embeds.FRAME_HOSTS) == django_settings.EMBED_FRAME_HOSTS


@pytest.mark.django_db
def test_the_article_page_shows_the_embed_and_its_csp_allows_only_those_frames(client):
    article = ArticleFactory(
        body=sanitize_body(f'<p>본문</p><iframe src="{NOCOOKIE}" title="설명회"></iframe>')
    )

    response = client.get(article.get_absolute_url())

    assert f'<iframe src="{NOCOOKIE}" title="설명회" referrerpolicy=' in response.content.decode()
    assert policy(response)["frame-src"] == [
        "'self'",
        *django_settings.AD_NETWORK_HOSTS,
        "https://www.youtube-nocookie.com",
        "https://www.google.com",
    ]
    assert "https://www.youtube.com" not in response["Content-Security-Policy"]
