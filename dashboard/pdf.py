"""The quarterly OSCB report as a PDF (WeasyPrint), drawn from a snapshot's measures.

Fonts are DejaVu, embedded by WeasyPrint from the system font files, and every image is a data: URI
(charts.py), so rendering makes no network request; the URL fetcher allows only data: URIs and
stops the render on anything else, which makes sure of it. Page numbers come from CSS `@page` counters.
"""
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone

from partnership.charts import rag_charts
from partnership.selectors import action_plan_red_rows, partnership_profile

from .charts import agency_charts, trend_chart
from .selectors import THEMES, measures

STYLESHEET = Path(__file__).resolve().parent / "pdf.css"
SUPPRESS_BELOW = 5
SMALL = "fewer than 5"
# Withheld so that a suppressed count cannot be worked out from it (a total minus the other
# parts, or a percentage of a shown whole): secondary suppression.
WITHHELD = "not shown"


def suppressed(value, *, for_publication):
    """Counts of 1 to 4 print as "fewer than 5" in a published report, so no child can be recognised."""
    if for_publication and _is_count(value) and 0 < value < SUPPRESS_BELOW:
        return SMALL
    return value


def _is_count(value):
    return isinstance(value, int) and not isinstance(value, bool)


def published_agency_row(row):
    """One agency's row as printed for publication: small counts suppressed, and nothing left to recover them.

    Primary suppression turns counts of 1 to 4 into "fewer than 5". Then the standard disclosure
    rules: in an additive group (the tool counts and their `total`) one suppressed cell could be
    worked out from the others, so the next-smallest shown cell is withheld too (a part before the
    total on a tie, so the chart keeps its bar); a percentage (`*_pct`) is derived from the row's
    counts, so it is withheld whenever any of them is suppressed.
    """
    published = {key: (value if key == "agency" or key.endswith("_pct") else suppressed(value, for_publication=True)) for key, value in row.items()}
    if "total" in row:
        group = [key for key in row if key != "agency" and not key.endswith("_pct")]
        hidden = [key for key in group if isinstance(published[key], str)]
        if len(hidden) == 1:
            shown = [key for key in group if _is_count(published[key]) and published[key] > 0] or [key for key in group if key not in hidden]
            smallest = min(shown, key=lambda key: (published[key], key == "total"))
            published[smallest] = WITHHELD
    if any(isinstance(published[key], str) for key in row if key != "agency" and not key.endswith("_pct")):
        published.update({key: WITHHELD for key in row if key.endswith("_pct") and row[key] is not None})
    return published


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
            def hide(number, measure=measure):
                # Only counts of children are suppressed: action-plan rows by RAG identify nobody.
                return suppressed(number, for_publication=for_publication and measure.counts_children)

            row = {"measure": measure, "rag": measure.rag(value), "left_out": 0}
            if measure.key == "action_plan_rag_by_agency":
                row["rows"] = [dict(r) for r in value or []]
                row["charts"] = rag_charts(measure, row["rows"])
            elif measure.unit == "by_agency":
                publish = for_publication and measure.counts_children
                row["rows"] = [published_agency_row(r) if publish else dict(r) for r in value or []]
                row["charts"], row["left_out"] = agency_charts(measure, row["rows"])
            else:
                # A suppressed count must not come back through the chart or the change since last quarter.
                points = [(name, hide(h.get(measure.key))) for name, h in history.items()]
                row["display"] = display(measure, hide(value))
                row["change"] = change_words(_change(hide(value), hide(previous.get(measure.key))))
                row["trend"] = [{"quarter": name, "display": display(measure, point)} for name, point in points]
                row["charts"] = [trend_chart(measure, points)]
            row["chart"] = row["charts"][0] if row["charts"] else None  # the first (or only) chart
            rows.append(row)
        sections.append({"title": title, "rows": rows, "theme": theme})
    profile = partnership_profile()
    return {
        "partnership": profile.name,
        "partnership_logo": profile.logo_uri,
        "action_plan_red_rows": action_plan_red_rows(quarter=quarter),
        "quarter": quarter,
        "generated_at": timezone.localtime(),
        "sections": sections,
        "for_publication": for_publication,
        "small": SMALL,
        "withheld": WITHHELD,
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


def report_document(*, context):
    """Lay out `dashboard/pdf.html` as a WeasyPrint document (its pages can be inspected; WeasyPrint is slow to import)."""
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    offline = URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)
    html = render_to_string("dashboard/pdf.html", context)
    return HTML(string=html, url_fetcher=offline).render(stylesheets=[CSS(filename=str(STYLESHEET), url_fetcher=offline)])


def dashboard_pdf(*, context):
    """Render `dashboard/pdf.html` to PDF bytes."""
    return report_document(context=context).write_pdf()
