"""What a photographer wrote into a picture: caption, credit and byline, read from its
IPTC, EXIF and XMP metadata to prefill the upload form before ``pictures`` strips them.

Agencies and cameras disagree on where these go, so each is looked for in the order a
picture desk trusts them: IPTC (what agency wires fill in), then XMP, then EXIF.
"""

import re
import xml.etree.ElementTree as ET

from PIL import Image, IptcImagePlugin

from .pictures import open_image

# IPTC IIM record 2 datasets.
IPTC_BYLINE = (2, 80)
IPTC_CREDIT = (2, 110)
IPTC_COPYRIGHT = (2, 116)
IPTC_CAPTION = (2, 120)
# EXIF (TIFF) tags.
EXIF_IMAGE_DESCRIPTION = 0x010E
EXIF_ARTIST = 0x013B
EXIF_COPYRIGHT = 0x8298

XMP_NAMESPACES = {
    "dc": "http://purl.org/dc/elements/1.1/",
    "photoshop": "http://ns.adobe.com/photoshop/1.0/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
}


class Text(str):
    """Text that is already decoded (XMP is UTF-8 XML)."""


# Longer than any field we fill; the form's own limits apply after.
MAX_LENGTH = 1000


def _text(value) -> str:
    """Korean metadata arrives as UTF-8 or as EUC-KR/CP949 from older software, and Pillow
    hands EXIF text over decoded as Latin-1: return readable text, '' for what is not."""
    if isinstance(value, list | tuple):
        value = value[0] if value else b""
    if isinstance(value, str):
        try:
            value = value.encode("latin-1")
        except UnicodeEncodeError:
            return _clean(value)
    if not isinstance(value, bytes):
        return ""
    for encoding in ("utf-8", "cp949", "latin-1"):
        try:
            return _clean(value.decode(encoding))
        except UnicodeDecodeError:
            continue
    return ""


def _clean(text: str) -> str:
    text = re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", "", text).replace("\r\n", "\n").strip()
    return " ".join(text.split())[:MAX_LENGTH]


def _iptc(image: Image.Image) -> dict:
    try:
        return IptcImagePlugin.getiptcinfo(image) or {}
    except Exception:  # a broken IPTC block leaves the fields empty, not the upload refused
        return {}


def _exif(image: Image.Image) -> dict:
    try:
        return dict(image.getexif())
    except Exception:
        return {}


def _xmp(image: Image.Image) -> dict:
    packet = image.info.get("xmp") or image.info.get("XML:com.adobe.xmp") or b""
    if isinstance(packet, str):
        packet = packet.encode()
    # No document type, so no entities to expand.
    if not packet or b"<!DOCTYPE" in packet or b"<!ENTITY" in packet:
        return {}
    try:
        # No DTD (refused above), so nothing to expand; expat >= 2.4 guards the rest.
        root = ET.fromstring(packet)  # noqa: S314  # nosec B314
    except ET.ParseError:
        return {}

    def first(path: str) -> str:
        for element in root.iterfind(path, XMP_NAMESPACES):
            if element.text and element.text.strip():
                return _clean(element.text)
        return ""

    def attribute_or_element(name: str) -> str:
        prefix, local = name.split(":")
        key = f"{{{XMP_NAMESPACES[prefix]}}}{local}"
        for description in root.iterfind(".//rdf:Description", XMP_NAMESPACES):
            if description.get(key):
                return _clean(description.get(key))
        return first(f".//{name}")

    return {
        "caption": first(".//dc:description//rdf:li"),
        "byline": first(".//dc:creator//rdf:li"),
        "credit": attribute_or_element("photoshop:Credit"),
        "copyright": first(".//dc:rights//rdf:li"),
    }


def read_credits(file) -> dict[str, str]:
    """The caption, credit and byline written into an uploaded picture ('' where none).
    Raises ValidationError, as ``open_image`` does, for what is not an allowed picture."""
    image = open_image(file)
    iptc, exif, xmp = _iptc(image), _exif(image), _xmp(image)

    def pick(*values) -> str:
        texts = (value if isinstance(value, Text) else _text(value) for value in values)
        return next((text for text in texts if text), "")

    return {
        "caption": pick(
            iptc.get(IPTC_CAPTION), Text(xmp.get("caption", "")), exif.get(EXIF_IMAGE_DESCRIPTION)
        ),
        "credit": pick(
            iptc.get(IPTC_CREDIT),
            Text(xmp.get("credit", "")),
            iptc.get(IPTC_COPYRIGHT),
            Text(xmp.get("copyright", "")),
            exif.get(EXIF_COPYRIGHT),
        ),
        "byline": pick(iptc.get(IPTC_BYLINE), Text(xmp.get("byline", "")), exif.get(EXIF_ARTIST)),
    }
