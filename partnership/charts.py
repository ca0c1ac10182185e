"""The action-plan RAG chart for the dashboard page and PDF: stacked bars per agency.

Drawn like the other dashboard charts (dashboard/charts.py: pygal, no script, a data: URI with alt
text), in the RAG colours; the table beside it carries the same numbers, so colour is never the
only cue.
"""

import math

import pygal

from neglect_portal.charts import chart_style, svg_data_uri

from .models import Rag

# As many agencies as fit one PDF page at 34 pixels a bar.
AGENCIES_PER_CHART = 32

# GOV.UK colours: red, orange for amber (yellow bars are unreadable on white), green, blue for complete.
_COLOURS = {Rag.RED: "#d4351c", Rag.AMBER: "#f47738", Rag.GREEN: "#00703c", Rag.COMPLETE: "#1d70b8"}

_STYLE = chart_style(_COLOURS.values())


def rag_charts(measure, rows):
    """Rows by RAG per agency, split into page-sized parts sharing one scale; [] when no row has a status.

    A partnership has about forty agencies: one chart of them all would run past the PDF page, so
    the agencies are drawn `AGENCIES_PER_CHART` at a time, like the dashboard's agency charts.
    """
    if not any(isinstance(row.get(rag), int) and row[rag] for row in rows for rag in Rag.values):
        return []
    # Whole numbers on the value axis: rows are counted, a tick at 0.2 of a row would mean nothing.
    top = max(sum(row.get(rag) or 0 for rag in Rag.values) for row in rows)
    step = max(1, math.ceil(top / 10))
    ticks = list(range(0, top + step, step))
    parts = math.ceil(len(rows) / AGENCIES_PER_CHART)
    size = math.ceil(len(rows) / parts)
    charts = []
    for index in range(parts):
        part = rows[index * size : (index + 1) * size]
        title = measure.title if parts == 1 else f"{measure.title} ({index + 1} of {parts})"
        chart = pygal.HorizontalStackedBar(
            js=[],
            style=_STYLE,
            width=800,
            height=140 + 34 * len(part),
            explicit_size=True,
            title=title,
            x_labels=[row["agency"] for row in reversed(part)],
            legend_at_bottom=True,
            truncate_label=-1,
            print_values=False,
            range=(0, ticks[-1]),
            y_labels=ticks,
            value_formatter=lambda value: f"{value:g}",
        )
        for rag, label in Rag.choices:
            chart.add(label, [row.get(rag) or None for row in reversed(part)])
        described = "; ".join(f"{row['agency']}: " + ", ".join(f"{row.get(rag, 0)} {rag}" for rag in Rag.values) for row in part)
        charts.append({"uri": svg_data_uri(chart), "alt": f"Stacked bar chart: {title}. {described}."})
    return charts
