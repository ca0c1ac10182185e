"""Dashboard charts drawn by pygal, as data: URIs with alt text (the style of tools/charts.py).

Same rules as the progress chart: server-made SVG, pygal's JavaScript off and its config <script>
removed, shown through <img src="data:..."> so the strict CSP holds, and the same numbers always in
a table beside the chart, so colour and shape are never the only cue.
"""
import base64

import pygal
from pygal.style import Style

_STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#0b0c0c",
    foreground_strong="#0b0c0c",
    foreground_subtle="#505a5f",
    colors=("#1d70b8", "#0b0c0c"),
    opacity="1",
    opacity_hover="1",
    font_family="DejaVu Sans, arial, sans-serif",
    label_font_size=14,
    major_label_font_size=14,
    legend_font_size=14,
    title_font_size=17,
    value_font_size=13,
)


def _without_scripts(root):
    for parent in root.iter():
        for child in list(parent):
            if str(child.tag).rsplit("}", 1)[-1] == "script":
                parent.remove(child)
    return root


def _uri(chart):
    chart.add_xml_filter(_without_scripts)
    return "data:image/svg+xml;base64," + base64.b64encode(chart.render()).decode("ascii")


def _number(value):
    """Words for alt text: a suppressed count stays words ("fewer than 5")."""
    if value is None:
        return "no data"
    return value if isinstance(value, str) else f"{value:g}"


def _plotted(value):
    return value if isinstance(value, (int, float)) else None


def trend_chart(measure, points):
    """Line of one measure over the quarters in `points` [(quarter name, value)], oldest first."""
    chart = pygal.Line(
        js=[], style=_STYLE, width=800, height=320, explicit_size=True, title=measure.title, show_legend=False,
        x_labels=[name for name, _ in points], print_values=True, dots_size=4, truncate_label=-1, margin_right=40,
    )
    chart.add(measure.title, [_plotted(value) for _, value in points])
    described = "; ".join(f"{name}: {_number(value)}" for name, value in points)
    return {"uri": _uri(chart), "alt": f"Line chart of {measure.title.lower()} by quarter. {described}."}


def agency_chart(measure, rows):
    """Horizontal bars per agency: tool runs (total) or conference attendance (attended of invited).

    A suppressed count (words, in a published report) is left out of the bars and kept in the alt
    text; with nothing left to draw there is no chart (None) and the table beside it says it all.
    """
    if not any(isinstance(row.get(key), int) and row[key] for row in rows for key in ("invitations", "attended", "total")):
        return None
    chart = pygal.HorizontalBar(
        js=[], style=_STYLE, width=800, height=120 + 34 * max(len(rows), 1), explicit_size=True, title=measure.title,
        x_labels=[row["agency"] for row in reversed(rows)], print_values=True, legend_at_bottom=True, truncate_label=-1,
    )
    if rows and "invitations" in rows[0]:
        chart.add("Invited", [_plotted(row["invitations"]) for row in reversed(rows)])
        chart.add("Attended", [_plotted(row["attended"]) for row in reversed(rows)])
        described = "; ".join(f"{row['agency']}: attended {row['attended']} of {row['invitations']}" for row in rows)
    else:
        chart.add("Assessments", [_plotted(row.get("total", 0)) for row in reversed(rows)])
        described = "; ".join(f"{row['agency']}: {row.get('total', 0)}" for row in rows)
    return {"uri": _uri(chart), "alt": f"Bar chart of {measure.title.lower()}. {described or 'None in the quarter'}."}
