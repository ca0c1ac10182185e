"""What every chart of the portal shares: the look, no scripts, and the data: URI an <img> shows.

Charts (tools' progress chart, the dashboard, action plans) are pygal SVGs shown as
`<img src="data:image/svg+xml;base64,...">` under a CSP without inline scripts or styles, and the
same bytes go into PDFs. pygal adds a <script> whatever its `js` option says; `without_scripts`
removes it before the SVG is written.
"""

import base64
import hashlib

import pygal
from django.core.cache import cache
from pygal.style import Style

CHART_SECONDS = 24 * 60 * 60
CHART_FORMAT = 1  # raise when the look of charts changes, so none drawn before is served again


def chart_style(colors, **overrides):
    """The look every chart of the portal shares (dashboard, action plans): GOV.UK colours, DejaVu Sans."""
    settings = {
        "background": "#ffffff",
        "plot_background": "#ffffff",
        "foreground": "#0b0c0c",
        "foreground_strong": "#0b0c0c",
        "foreground_subtle": "#505a5f",
        "colors": tuple(colors),
        "opacity": "1",
        "opacity_hover": "1",
        "font_family": "DejaVu Sans, arial, sans-serif",
        "label_font_size": 14,
        "major_label_font_size": 14,
        "legend_font_size": 14,
        "title_font_size": 17,
        "value_font_size": 13,
    }
    return Style(**(settings | overrides))


def without_scripts(root):
    """pygal's tree, before it is written out, less the <script> it adds whatever `js` says.

    Every chart of the portal (tools, dashboard, action plans) is an <img> data: URI under a CSP
    without scripts; this filter keeps the SVG itself free of them too.
    """
    for parent in root.iter():
        for child in list(parent):
            if str(child.tag).rsplit("}", 1)[-1] == "script":
                parent.remove(child)
    return root


def svg_data_uri(chart, *, drawn_from=None):
    """The chart, less scripts, as a data: URI for an <img> in a page or a PDF.

    `drawn_from`: everything the chart is drawn from (its kind, title, figures, labels and scale).
    When given, the URI is kept in the cache for a day under a digest of it, so the same figures
    are drawn once: pygal takes tens of milliseconds a chart, and the dashboard's quarter page
    shows about thirty. Charts hold partnership figures only (a published chart its published
    figures), never a child's record.
    """
    if drawn_from is None:
        return _rendered(chart)
    key = "chart:" + hashlib.sha256(repr((CHART_FORMAT, pygal.__version__, drawn_from)).encode()).hexdigest()
    uri = cache.get(key)
    if uri is None:
        uri = _rendered(chart)
        cache.set(key, uri, CHART_SECONDS)
    return uri


def _rendered(chart):
    chart.add_xml_filter(without_scripts)
    return "data:image/svg+xml;base64," + base64.b64encode(chart.render()).decode("ascii")
