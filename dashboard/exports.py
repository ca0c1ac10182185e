"""The dashboard's downloads: the measures as CSV rows and the report as a PDF (callers audit them)."""
from .pdf import dashboard_pdf, report_context
from .selectors import measures, measures_history, quarter_measures, snapshot_pdf

CSV_HEADER = ["quarter", "key", "title", "agency", "figure", "value", "rag", "target"]


def _csv_safe(value):
    """Cells starting with = + - @ are prefixed so spreadsheet programs do not run them as formulas."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def measure_csv_rows(*, quarter, values):
    """The header, then one row per measure, or per agency and figure for a by-agency breakdown."""
    yield CSV_HEADER
    for measure in measures():
        value = values.get(measure.key)
        if measure.unit == "by_agency":
            for row in value or []:
                for figure, number in row.items():
                    if figure != "agency":
                        yield [quarter.name, measure.key, measure.title, _csv_safe(row["agency"]), figure, number, "", ""]
        else:
            yield [quarter.name, measure.key, measure.title, "", measure.unit, value, measure.rag(value) or "", measure.target]


def quarter_pdf(*, quarter, for_publication):
    """The signed-off PDF when the quarter has one and the internal report is asked for, else rendered now.

    A published report is always rendered from the quarter's figures (the snapshot's when there is
    one) so that small counts are suppressed; rendering takes a few seconds.
    """
    stored = None if for_publication else snapshot_pdf(quarter=quarter)
    if stored is not None:
        return stored
    values = quarter_measures(quarter=quarter)
    context = report_context(quarter=quarter, values=values, history=measures_history(quarter=quarter, current=values), for_publication=for_publication)
    return dashboard_pdf(context=context)
