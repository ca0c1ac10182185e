"""Checking an uploaded partnership logo before it is stored and drawn on the PDF cover.

The type is decided by the file's content, never its name or the browser's word: PNG and JPEG are
opened by Pillow (a file that only starts like one is refused), SVG is parsed by lxml without DTDs,
entities or network. An SVG may not carry scripts, event handlers, foreign objects or references
outside itself: WeasyPrint renders the PDF with a fetcher that allows data: URIs only, and a logo
that pointed elsewhere would stop every PDF from rendering.
"""
import base64
import io

from django.conf import settings
from django.core.exceptions import ValidationError
from lxml import etree

from .models import LogoType

_SVG_NS = "{http://www.w3.org/2000/svg}"
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_FORBIDDEN_SVG_ELEMENTS = {"script", "foreignObject", "iframe", "embed", "object"}


def logo_max_bytes():
    return settings.PARTNERSHIP_LOGO_MAX_BYTES


def logo_check(data: bytes) -> str:
    """The logo's content type (PNG, JPEG or SVG), or ValidationError saying what is wrong with it."""
    if not data:
        raise ValidationError("The file is empty. Choose a PNG, JPEG or SVG logo.")
    limit = logo_max_bytes()
    if len(data) > limit:
        raise ValidationError(f"The logo must be smaller than {limit // 1024} KB; this file is {len(data) // 1024} KB.")
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return _bitmap(data, "PNG", LogoType.PNG)
    if data.startswith(b"\xff\xd8\xff"):
        return _bitmap(data, "JPEG", LogoType.JPEG)
    if b"<svg" in data[:4096]:
        return _svg(data)
    raise ValidationError("The logo must be a PNG, JPEG or SVG image.")


def _bitmap(data, expected, content_type):
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            found = image.format
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError(f"The {expected} file could not be read: it may be damaged.") from error
    if found != expected:
        raise ValidationError(f"The file starts like a {expected} image but is not one.")
    return content_type


def _svg(data):
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as error:
        raise ValidationError(f"The SVG file is not well-formed XML: {error.msg}.") from error
    if b"<?xml-stylesheet" in data:
        raise ValidationError("The SVG file may not load a stylesheet.")
    if root.getroottree().docinfo.internalDTD is not None or root.getroottree().docinfo.doctype:
        raise ValidationError("The SVG file may not declare a DOCTYPE or entities.")
    if root.tag != f"{_SVG_NS}svg":
        raise ValidationError("The file is XML but not an SVG image (its root element must be <svg> in the SVG namespace).")
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        local = element.tag.rsplit("}", 1)[-1]
        if local in _FORBIDDEN_SVG_ELEMENTS:
            raise ValidationError(f"The SVG file may not contain <{local}> elements.")
        if local == "style" and _refers_outside(element.text or ""):
            raise ValidationError("The SVG file's styles may not refer to other files or web addresses.")
        for name, value in element.attrib.items():
            attribute = name.rsplit("}", 1)[-1]
            if attribute.lower().startswith("on"):
                raise ValidationError(f"The SVG file may not contain event handlers ({attribute}).")
            if (name == _XLINK_HREF or attribute == "href") and not value.strip().startswith(("#", "data:")):
                raise ValidationError("The SVG file may not link to other files or web addresses; embed images in it instead.")
            if _refers_outside(value):
                raise ValidationError("The SVG file may not refer to other files or web addresses.")
    return LogoType.SVG


def logo_data_uri(data: bytes, content_type: str) -> str:
    """A data: URI for <img src> on pages (the CSP allows data: images) and in WeasyPrint."""
    return f"data:{content_type};base64,{base64.b64encode(bytes(data)).decode('ascii')}"


def _refers_outside(text):
    """CSS in an attribute or <style> that loads something: @import, or url() other than url(#id)."""
    compact = "".join(text.split()).lower()
    if "@import" in compact:
        return True
    return any(not part.startswith(("#", "'#", '"#')) for part in compact.split("url(")[1:])
