"""Logo checks: the type is read from the content; SVGs may not script, link out or declare entities."""

import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from partnership.logos import logo_check


def _bitmap(kind):
    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), "#1d70b8").save(buffer, format=kind)
    return buffer.getvalue()


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10" fill="#1d70b8"/></svg>'


@pytest.mark.parametrize(("data", "content_type"), [(_bitmap("PNG"), "image/png"), (_bitmap("JPEG"), "image/jpeg"), (SVG, "image/svg+xml")])
def test_png_jpeg_and_svg_logos_are_accepted(data, content_type):
    assert logo_check(data) == content_type


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"GIF89a....", "must be a PNG, JPEG or SVG"),
        (b"\x89PNG\r\n\x1a\n broken", "could not be read"),
        (SVG.replace(b"<rect", b"<script>alert(1)</script><rect"), "<script>"),
        (SVG.replace(b"<rect", b'<rect onload="alert(1)"'), "event handlers"),
        (SVG.replace(b"<rect", b'<image href="https://example.org/x.png"/><rect'), "may not link"),
        (SVG.replace(b'fill="#1d70b8"', b'style="fill:url(https://example.org/p.svg#a)"'), "may not refer"),
        (b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x "y">]>' + SVG, "DOCTYPE"),
        (b'<html><svg xmlns="http://www.w3.org/2000/svg"/></html>', "not an SVG"),
    ],
)
def test_bad_logos_are_refused_with_the_reason(data, message):
    with pytest.raises(ValidationError) as error:
        logo_check(data)
    assert message in error.value.messages[0]


def test_a_logo_over_the_size_limit_is_refused(settings):
    settings.PARTNERSHIP_LOGO_MAX_BYTES = 100
    with pytest.raises(ValidationError) as error:
        logo_check(SVG + b" " * 100)
    assert "must be smaller than" in error.value.messages[0]


# --- The SVG allow-list: only drawing elements and attributes; anything else is refused. ------------

NS = b'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
PNG_URI = b"data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
PLAIN_LOGO = (
    b"""<?xml version="1.0" encoding="UTF-8"?>
<svg """
    + NS
    + b''' width="240" height="80" viewBox="0 0 240 80" version="1.1">
  <title>Shire Safeguarding Children Partnership</title>
  <!-- made by hand -->
  <defs>
    <linearGradient id="g" x1="0" y1="0" x2="1" y2="0"><stop offset="0" stop-color="#1d70b8"/><stop offset="1" stop-color="#003078"/></linearGradient>
    <clipPath id="c"><rect width="80" height="80" rx="8"/></clipPath>
    <style>.word { font-family: 'DejaVu Sans', sans-serif; fill: rgb(11, 12, 12); }</style>
  </defs>
  <g transform="translate(4, 4) scale(0.95)" clip-path="url(#c)">
    <rect width="80" height="80" fill="url(#g)"/>
    <circle cx="40" cy="40" r="20" fill="#fff" stroke="#0b0c0c" stroke-width="2"/>
    <path d="M10 70 L40 10 L70 70 Z" fill="none" stroke="#fff"/>
  </g>
  <use href="#c" x="150"/>
  <image x="200" y="10" width="20" height="20" xlink:href="'''
    + PNG_URI
    + b""""/>
  <text x="90" y="45" class="word" font-size="16" aria-label="Shire (SCP)"><tspan>Shire</tspan></text>
</svg>"""
)


def _in_logo(fragment: bytes) -> bytes:
    return b"<svg " + NS + b' width="10" height="10">' + fragment + b"</svg>"


def test_a_plain_logo_with_gradients_clips_styles_text_and_an_embedded_image_passes():
    assert logo_check(PLAIN_LOGO) == "image/svg+xml"


@pytest.mark.parametrize(
    ("fragment", "message"),
    [
        # Elements that run, load, animate or filter are not drawing elements.
        (b'<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>', "<foreignObject>"),
        (b'<set attributeName="href" to="javascript:alert(1)"/>', "<set>"),
        (b'<a href="#x"><animate attributeName="href" values="javascript:alert(1)"/><rect width="5" height="5"/></a>', "<a>"),
        (b'<animate attributeName="fill" to="red"/>', "<animate>"),
        (b'<filter id="f"><feImage href="http://127.0.0.1/secret"/></filter>', "<filter>"),
        (b'<iframe src="http://example.org"/>', "<iframe>"),
        (b'<html:script xmlns:html="http://www.w3.org/1999/xhtml">alert(1)</html:script>', "<script>"),
        (b'<handler xmlns="http://www.w3.org/2001/xml-events">x</handler>', "<handler>"),
        # Event handlers, whatever their case or namespace.
        (b'<rect width="5" height="5" ONCLICK="alert(1)"/>', "event handlers"),
        (b'<rect xmlns:x="urn:x" width="5" height="5" x:onload="alert(1)"/>', "event handlers"),
        # Links out: javascript:, the network, files, an SVG smuggled as data:, and a <use> of another file.
        (b'<image width="5" height="5" href="javascript:alert(1)"/>', "may not link"),
        (b'<image width="5" height="5" xlink:href=" &#106;avascript:alert(1)"/>', "may not link"),
        (b'<image width="5" height="5" href="file:///etc/passwd"/>', "may not link"),
        (b'<image width="5" height="5" href="data:image/svg+xml;base64,PHN2Zy8+"/>', "may not link"),
        (b'<use href="http://example.org/sprite.svg#logo"/>', "may not link"),
        (b'<rect width="5" height="5" href="data:image/png;base64,AAAA"/>', "may not link"),
        # CSS that loads, or hides what it loads behind escapes or other functions.
        (b"<style>rect { fill: url(http://127.0.0.1/x.svg#p) }</style>", "may not refer"),
        (b'<style>@import "http://example.org/x.css";</style>', "may not refer"),
        (b'<rect width="5" height="5" style="fill: \\75 rl(http://example.org/p.svg#a)"/>', "may not refer"),
        (b'<rect width="5" height="5" style="background-image: image-set(&quot;http://x/y.png&quot; 1x)"/>', "may not refer"),
        (b'<rect width="5" height="5" fill="url( &quot;file:///etc/passwd&quot; )"/>', "may not refer"),
        # Attributes that are not drawing attributes (editors' private ones, unknown ones).
        (b'<rect xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" width="5" height="5" inkscape:label="x"/>', "attribute label"),
        (b'<rect width="5" height="5" attributeName="href"/>', "attribute attributeName"),
        (b'<?evil data?><rect width="5" height="5"/>', "processing instructions"),
    ],
)
def test_anything_off_the_allow_list_is_refused_with_its_name(fragment, message):
    with pytest.raises(ValidationError) as error:
        logo_check(_in_logo(fragment))
    assert message in error.value.messages[0]


@pytest.mark.parametrize(
    "document",
    [
        b'<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">' + SVG,
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg"><text>&xxe;</text></svg>',
    ],
)
def test_a_doctype_or_entity_is_refused(document):
    with pytest.raises(ValidationError) as error:
        logo_check(document)
    assert "DOCTYPE" in error.value.messages[0]
