"""The dashboard's downloads: the measures as CSV rows and the report as a PDF (callers audit them)."""

from .disclosure import WITHHELD, published_history, published_values
from .pdf import change_since, dashboard_pdf, report_context
from .selectors import catalogue, measures, measures_history, quarter_measures, snapshot_pdf

CSV_HEADER = ["quarter", "key", "title", "agency", "figure", "value", "rag", "target", "breakdown", "category"]
TREND = "trend"
CHANGE = "change since last quarter"


def measure_csv_rows(*, quarter, values, history=None):
    """The header, then one row per measure (per agency and figure for a by-agency measure), its breakdowns,
    its change since last quarter and, when `history` is given, its trend (the other quarters' figures).

    Whatever `values` and `history` hold is written: the publication CSV passes them through the
    disclosure rule first (`quarter_csv_rows`), so both CSVs share this one layout. Cells are
    defused when written (neglect_portal/csv_export.py), not here."""
    yield CSV_HEADER
    previous = (history or {}).get(quarter.previous().name, {})
    for measure in measures():
        value = values.get(measure.key)
        if measure.unit == "by_agency":
            for row in value or []:
                for figure, number in row.items():
                    if figure != "agency":
                        yield [quarter.name, measure.key, measure.title, row["agency"], figure, number, "", "", "", ""]
            continue
        if measure.unit == "by_question":
            yield from _question_rows(quarter, measure, value)
            continue
        yield [quarter.name, measure.key, measure.title, "", measure.unit, value, measure.rag(value) or "", measure.target, "", ""]
        change = change_since(value, previous.get(measure.key))
        if change is not None:
            yield [quarter.name, measure.key, measure.title, "", CHANGE, change, "", "", "", ""]
        for dimension, cells in ((values.get("breakdowns") or {}).get(measure.key) or {}).items():
            if cells is None:
                yield [quarter.name, measure.key, measure.title, "", measure.unit, WITHHELD, "", "", dimension, ""]
                continue
            for category, number in cells.items():
                yield [quarter.name, measure.key, measure.title, "", measure.unit, number, "", "", dimension, category]
        for name, figures in (history or {}).items():
            if name != quarter.name:
                yield [name, measure.key, measure.title, "", TREND, figures.get(measure.key), "", "", "", ""]


QUESTION_TOTAL = "total"
QUESTION_PCT = "good or better %"


def _question_rows(quarter, measure, rows):
    """A `by_question` table: per row (round or question set in `breakdown`, question in `category`), a cell per answer, the total and
    any percentage. Cells that could not be protected for publication are written "not shown"; no trend (each quarter's questions differ)."""
    for row in rows or []:
        start = [quarter.name, measure.key, measure.title, ""]
        where = ["", "", row["group"], row["question"]]
        for label, number in row["counts"] if row["counts"] is not None else []:
            yield [*start, label, number, *where]
        if row["counts"] is None:
            yield [*start, "answers", WITHHELD, *where]
        yield [*start, QUESTION_TOTAL, row["total"], *where]
        if row.get("pct") is not None:
            yield [*start, QUESTION_PCT, row["pct"], *where]


def quarter_csv_rows(*, quarter, for_publication):
    """The quarter's CSV: the strategy group's (every figure) or the publication's (dashboard/disclosure.py applied to every quarter)."""
    values = quarter_measures(quarter=quarter)
    history = measures_history(quarter=quarter, current=values)
    if for_publication:
        every = catalogue()
        values, history = published_values(values, every), published_history(history, every)
    return measure_csv_rows(quarter=quarter, values=values, history=history)


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
