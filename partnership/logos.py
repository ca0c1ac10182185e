"""Checking an uploaded partnership logo before it is stored and drawn on the PDF cover.

The type is decided by the file's content, never its name or the browser's word: PNG and JPEG are
opened by Pillow (a file that only starts like one is refused), SVG is parsed by lxml without DTDs,
entities or network.

An SVG is checked against an allow-list, not a deny-list: every element must be one of the drawing
elements below (in the SVG namespace), every attribute one of the drawing attributes below, links
(`href`) only to an id in the same file or to an embedded PNG or JPEG `data:` image, and CSS (the
`style` attribute and `<style>` element) may not load anything (`url()` other than `url(#id)`,
`@import`) nor hide a word behind CSS escapes. Anything else is refused with its name: scripts,
`foreignObject`, animation (`<set>` can rewrite a link), filters (`feImage` loads files), event
handlers, `javascript:` and external links, editors' private attributes (save as "plain SVG").
WeasyPrint renders the PDF with a fetcher that allows data: URIs and static files only
(neglect_portal/pdf.py), and a logo that pointed elsewhere would stop every PDF from rendering.
"""

import base64
import io
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from lxml import etree

from .models import LogoType

_SVG_NS = "{http://www.w3.org/2000/svg}"
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_XML_NS = "{http://www.w3.org/XML/1998/namespace}"

# The drawing elements a logo may use; anything else is refused.
SVG_ELEMENTS = frozenset(
    {
        "svg",
        "g",
        "defs",
        "symbol",
        "use",
        "title",
        "desc",
        "style",
        "path",
        "rect",
        "circle",
        "ellipse",
        "line",
        "polyline",
        "polygon",
        "text",
        "tspan",
        "textPath",
        "linearGradient",
        "radialGradient",
        "stop",
        "pattern",
        "clipPath",
        "mask",
        "image",
    }
)
# Their attributes (presentation attributes included); `href` and `xlink:href` are checked further.
SVG_ATTRIBUTES = frozenset(
    {
        "id",
        "class",
        "style",
        "transform",
        "viewBox",
        "preserveAspectRatio",
        "version",
        "baseProfile",
        "width",
        "height",
        "x",
        "y",
        "x1",
        "y1",
        "x2",
        "y2",
        "cx",
        "cy",
        "r",
        "rx",
        "ry",
        "fx",
        "fy",
        "fr",
        "d",
        "points",
        "pathLength",
        "fill",
        "fill-opacity",
        "fill-rule",
        "stroke",
        "stroke-width",
        "stroke-opacity",
        "stroke-linecap",
        "stroke-linejoin",
        "stroke-miterlimit",
        "stroke-dasharray",
        "stroke-dashoffset",
        "opacity",
        "color",
        "display",
        "visibility",
        "overflow",
        "clip-path",
        "clip-rule",
        "mask",
        "vector-effect",
        "shape-rendering",
        "text-rendering",
        "paint-order",
        "font-family",
        "font-size",
        "font-weight",
        "font-style",
        "font-variant",
        "font-stretch",
        "text-anchor",
        "dominant-baseline",
        "alignment-baseline",
        "baseline-shift",
        "letter-spacing",
        "word-spacing",
        "text-decoration",
        "dx",
        "dy",
        "rotate",
        "textLength",
        "lengthAdjust",
        "startOffset",
        "gradientUnits",
        "gradientTransform",
        "spreadMethod",
        "offset",
        "stop-color",
        "stop-opacity",
        "patternUnits",
        "patternContentUnits",
        "patternTransform",
        "clipPathUnits",
        "maskUnits",
        "maskContentUnits",
        "href",
        "lang",
        "role",
        "aria-label",
        "aria-hidden",
        "focusable",
        _XLINK_HREF,
        f"{_XML_NS}space",
        f"{_XML_NS}lang",
    }
)
# The functions a value may call: colours, sums, transforms, and url(#id) (checked further).
_CSS_FUNCTIONS = frozenset(
    {
        "url",
        "rgb",
        "rgba",
        "hsl",
        "hsla",
        "calc",
        "var",
        "matrix",
        "translate",
        "translatex",
        "translatey",
        "scale",
        "scalex",
        "scaley",
        "rotate",
        "skewx",
        "skewy",
    }
)
# An image inside the logo must be embedded, as a PNG or JPEG.
_EMBEDDED_IMAGE = ("data:image/png;base64,", "data:image/jpeg;base64,")


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
        if isinstance(element, etree._ProcessingInstruction):
            raise ValidationError("The SVG file may not contain processing instructions.")
        if not isinstance(element.tag, str):
            continue  # a comment
        _svg_element_check(element)
    return LogoType.SVG


def _svg_element_check(element):
    """Refuse an element, attribute or value that is not on the allow-list (module docstring)."""
    namespace, _, local = element.tag[1:].partition("}") if element.tag.startswith("{") else ("", "", element.tag)
    if f"{{{namespace}}}" != _SVG_NS or local not in SVG_ELEMENTS:
        raise ValidationError(f"The SVG file may not contain <{local}> elements: a logo may only draw (save it as a plain SVG).")
    if local == "style" and _refers_outside(element.text or ""):
        raise ValidationError("The SVG file's styles may not refer to other files or web addresses.")
    for name, value in element.attrib.items():
        attribute = name.rsplit("}", 1)[-1]
        if attribute.lower().startswith("on"):
            raise ValidationError(f"The SVG file may not contain event handlers ({attribute}).")
        if name not in SVG_ATTRIBUTES:
            raise ValidationError(f"The SVG file may not carry the attribute {attribute} (save it as a plain SVG).")
        if name in (_XLINK_HREF, "href") and not _href_allowed(local, value):
            raise ValidationError("The SVG file may not link to other files or web addresses; embed images in it instead.")
        if attribute != "aria-label" and _refers_outside(value):  # an aria-label is words, not CSS
            raise ValidationError("The SVG file may not refer to other files or web addresses.")


def _href_allowed(element, value):
    """A link to an id in the same file, or (on <image>) an embedded PNG or JPEG."""
    link = "".join(value.split())
    return link.startswith("#") or (element == "image" and link.lower().startswith(_EMBEDDED_IMAGE))


def logo_data_uri(data: bytes, content_type: str) -> str:
    """A data: URI for <img src> on pages (the CSP allows data: images) and in WeasyPrint."""
    return f"data:{content_type};base64,{base64.b64encode(bytes(data)).decode('ascii')}"


def _refers_outside(text):
    """CSS in an attribute or <style> that loads something or might: @import, url() other than url(#id),
    a function outside the drawing ones (`image-set(`, `expression(`), or a CSS escape (a backslash),
    which could spell any of them so that no check sees it."""
    compact = "".join(text.split()).lower()
    if "@import" in compact or "\\" in compact:
        return True
    if any(function not in _CSS_FUNCTIONS for function in re.findall(r"(-?[a-z_][a-z0-9_-]*)\(", compact)):
        return True
    return any(not part.startswith(("#", "'#", '"#')) for part in compact.split("url(")[1:])
