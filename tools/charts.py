"""The progress chart: a child's area scores for one tool across final runs, drawn by pygal.

The SVG is made on the server (the project's one charting library; no CDN, no client code), with
pygal's JavaScript switched off (`js=[]`) and the config <script> pygal writes regardless removed,
so the file carries no script wherever it ends up (a page, a PDF, a download). Pages show it as
`<img src="data:image/svg+xml;base64,...">` because the site's Content-Security-Policy forbids
inline SVG styles and scripts in the page; an SVG loaded as an image keeps its own styles and
runs nothing. PDFs use the same data URI (or the
bytes from `progress_chart_svg`), so the chart in a report is the chart on screen.

Colour is never the only cue: each bar carries its score as text, the legend gives the dates in
order, and every page that shows the chart also shows the same numbers in a table;
`progress_chart_alt` describes it in words.
"""

import base64

import pygal
from pygal.style import Style

from neglect_portal.charts import without_scripts

# One bar per assessment in each area, oldest lightest: time reads as a ramp of one hue, so no
# reader needs to tell hues apart. Shades are spread across the ramp (two runs: the lightest and
# the darkest). Every shade keeps 3:1 contrast with the white background; scores printed on the
# bars are black on the lightest shade and white on the others (4.5:1 or more).
CHART_RUNS = 6
_SHADES = ("#5694ca", "#1d70b8", "#165a96", "#10406e", "#0b2a4a", "#0b0c0c")
WIDTH = 900


def _style(count):
    picks = [0] if count == 1 else [round(index * (len(_SHADES) - 1) / (count - 1)) for index in range(count)]
    return Style(
        background="#ffffff",
        plot_background="#ffffff",
        foreground="#0b0c0c",
        foreground_strong="#0b0c0c",
        foreground_subtle="#505a5f",
        colors=tuple(_SHADES[pick] for pick in picks),
        value_colors=tuple("#0b0c0c" if pick == 0 else "#ffffff" for pick in picks),
        opacity="1",
        opacity_hover="1",
        font_family="arial, sans-serif",
        label_font_size=15,
        major_label_font_size=15,
        legend_font_size=15,
        title_font_size=19,
        value_font_size=14,
    )


def _day(on):
    return f"{on.day} {on:%b %Y}"


def _axis(progress):
    """The score axis: the scale's range when every score lies on it (grades, journey), else from the data."""
    values = [score for row in progress.chart_rows for score in row.scores if score is not None]
    if progress.bounds and values and all(progress.bounds[0] <= value <= progress.bounds[1] for value in values):
        high = int(progress.bounds[1])
    else:
        high = max([1, *[int(value) + 1 for value in values]])
    step = max(1, high // 10)
    return (0, high), list(range(0, high + 1, step))


def progress_chart_svg(progress):
    """The chart for one tool's `ToolProgress` (tools.selectors) as SVG bytes.

    A horizontal bar chart: one group per area (then the overall score) whose score is on the
    items' own scale (`ToolProgress.chart_rows`: a count or a total is left to the table), one bar per final run,
    the last CHART_RUNS runs at most (the page's table lists them all). Bars rather than lines:
    grades are few and often equal, and equal lines hide one another.
    """
    runs = progress.runs[-CHART_RUNS:]
    rows = progress.chart_rows
    y_range, y_labels = _axis(progress)
    chart = pygal.HorizontalBar(
        js=[],
        style=_style(len(runs)),
        width=WIDTH,
        height=140 + len(rows) * (len(runs) * 24 + 26),
        explicit_size=True,
        title=f"{progress.name}: scores by date of assessment",
        x_title=f"Score (a higher score is {progress.higher_is})",
        range=y_range,
        y_labels=y_labels,
        # pygal draws the first label at the bottom: reversed, the first area is at the top.
        x_labels=[row.title for row in reversed(rows)],
        legend_at_bottom=True,
        legend_at_bottom_columns=min(len(runs), 3),
        truncate_legend=-1,
        truncate_label=-1,
        print_values=True,
        show_x_guides=False,
        show_y_guides=True,
    )
    for index, run in enumerate(runs):
        position = len(progress.runs) - len(runs) + index
        chart.add(_day(run.assessed_on), [_plain(row.scores[position]) for row in reversed(rows)])
    chart.add_xml_filter(without_scripts)
    return chart.render()


def _plain(score):
    return None if score is None else float(score)


def progress_chart_data_uri(progress):
    """The chart as a data: URI for an <img> in a page or a PDF."""
    return "data:image/svg+xml;base64," + base64.b64encode(progress_chart_svg(progress)).decode("ascii")


_CHANGE_WORDS = {"better": "better than", "worse": "worse than", "same": "the same as"}


def progress_chart_alt(progress):
    """Alt text saying what the chart shows: each row's first and latest score and the last change."""
    runs = progress.runs
    span = _day(runs[0].assessed_on) if len(runs) == 1 else f"{_day(runs[0].assessed_on)} to {_day(runs[-1].assessed_on)}"
    shown = f" (the chart shows the last {CHART_RUNS})" if len(runs) > CHART_RUNS else ""
    plural = "s" if len(runs) != 1 else ""
    parts = [f"Bar chart of {progress.name} scores from {len(runs)} assessment{plural}, {span}{shown}; a higher score is {progress.higher_is}."]
    for row in progress.chart_rows:
        scores = [score for score in row.scores if score is not None]
        if not scores:
            continue
        if len(scores) == 1:
            parts.append(f"{row.title}: {_number(scores[0])}.")
            continue
        text = f"{row.title}: {_number(scores[0])} at first, {_number(scores[-1])} at the latest"
        if row.change:
            text += f", {_CHANGE_WORDS[row.change]} the assessment before"
        parts.append(text + ".")
    return " ".join(parts)


def _number(score):
    return f"{score:g}" if isinstance(score, float) else str(score)
