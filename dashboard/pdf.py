"""The quarterly OSCB report as a PDF (WeasyPrint), drawn from a snapshot's measures.

Fonts are DejaVu, embedded by WeasyPrint from the system font files, and every image is a data: URI
(charts.py), so rendering makes no network request; the URL fetcher allows only data: URIs and
stops the render on anything else, which makes sure of it. Page numbers come from CSS `@page` counters.
"""
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from .charts import agency_chart, trend_chart
from .selectors import THEMES, measures

STYLESHEET = Path(__file__).resolve().parent / "pdf.css"
SUPPRESS_BELOW = 5


def suppressed(value, *, for_publication):
    """Counts of 1 to 4 print as "fewer than 5" in a published report, so no child can be recognised."""
    if for_publication and isinstance(value, int) and not isinstance(value, bool) and 0 < value < SUPPRESS_BELOW:
        return "fewer than 5"
    return value


def report_context(*, quarter, values, history, for_publication=False):
    """What the template needs: a section per theme with each measure's value, RAG, change and chart.

    `history` maps quarter name -> measures for up to 8 quarters (oldest first) for the trend charts.
    """
    previous = history.get(quarter.previous().name, {})
    sections = []
    for theme, title in THEMES.items():
        rows = []
        for measure in (m for m in measures() if m.theme == theme):
            value = values.get(measure.key)
            def hide(number):
                return suppressed(number, for_publication=for_publication)

            row = {"measure": measure, "rag": measure.rag(value)}
            if measure.unit == "by_agency":
                row["rows"] = [{k: hide(v) for k, v in r.items()} for r in value or []]
                row["chart"] = agency_chart(measure, row["rows"])
            else:
                # A suppressed count must not come back through the chart or the change since last quarter.
                points = [(name, hide(h.get(measure.key))) for name, h in history.items()]
                row["display"] = display(measure, hide(value))
                row["change"] = change_words(_change(hide(value), hide(previous.get(measure.key))))
                row["chart"] = trend_chart(measure, points)
            rows.append(row)
        sections.append({"title": title, "rows": rows})
    return {
        "partnership": getattr(settings, "PARTNERSHIP_NAME", "Safeguarding Children Partnership"),
        "quarter": quarter,
        "generated_at": timezone.localtime(),
        "sections": sections,
        "for_publication": for_publication,
    }


def display(measure, value):
    """A figure as printed: "No data", a suppressed count's words, or the number with % for percentages."""
    if value is None:
        return "No data"
    if isinstance(value, str):
        return value
    return f"{value:g}%" if measure.unit == "percent" else f"{value:g}"


def change_words(change):
    if change is None:
        return ""
    if change == 0:
        return "no change since last quarter"
    return f"{'up' if change > 0 else 'down'} {abs(change):g} since last quarter"


def _change(value, before):
    if not isinstance(value, (int, float)) or not isinstance(before, (int, float)):
        return None
    return round(value - before, 1)


def dashboard_pdf(*, context):
    """Render `dashboard/pdf.html` to PDF bytes (WeasyPrint imported here: it is slow to import)."""
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    offline = URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)
    html = render_to_string("dashboard/pdf.html", context)
    return HTML(string=html, url_fetcher=offline).write_pdf(stylesheets=[CSS(filename=str(STYLESHEET), url_fetcher=offline)])
