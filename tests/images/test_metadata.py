from django.core.files.base import ContentFile
from PIL import Image

from images.metadata import read_credits
from tests.images.pictures_with_metadata import agency_jpeg, jpeg, xmp_packet


def credits_of(raw: bytes) -> dict:
    return read_credits(ContentFile(raw, name="photo.jpg"))


def test_iptc_caption_credit_and_byline_are_read():
    assert credits_of(agency_jpeg()) == {
        "caption": "스마트공장 생산라인 전경",
        "credit": "연합뉴스",
        "byline": "홍길동",
    }


def test_iptc_written_in_euc_kr_by_older_software_is_read():
    raw = jpeg(iptc={(2, 120): "공장 전경".encode("cp949"), (2, 80): "김영희".encode("cp949")})

    assert credits_of(raw) == {"caption": "공장 전경", "credit": "", "byline": "김영희"}


def test_iptc_copyright_stands_in_for_a_missing_credit():
    raw = jpeg(iptc={(1, 90): b"\x1b%G", (2, 116): "ⓒ 기계신문".encode()})

    assert credits_of(raw)["credit"] == "ⓒ 기계신문"


def test_xmp_description_creator_and_credit_are_read():
    raw = jpeg(xmp=xmp_packet(description="로봇 팔 조립", creator="김영희", credit="뉴스1"))

    assert credits_of(raw) == {"caption": "로봇 팔 조립", "credit": "뉴스1", "byline": "김영희"}


def test_exif_description_artist_and_copyright_are_read():
    exif = Image.Exif()
    exif[0x010E] = b"Assembly line"
    exif[0x013B] = "홍길동".encode()
    exif[0x8298] = "(c) 기계신문".encode()

    assert credits_of(jpeg(exif=exif)) == {
        "caption": "Assembly line",
        "credit": "(c) 기계신문",
        "byline": "홍길동",
    }


def test_iptc_wins_over_exif():
    exif = Image.Exif()
    exif[0x010E] = b"camera default text"

    assert credits_of(agency_jpeg(exif=exif))["caption"] == "스마트공장 생산라인 전경"


def test_xmp_with_entities_is_not_expanded():
    packet = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'

    assert credits_of(jpeg(xmp=packet)) == {"caption": "", "credit": "", "byline": ""}


def test_a_picture_without_metadata_gives_empty_fields():
    assert credits_of(jpeg()) == {"caption": "", "credit": "", "byline": ""}
