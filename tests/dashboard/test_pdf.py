"""The OSCB report: renders offline, suppresses small counts for publication, carries the figures."""
import subprocess

import pytest

from dashboard.pdf import dashboard_pdf, display, report_context, suppressed
from dashboard.quarters import parse_quarter
from dashboard.selectors import compute_measures, measure_by_key, measures_history

Q4 = parse_quarter("2025-26-Q4")


@pytest.mark.parametrize(("value", "shown"), [(0, 0), (1, "fewer than 5"), (4, "fewer than 5"), (5, 5), (12.5, 12.5), (None, None)])
def test_counts_from_1_to_4_are_suppressed_for_publication(value, shown):
    assert suppressed(value, for_publication=True) == shown


def test_nothing_is_suppressed_in_the_internal_report():
    assert suppressed(3, for_publication=False) == 3


def test_percentages_print_with_a_sign_and_missing_data_in_words():
    by_key = measure_by_key()
    assert (display(by_key["cp_neglect_share_pct"], 83.3), display(by_key["cp_children"], 6), display(by_key["cp_children"], None)) == ("83.3%", "6", "No data")


def _context(for_publication):
    values = compute_measures(quarter=Q4)
    return report_context(quarter=Q4, values=values, history=measures_history(quarter=Q4, current=values), for_publication=for_publication)


def _row(context, key):
    return next(row for section in context["sections"] for row in section["rows"] if row["measure"].key == key)


def test_the_published_report_suppresses_small_counts_in_tiles_and_agency_tables(county):
    context = _context(for_publication=True)
    assert _row(context, "entered_care_neglect")["display"] == "fewer than 5"
    assert _row(context, "cp_children")["display"] == "6"
    assert _row(context, "tool_runs_by_agency")["rows"][0]["total"] == "fewer than 5"


def test_the_report_embeds_dejavu_and_numbers_its_pages(county, tmp_path):
    path = tmp_path / "dashboard.pdf"
    path.write_bytes(dashboard_pdf(context=_context(for_publication=False)))
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "DejaVu-Sans" in fonts and " no " not in fonts.split("\n", 2)[2]  # every font embedded ("emb" = yes)
    assert "2025-26-Q4" in text and "Page 2 of" in text and "83.3%" in text


def test_a_report_that_tries_to_fetch_from_the_network_fails_instead(county, monkeypatch):
    from weasyprint.urls import FatalURLFetchingError

    context = _context(for_publication=False)
    context["sections"][0]["rows"][0]["chart"] = {"uri": "http://example.org/chart.svg", "alt": "x"}
    with pytest.raises(FatalURLFetchingError):
        dashboard_pdf(context=context)


def test_a_suppressed_count_does_not_come_back_through_the_chart_or_the_change(county):
    row = _row(_context(for_publication=True), "entered_care_neglect")
    assert row["change"] == ""
    assert "fewer than 5" in row["chart"]["alt"] and "2025-26-Q4: 1" not in row["chart"]["alt"]


def test_an_agency_chart_with_every_count_suppressed_is_left_out(county):
    published = _context(for_publication=True)
    assert _row(published, "tool_runs_by_agency")["chart"] is None
    assert _row(published, "conference_attendance_by_agency")["chart"] is None
    assert _row(_context(for_publication=False), "tool_runs_by_agency")["chart"]["alt"].endswith("Community Health Trust: 2; Riverside School: 1.")
