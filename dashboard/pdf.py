"""The quarterly neglect report as a PDF (WeasyPrint), drawn from a snapshot's measures, and the page's context.

Fonts are DejaVu, embedded by WeasyPrint from the system font files, and every image is a data: URI
(charts.py), so rendering makes no network request; the portal's one renderer (neglect_portal/pdf.py)
allows only data: URIs and static files and stops the render on anything else, which makes sure of it. Page numbers come from CSS `@page` counters.
"""

from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone

from neglect_portal.pdf import render_document
from partnership.charts import rag_charts
from partnership.selectors import action_plan_red_rows, partnership_profile

from .charts import agency_charts, trend_chart
from .disclosure import SMALL, WITHHELD, published_agency_row, published_history, published_values, small_words, suppressed, threshold
from .measures import DIMENSIONS, GRADES_BY_QUESTION, NOTES
from .selectors import THEMES, catalogue, category_label, dashboard_setup, measure_sources, measures, quarter_report

STYLESHEET = Path(__file__).resolve().parent / "pdf.css"
# The disclosure rule lives in dashboard/disclosure.py; these names stay importable from here.
__all__ = ["SMALL", "WITHHELD", "published_agency_row", "suppressed", "report_context", "dashboard_pdf", "report_document", "display"]


def report_context(*, quarter, values, history, for_publication=False):
    """What the page and the PDF need: a section per theme with each measure's value, RAG, change, chart and breakdowns.

    `history` maps quarter name -> measures for up to 8 quarters (oldest first) for the trend charts.
    For publication every quarter's figures go through the disclosure rule first
    (dashboard/disclosure.py), so the tiles, the trend, the change since last quarter, the charts
    and the breakdowns all show only what may be published; the strategy group's narrative and
    escalations stay in its own report (free text cannot be checked for small numbers).
    """
    shown, every = measures(), catalogue()
    if for_publication:
        values = published_values(values, every)
        history = published_history(history, every)
    previous = history.get(quarter.previous().name, {})
    report = quarter_report(quarter=quarter)
    narratives = (report.narratives if report is not None else {}) if not for_publication else {}
    sources = measure_sources()
    sections = []
    for theme, title in THEMES.items():
        rows = []
        for measure in (m for m in shown if m.theme == theme):
            value = values.get(measure.key)
            row = {
                "measure": measure,
                "rag": measure.rag(value),
                "left_out": 0,
                "sources": sources.get(measure.key, []),
                "note_headings": [NOTES[note][0] for note in measure.notes],
            }
            if measure.key == "action_plan_rag_by_agency":
                row["rows"] = [dict(r) for r in value or []]
                row["charts"] = rag_charts(measure, row["rows"])
            elif measure.unit == "by_agency":
                row["rows"] = [dict(r) for r in value or []]
                row["charts"], row["left_out"] = agency_charts(measure, row["rows"])
            elif measure.unit == "by_question":
                row["tables"], row["charts"] = question_tables(measure, value), []
            else:
                # Published values only: a hidden figure comes back through neither the chart nor the change.
                points = [(name, h.get(measure.key)) for name, h in history.items()]
                row["display"] = display(measure, value)
                row["change"] = change_words(change_since(value, previous.get(measure.key)))
                row["trend"] = [{"quarter": name, "display": display(measure, point)} for name, point in points]
                chart = trend_chart(measure, points, at_least=threshold() + 1 if for_publication and measure.unit == "count" else 0)
                row["charts"] = [chart] if chart else []
            if measure.breakdowns:
                row["breakdowns"] = _breakdown_rows(measure, (values.get("breakdowns") or {}).get(measure.key), value)
            row["chart"] = row["charts"][0] if row["charts"] else None  # the first (or only) chart
            rows.append(row)
        if rows:
            sections.append({"title": title, "rows": rows, "theme": theme, "narrative": narratives.get(theme, "")})
    profile = partnership_profile()
    setup = dashboard_setup()
    return {
        "partnership": profile.name,
        "partnership_logo": profile.logo_uri,
        "population": profile.under_18_population,
        "board": setup.board if setup is not None else "",
        "measure_set": setup.measure_set if setup is not None else None,
        "action_plan_red_rows": action_plan_red_rows(quarter=quarter),
        "quarter": quarter,
        "generated_at": timezone.localtime(),
        "sections": sections,
        "report": report,
        "escalations": "" if for_publication or report is None else report.escalations,
        "for_publication": for_publication,
        "small": small_words(),
        "withheld": WITHHELD,
        "threshold": threshold(),
        "notes": [NOTES[key] for key in NOTES if any(key in m.notes for m in shown)],
    }


def question_tables(measure, rows):
    """A `by_question` measure's rows as tables, one per round or question set: [{"group", "labels", "rows": [{"question", "cells",
    "total", "pct"}]}]. A row whose cells could not be protected shows them "not shown"; a free-text question only how many answered."""
    tables = []
    for r in rows or []:
        if not tables or tables[-1]["group"] != r["group"]:
            tables.append({"group": r["group"], "labels": [], "rows": []})
        table = tables[-1]
        if r["counts"] and not table["labels"]:
            table["labels"] = [label for label, _ in r["counts"]]
        if r["counts"] is None:
            cells = None
        else:
            cells = [display(measure, n) for _, n in r["counts"]]
        table["rows"].append(
            {
                "question": r["question"],
                "cells": cells,
                "total": display(measure, r["total"]),
                "pct": "" if r.get("pct") is None else (r["pct"] if isinstance(r["pct"], str) else f"{r['pct']:g}%"),
            }
        )
    for table in tables:
        table["has_pct"] = measure.key == GRADES_BY_QUESTION
        for r in table["rows"]:
            if r["cells"] is None:
                r["cells"] = [WITHHELD] * len(table["labels"])
            elif not r["cells"]:
                r["cells"] = [""] * len(table["labels"])
    return tables


def _breakdown_rows(measure, dimensions, total):
    """[{"dimension": heading, "cells": [(category, shown)] or None}] for the tables under a count."""
    rows = []
    for dimension, heading in DIMENSIONS.items():
        cells = (dimensions or {}).get(dimension)
        rows.append(
            {
                "dimension": heading,
                "cells": None if cells is None else [(category_label(category), display(measure, number)) for category, number in cells.items()],
            }
        )
    return rows if dimensions else []


def display(measure, value):
    """A figure as printed: "No data", a suppressed count's words, or the number with % for percentages."""
    if value is None:
        return "No data"
    if isinstance(value, str):
        return value
    if measure.unit == "percent":
        return f"{value:g}%"
    return f"{value:g} days" if measure.unit == "days" else f"{value:g}"


def change_words(change):
    if change is None:
        return ""
    if change == 0:
        return "no change since last quarter"
    return f"{'up' if change > 0 else 'down'} {abs(change):g} since last quarter"


def change_since(value, before):
    if not isinstance(value, (int, float)) or not isinstance(before, (int, float)):
        return None
    return round(value - before, 1)


def report_document(*, context):
    """Lay out `dashboard/pdf.html` as a WeasyPrint document (its pages can be inspected)."""
    return render_document(render_to_string("dashboard/pdf.html", context), stylesheets=[STYLESHEET])


def dashboard_pdf(*, context):
    """Render `dashboard/pdf.html` to PDF bytes."""
    return report_document(context=context).write_pdf()
