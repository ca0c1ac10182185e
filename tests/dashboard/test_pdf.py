"""The OSCB report: renders offline, suppresses small counts for publication (so that none can be worked
out from the rest), carries the figures, draws honest charts, and lays out a county-sized quarter cleanly."""

import subprocess
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.charts import AGENCIES_PER_CHART, agency_charts, axis_ticks, trend_chart, trend_scale
from dashboard.pdf import SMALL, WITHHELD, dashboard_pdf, display, published_agency_row, report_context, report_document, suppressed
from dashboard.selectors import compute_measures, measure_by_key, measures_history
from neglect_portal.quarters import parse_quarter

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
    assert _row(context, "cp_neglect_children")["display"] == "5"
    # Issue 16: 6 children on plans beside 5 for neglect would give the 1 on a plan for physical abuse (a complement).
    assert _row(context, "cp_children")["display"] == "not shown"
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
    context["sections"][0]["rows"][0]["charts"] = [{"uri": "http://example.org/chart.svg", "alt": "x"}]
    with pytest.raises(FatalURLFetchingError):
        dashboard_pdf(context=context)


def test_a_suppressed_count_does_not_come_back_through_the_chart_or_the_change(county):
    row = _row(_context(for_publication=True), "entered_care_neglect")
    assert row["change"] == ""
    assert "fewer than 5" in row["chart"]["alt"] and "2025-26-Q4: 1" not in row["chart"]["alt"]


def test_an_agency_chart_with_every_count_suppressed_is_left_out(county):
    published = _context(for_publication=True)
    assert _row(published, "tool_runs_by_agency")["charts"] == [] and _row(published, "tool_runs_by_agency")["left_out"] == 2
    assert _row(published, "conference_attendance_by_agency")["charts"] == []
    assert _row(_context(for_publication=False), "tool_runs_by_agency")["chart"]["alt"].endswith("Community Health Trust: 2; Riverside School: 1.")


# --- Publication privacy: no suppressed count can be recovered from what is printed. --------------

TOOL_PARTS = ("gcp2", "ccdc")


def _tool_row(gcp2, ccdc):
    return {"agency": "A", "gcp2": gcp2, "ccdc": ccdc, "total": gcp2 + ccdc}


def _attendance_row(invitations, attended):
    return {
        "agency": "A",
        "invitations": invitations,
        "attended": attended,
        "attended_pct": None if not invitations else round(100 * attended / invitations, 1),
    }


def _hidden(value):
    return isinstance(value, str)


def assert_nothing_recoverable(original, published):
    """The reviewer's rules, checked cell by cell on one published row against the true one."""
    counts = [key for key in original if key != "agency" and not key.endswith("_pct")]
    for key in counts:
        if 0 < original[key] < 5:
            assert published[key] == SMALL, f"{key}={original[key]} printed"
        elif not _hidden(published[key]):
            assert published[key] == original[key]
    if "total" in original:
        # total = sum of the parts: a cell is recoverable when it is the only hidden one of the group.
        hidden = [key for key in counts if _hidden(published[key])]
        assert len(hidden) != 1, f"{hidden[0]} = total minus the others"
    for key in (k for k in original if k.endswith("_pct")):
        if not _hidden(published[key]) and published[key] is not None:
            assert not any(_hidden(published[count]) for count in counts), f"{key} shown beside a suppressed count"


@pytest.mark.parametrize(
    ("original", "withheld"),
    [
        (_tool_row(3, 60), "ccdc"),  # 63 - 60 would give the 3: the smaller shown part goes
        (_tool_row(58, 2), "gcp2"),
        (_tool_row(2, 2), None),  # both parts and the total are small: three cells hidden already
        (_tool_row(0, 3), None),  # the 3 and the total of 3 are both hidden; the 0 recovers nothing
        (_tool_row(5, 2), "gcp2"),  # "5 + fewer than 5 = 7" -> the 5 is withheld
    ],
)
def test_a_suppressed_tool_count_cannot_be_worked_out_from_the_total(original, withheld):
    published = published_agency_row(original)
    assert_nothing_recoverable(original, published)
    assert [key for key, value in published.items() if value == WITHHELD] == ([withheld] if withheld else [])


@pytest.mark.parametrize("original", [_attendance_row(5, 4), _attendance_row(4, 3), _attendance_row(3, 0), _attendance_row(136, 1)])
def test_an_attendance_percentage_is_withheld_when_either_count_is_suppressed(original):
    published = published_agency_row(original)
    assert_nothing_recoverable(original, published)
    assert published["attended_pct"] == WITHHELD


def test_an_attendance_row_without_small_counts_is_printed_whole():
    assert published_agency_row(_attendance_row(7, 6)) == _attendance_row(7, 6)


@given(st.integers(0, 200), st.integers(0, 200))
def test_no_tool_row_lets_a_suppressed_count_be_recovered(gcp2, ccdc):
    if gcp2 + ccdc:
        original = _tool_row(gcp2, ccdc)
        assert_nothing_recoverable(original, published_agency_row(original))


@given(st.integers(1, 200).flatmap(lambda invited: st.tuples(st.just(invited), st.integers(0, invited))))
def test_no_attendance_row_lets_a_suppressed_count_be_recovered(counts):
    original = _attendance_row(*counts)
    assert_nothing_recoverable(original, published_agency_row(original))


def test_every_agency_row_of_the_published_report_passes_the_disclosure_rules(county):
    values = compute_measures(quarter=Q4)
    published = _context(for_publication=True)
    for key in ("tool_runs_by_agency", "conference_attendance_by_agency"):
        rows = _row(published, key)["rows"]
        assert len(rows) == len(values[key])
        for original, shown in zip(values[key], rows):
            assert_nothing_recoverable(original, shown)


def test_the_internal_report_prints_agency_rows_unsuppressed(county):
    values = compute_measures(quarter=Q4)
    assert _row(_context(for_publication=False), "tool_runs_by_agency")["rows"] == values["tool_runs_by_agency"]


# --- Charts: honest scales, suppressed agencies left out (and said so), page-sized parts. ----------


def _svg(chart):
    import base64

    return base64.b64decode(chart["uri"].split(",", 1)[1]).decode()


@given(st.floats(0.01, 1_000_000))
def test_the_value_axis_starts_at_zero_and_reaches_the_largest_value(top):
    for whole in (True, False):
        ticks = axis_ticks(top, whole=whole)
        assert ticks[0] == 0 and ticks[-1] >= top and len(ticks) <= 12


def test_counts_are_drawn_from_zero_and_percentages_from_0_to_100():
    by_key = measure_by_key()
    assert trend_scale(by_key["cp_neglect_12m_plus_pct"], [42.9, 43.1]) == [0, 20, 40, 60, 80, 100]
    assert trend_scale(by_key["cp_children"], [364, 395])[0] == 0 and trend_scale(by_key["cp_children"], [364, 395])[-1] >= 395


def test_a_measure_with_a_target_draws_it_as_a_dashed_line():
    # Issue 16: no target is built in; this is the one the strategy group would set (MeasureTarget, measures()).
    with_target = replace(measure_by_key()["cp_neglect_12m_plus_pct"], target=10)
    svg = _svg(trend_chart(with_target, [("2025-26-Q3", 40.0), ("2025-26-Q4", 42.9)]))
    assert "Target 10% (dashed line)" in svg and ".serie-1{stroke-width:3;stroke-dasharray:10,6}" in svg
    assert "Target" not in _svg(trend_chart(measure_by_key()["cp_children"], [("2025-26-Q4", 6)]))


def test_the_same_figures_are_drawn_once_and_other_figures_again(monkeypatch):
    from django.core.cache import cache

    import neglect_portal.charts as charts

    cache.clear()
    drawn = []
    rendered = charts._rendered
    monkeypatch.setattr(charts, "_rendered", lambda chart: drawn.append(chart) or rendered(chart))
    measure = measure_by_key()["cp_children"]
    first = trend_chart(measure, [("2025-26-Q3", 5), ("2025-26-Q4", 6)])
    assert trend_chart(measure, [("2025-26-Q3", 5), ("2025-26-Q4", 6)]) == first and len(drawn) == 1
    other = trend_chart(measure, [("2025-26-Q3", 5), ("2025-26-Q4", 7)])
    assert other["uri"] != first["uri"] and len(drawn) == 2
    # A published chart draws its published figures: "fewer than 5" is not drawn, and is another chart.
    published = trend_chart(measure, [("2025-26-Q3", "fewer than 5"), ("2025-26-Q4", 6)], at_least=5)
    assert published["uri"] != first["uri"] and len(drawn) == 3


def _agencies(count, *, small_every=0):
    """Attendance rows; every `small_every`-th agency has small counts (3 invited, 2 attended)."""

    def small(n):
        return bool(small_every) and n % small_every == 0

    return [
        _attendance_row(3, 2) | {"agency": f"Agency {n:02d}"} if small(n) else _attendance_row(20 + n, 10 + n) | {"agency": f"Agency {n:02d}"}
        for n in range(count)
    ]


def test_suppressed_agencies_are_left_out_of_the_chart_not_drawn_as_zero():
    rows = [published_agency_row(row) for row in _agencies(10, small_every=3)]
    charts, left_out = agency_charts(measure_by_key()["conference_attendance_by_agency"], rows)
    assert left_out == 4  # agencies 0, 3, 6, 9
    assert "Agency 03" not in _svg(charts[0]) and "Agency 03" not in charts[0]["alt"] and "Agency 04" in _svg(charts[0])


def test_a_chart_of_many_agencies_is_split_into_parts_that_fit_a_page():
    charts, _ = agency_charts(measure_by_key()["conference_attendance_by_agency"], _agencies(41))
    assert len(charts) == 3 and all(chart["alt"].count("attended") <= AGENCIES_PER_CHART[2] for chart in charts)
    assert [chart["alt"].split(".")[0] for chart in charts] == [f"Bar chart of conference attendance, by agency ({n} of 3)" for n in (1, 2, 3)]


# --- Layout: nothing runs into the page margins, no table row is left alone on a page. ------------


def _county_sized_context(*, for_publication, agencies=41):
    """A quarter with about as many agencies in both agency tables as the real county (about 40)."""
    tools = [{"agency": f"Agency {n:02d}", "gcp2": n % 7, "ccdc": (n * 3) % 5, "total": n % 7 + (n * 3) % 5} for n in range(1, agencies + 1)]
    values = {"tool_runs_by_agency": tools, "conference_attendance_by_agency": _agencies(agencies, small_every=4), "cp_children": 382}
    history = {q.name: values for q in Q4.last(8)}
    return report_context(quarter=Q4, values=values, history=history, for_publication=for_publication)


def _descendants(box):
    yield box
    for child in getattr(box, "children", []):
        yield from _descendants(child)


# Without the table rules in pdf.css, 34 agencies left one row alone after a full page, and 48 one
# row on a third page.
@pytest.mark.parametrize(("agencies", "for_publication"), [(34, False), (48, False), (41, True)])
def test_a_county_sized_report_keeps_charts_and_tables_inside_the_page(db, agencies, for_publication):
    from weasyprint.formatting_structure import boxes

    document = report_document(context=_county_sized_context(for_publication=for_publication, agencies=agencies))
    rows_per_page = {}
    for number, page in enumerate(document.pages, start=1):
        page_box = page._page_box
        bottom = page_box.content_box_y() + page_box.height
        for box in _descendants(page_box):
            if isinstance(box, boxes.ReplacedBox):  # the charts
                assert box.position_y + box.margin_height() <= bottom + 0.5, f"an image runs past the foot of page {number}"
            if isinstance(box, boxes.TableBox):
                for group in (g for g in box.children if isinstance(g, boxes.TableRowGroupBox) and not g.is_header):
                    rows_per_page.setdefault(id(box.element), []).append(len(group.children))
    split = [counts for counts in rows_per_page.values() if len(counts) > 1]
    assert split, "the agency tables should run over a page"
    assert all(min(counts) >= 2 for counts in split), f"a table row alone on a page: {split}"


def test_the_published_report_says_how_many_agencies_the_chart_leaves_out(db, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(dashboard_pdf(context=_county_sized_context(for_publication=True)))
    text = " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout.split())
    assert "11 agencies with fewer than 5 not shown in the chart: see the table." in text
