"""JPEGs carrying what agencies and cameras write: IPTC, XMP and EXIF captions and credits."""

import io
import struct

from PIL import Image

UTF8_MARKER = {(1, 90): b"\x1b%G"}


def iptc_segment(fields: dict[tuple[int, int], bytes]) -> bytes:
    """An APP13 (Photoshop 3.0) segment holding IPTC IIM datasets."""
    data = b"".join(
        bytes([0x1C, record, dataset]) + struct.pack(">H", len(value)) + value
        for (record, dataset), value in fields.items()
    )
    resource = b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00" + struct.pack(">I", len(data))
    resource += data + (b"\x00" if len(data) % 2 else b"")
    payload = b"Photoshop 3.0\x00" + resource
    return b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload


def xmp_packet(*, description="", creator="", credit="") -> bytes:
    return f"""<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF
 xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"
 photoshop:Credit="{credit}"><dc:description><rdf:Alt>
 <rdf:li xml:lang="x-default">{description}</rdf:li>
 </rdf:Alt></dc:description><dc:creator><rdf:Seq><rdf:li>{creator}</rdf:li></rdf:Seq></dc:creator>
 </rdf:Description></rdf:RDF></x:xmpmeta>""".encode()


def jpeg(*, iptc=None, xmp: bytes | None = None, exif=None, size=(900, 600)) -> bytes:
    buffer = io.BytesIO()
    options = {}
    if xmp:
        options["xmp"] = xmp
    if exif is not None:
        options["exif"] = exif
    Image.new("RGB", size, "seagreen").save(buffer, "JPEG", **options)
    raw = buffer.getvalue()
    if iptc:
        raw = raw[:2] + iptc_segment(iptc) + raw[2:]
    return raw


def agency_jpeg(**kwargs) -> bytes:
    """A wire photo: UTF-8 IPTC caption, credit and byline."""
    return jpeg(
        iptc={
            **UTF8_MARKER,
            (2, 120): "스마트공장 생산라인 전경".encode(),
            (2, 110): "연합뉴스".encode(),
            (2, 80): "홍길동".encode(),
        },
        **kwargs,
    )
