"""Dashboard charts drawn by pygal, as data: URIs with alt text (the style of tools/charts.py).

Same rules as the progress chart: server-made SVG, pygal's JavaScript off and its config <script>
removed, shown through <img src="data:..."> so the strict CSP holds, and the same numbers always in
a table beside the chart, so colour and shape are never the only cue. For that reason no chart
prints values on its points or bars: labels collided with axes and could not be read inside short
bars, and the table gives every figure.

Scales are honest: value axes start at zero (percentages run 0 to 100) and end on a gridline at or
above the largest value. An agency chart with many agencies is split into several charts of at most
a page each, sharing one scale, so a county with forty agencies never runs past the page.
"""

import math

import pygal

from neglect_portal.charts import chart_style, svg_data_uri

_STYLE = chart_style(
    ("#1d70b8", "#0b0c0c"),
    # Solid light gridlines, so the dashed target line is the only dashed line on a chart.
    guide_stroke_color="#b1b4b6",
    guide_stroke_dasharray="0",
    major_guide_stroke_color="#b1b4b6",
    major_guide_stroke_dasharray="0",
    stroke_width=3,
)

# Agencies per bar chart, by the number of series: one chart stays under about 205 mm of an A4
# page at the report's width (130 px of title and axes plus the bars, 800 px wide).
AGENCIES_PER_CHART = {1: 32, 2: 20}
_BAR_HEIGHT = {1: 28, 2: 42}  # pixels per agency


def _number(value):
    """Words for alt text: a suppressed count stays words ("fewer than 5")."""
    if value is None:
        return "no data"
    return value if isinstance(value, str) else f"{value:g}"


def _plotted(value):
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def axis_ticks(top, *, whole=True, ticks=6):
    """Gridlines from 0 to the first "nice" step at or above `top` (1, 2, 2.5 or 5 x 10^n; whole steps for counts).

    The last tick is never below the largest value, so no bar or point runs past the axis.
    """
    if top is None or top <= 0:
        return [0, 1] if whole else [0, 0.5, 1]
    raw = max(top / ticks, 1) if whole else top / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw and not (whole and m * magnitude % 1))
    count = math.ceil(round(top / step, 9))
    if count * step < top:  # floating-point rounding: never end below the largest value
        count += 1
    return [int(i * step) if whole else round(i * step, 6) for i in range(count + 1)]


def trend_scale(measure, values, *, at_least=0):
    """The value axis of a trend: 0 to 100 for percentages, else 0 to a tick at or above the largest value, target or `at_least`.

    `values` are the points drawn (None for a point not drawn). A published chart passes only
    published points and `at_least` above the suppression threshold, so its scale is worked out
    from printed figures alone and never hints at a hidden one (dashboard/disclosure.py).
    """
    if measure.unit == "percent":
        return [0, 20, 40, 60, 80, 100]
    candidates = [v for v in values if v is not None] + ([measure.target] if measure.target is not None else []) + [at_least]
    return axis_ticks(max(candidates, default=0), whole=measure.unit not in ("rate", "days"))


def trend_chart(measure, points, *, at_least=0):
    """Line of one measure over the quarters in `points` [(quarter name, value)], oldest first; None when no point can be drawn.

    The target, where the measure has one, is a dashed line named in the legend. A point that is
    words ("fewer than 5", "not shown", no data) is not drawn; a chart with no point left would be
    an empty axis, so there is none and the table beside it says why.
    """
    values = [_plotted(value) for _, value in points]
    if all(value is None for value in values):
        return None
    ticks = trend_scale(measure, values, at_least=at_least)
    has_target = measure.target is not None
    chart = pygal.Line(
        js=[],
        style=_STYLE,
        width=800,
        height=300,
        explicit_size=True,
        title=measure.title,
        x_labels=[name for name, _ in points],
        print_values=False,
        dots_size=4,
        truncate_label=-1,
        margin_right=30,
        range=(ticks[0], ticks[-1]),
        y_labels=ticks,
        show_legend=has_target,
        legend_at_bottom=True,
        truncate_legend=-1,
        value_formatter=lambda value: f"{value:g}{'%' if measure.unit == 'percent' else ''}",
    )
    chart.add("By quarter", values)
    if has_target:
        target = f"{measure.target:g}{'%' if measure.unit == 'percent' else ''}"
        chart.add(f"Target {target} (dashed line)", [measure.target] * len(points), show_dots=False, stroke_style={"width": 3, "dasharray": "10, 6"})
    described = "; ".join(f"{name}: {_number(value)}" for name, value in points)
    target_words = f" Target {measure.target:g}, drawn as a dashed line." if has_target else ""
    drawn_from = ("trend", measure.title, measure.unit, measure.target, tuple(points), tuple(ticks))
    return {"uri": svg_data_uri(chart, drawn_from=drawn_from), "alt": f"Line chart of {measure.title.lower()} by quarter. {described}.{target_words}"}


def _attendance(rows):
    return bool(rows) and "invitations" in rows[0]


def _series(rows):
    """(legend, key) of the bars: invited and attended, or the total of tool runs."""
    return [("Invited", "invitations"), ("Attended", "attended")] if _attendance(rows) else [("Assessments", "total")]


def plottable(rows):
    """Agencies whose every charted figure is a number; the rest hold a suppressed count (words)."""
    series = _series(rows)
    drawn = [row for row in rows if all(_plotted(row.get(key)) is not None for _, key in series)]
    return drawn, len(rows) - len(drawn)


def agency_charts(measure, rows):
    """Horizontal bars per agency: tool runs (total) or conference attendance (invited and attended).

    Returns (charts, left_out): a list of chart dicts, split into page-sized parts sharing one
    scale, and how many agencies were left out because a figure is suppressed ("fewer than 5") -
    an empty bar would read as zero, so they are not drawn and the report says how many are missing.
    No charts when nothing is left to draw, or when every figure is zero.
    """
    series = _series(rows)
    drawn, left_out = plottable(rows)
    top = max((row[key] for row in drawn for _, key in series), default=0)
    if not top:
        return [], left_out
    ticks = axis_ticks(top)
    per_chart = AGENCIES_PER_CHART[len(series)]
    parts = math.ceil(len(drawn) / per_chart)
    size = math.ceil(len(drawn) / parts)
    charts = []
    for index in range(parts):
        part = drawn[index * size : (index + 1) * size]
        title = measure.title if parts == 1 else f"{measure.title} ({index + 1} of {parts})"
        chart = pygal.HorizontalBar(
            js=[],
            style=_STYLE,
            width=800,
            height=130 + _BAR_HEIGHT[len(series)] * len(part),
            explicit_size=True,
            title=title,
            x_labels=[row["agency"] for row in reversed(part)],
            print_values=False,
            legend_at_bottom=True,
            truncate_label=-1,
            range=(0, ticks[-1]),
            y_labels=ticks,
            value_formatter=lambda value: f"{value:g}",
            show_legend=len(series) > 1,
        )
        for legend, key in series:
            chart.add(legend, [row[key] for row in reversed(part)])
        if _attendance(rows):
            described = "; ".join(f"{row['agency']}: attended {row['attended']} of {row['invitations']}" for row in part)
        else:
            described = "; ".join(f"{row['agency']}: {row['total']}" for row in part)
        drawn_from = ("bars", title, tuple((row["agency"], *(row[key] for _, key in series)) for row in part), tuple(ticks), tuple(series))
        charts.append({"uri": svg_data_uri(chart, drawn_from=drawn_from), "alt": f"Bar chart of {title[0].lower()}{title[1:]}. {described}."})
    return charts, left_out
