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


@pytest.mark.parametrize(("data", "message"), [
    (b"", "empty"),
    (b"GIF89a....", "must be a PNG, JPEG or SVG"),
    (b"\x89PNG\r\n\x1a\n broken", "could not be read"),
    (SVG.replace(b"<rect", b'<script>alert(1)</script><rect'), "<script>"),
    (SVG.replace(b"<rect", b'<rect onload="alert(1)"'), "event handlers"),
    (SVG.replace(b"<rect", b'<image href="https://example.org/x.png"/><rect'), "may not link"),
    (SVG.replace(b'fill="#1d70b8"', b'style="fill:url(https://example.org/p.svg#a)"'), "may not refer"),
    (b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x "y">]>' + SVG, "DOCTYPE"),
    (b'<html><svg xmlns="http://www.w3.org/2000/svg"/></html>', "not an SVG"),
])
def test_bad_logos_are_refused_with_the_reason(data, message):
    with pytest.raises(ValidationError) as error:
        logo_check(data)
    assert message in error.value.messages[0]


def test_a_logo_over_the_size_limit_is_refused(settings):
    settings.PARTNERSHIP_LOGO_MAX_BYTES = 100
    with pytest.raises(ValidationError) as error:
        logo_check(SVG + b" " * 100)
    assert "must be smaller than" in error.value.messages[0]
