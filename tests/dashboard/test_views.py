"""The dashboard pages: tiles, charts, downloads (audited), recompute, snapshot status, bad quarters."""

import csv
import io

import pytest
import time_machine
from django.urls import reverse

from audit.models import AccessEvent, AuditAction
from dashboard.models import DashboardSnapshot, MeasureTarget, SnapshotStatus

Q4 = "2025-26-Q4"


@pytest.fixture(autouse=True)
def april_2026():
    # 2025-26-Q4 (January to March 2026) is the last complete quarter.
    with time_machine.travel("2026-04-10 09:00 +0000", tick=False):
        yield


@pytest.fixture
def strategy(county, client_for):
    return client_for(county.world.users["strategy"])


@pytest.fixture
def admin(county, client_for):
    return client_for(county.world.users["admin"])


@pytest.fixture
def targets(county):
    """The strategy group's targets (issue 16: none is built in any more), at the values the built-in ones had."""
    for key, value in (("cp_neglect_12m_plus_pct", 10), ("school_attendance_neglect_pct", 90), ("attendance_improved_pct", 50)):
        MeasureTarget.objects.create(measure_key=key, value=value, reason="Agreed by the strategy group", set_by=county.world.users["strategy"])


def _tile(html, key):
    start = html.index(f'data-testid="tile-{key}"')
    return html[start : html.index('class="govuk-summary-card"', start)]


def _exports():
    return list(AccessEvent.objects.filter(action=AuditAction.EXPORT).values_list("object_type", "object_id", "detail"))


def test_the_dashboard_opens_on_the_last_complete_quarter(strategy):
    response = strategy.get(reverse("dashboard:index"))
    assert response.url == reverse("dashboard:quarter", kwargs={"quarter": Q4})


def test_tiles_show_value_rag_and_change_since_last_quarter(strategy, targets):
    html = strategy.get(reverse("dashboard:quarter", kwargs={"quarter": Q4})).content.decode()
    assert html.count("<h1") == 1
    long_plans = _tile(html, "cp_neglect_12m_plus_pct")
    assert ('data-testid="value">20%<' in long_plans, "govuk-tag--red" in long_plans, "Up 20 since last quarter" in long_plans) == (True, True, True)
    attendance = _tile(html, "school_attendance_neglect_pct")
    assert ("83.3%" in attendance, "govuk-tag--yellow" in attendance) == (True, True)
    assert "No change since last quarter" in _tile(html, "cp_children")
    assert "govuk-tag--green" in _tile(html, "attendance_improved_pct")


def test_charts_are_data_uris_with_alt_text_including_agency_breakdowns(strategy):
    html = strategy.get(reverse("dashboard:quarter", kwargs={"quarter": Q4})).content.decode()
    assert 'alt="Line chart of children on child protection plans by quarter. 2024-25-Q1: 0;' in html
    tools = _tile(html, "tool_runs_by_agency")
    assert ('src="data:image/svg+xml;base64,' in tools, "Bar chart of neglect tools used, by agency. Community Health Trust: 2" in tools) == (True, True)
    assert "<script" not in html.split("</head>", 1)[1]


def test_the_page_says_the_figures_are_live_until_signed_off_and_shows_the_snapshot_status(county, strategy):
    url = reverse("dashboard:quarter", kwargs={"quarter": Q4})
    assert "No signed-off figures yet" in strategy.get(url).content.decode()
    DashboardSnapshot.objects.create(quarter=Q4, status=SnapshotStatus.FAILED, failure_reason="WeasyPrint ran out of memory")
    failed = strategy.get(url).content.decode()
    assert ("Failed" in failed, "WeasyPrint ran out of memory" in failed) == (True, True)


def test_a_signed_off_quarter_shows_the_snapshot_figures(county, strategy):
    DashboardSnapshot.objects.create(quarter=Q4, status=SnapshotStatus.DONE, measures={"cp_children": 41})
    html = strategy.get(reverse("dashboard:quarter", kwargs={"quarter": Q4})).content.decode()
    assert ("Signed-off figures, computed" in html, 'data-testid="value">41<' in _tile(html, "cp_children")) == (True, True)


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("2025-Q4", "is not a quarter: use the financial-year form YYYY-YY-Qn"),
        ("2025-27-Q1", "the second year must follow the first"),
        ("2026-27-Q2", "2026-27-Q2 (July to September 2026) has not started yet."),
    ],
)
def test_a_bad_or_future_quarter_is_not_found_with_the_reason(strategy, name, reason):
    response = strategy.get(reverse("dashboard:quarter", kwargs={"quarter": name}))
    assert (response.status_code, reason in response.content.decode()) == (404, True)


def test_the_csv_holds_every_measure_and_each_agency_row_and_is_audited(strategy, targets):
    response = strategy.get(reverse("dashboard:measures_csv", kwargs={"quarter": Q4}))
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    by_key = {(r["key"], r["agency"], r["figure"]): r for r in rows}
    assert by_key[("cp_neglect_12m_plus_pct", "", "percent")]["value"] == "20.0"
    assert by_key[("cp_neglect_12m_plus_pct", "", "percent")]["rag"] == "red"
    assert by_key[("tool_runs_by_agency", "Community Health Trust", "total")]["value"] == "2"
    assert response["Content-Disposition"] == f'attachment; filename="neglect-dashboard-{Q4}.csv"'
    assert _exports() == [("dashboard", Q4, "measures CSV")]


def test_the_internal_pdf_is_the_signed_off_one_and_is_audited(county, strategy):
    DashboardSnapshot.objects.create(quarter=Q4, status=SnapshotStatus.DONE, measures={}, pdf=b"%PDF-1.7 signed off")
    response = strategy.get(reverse("dashboard:report_pdf", kwargs={"quarter": Q4}))
    assert (response.content, _exports()) == (b"%PDF-1.7 signed off", [("dashboard", Q4, "PDF (official – sensitive)")])


def test_the_pdf_for_publication_is_rendered_with_small_counts_suppressed(county, strategy):
    DashboardSnapshot.objects.create(quarter=Q4, status=SnapshotStatus.DONE, measures={}, pdf=b"%PDF-1.7 signed off")
    response = strategy.get(reverse("dashboard:report_pdf", kwargs={"quarter": Q4}), {"for_publication": "on"})
    assert (response.content[:4], response["Content-Disposition"]) == (b"%PDF", f'attachment; filename="neglect-dashboard-{Q4}-for-publication.pdf"')
    assert _exports() == [("dashboard", Q4, "PDF for publication")]


def test_an_admin_queues_a_recompute_and_the_page_shows_it_queued(county, admin, django_capture_on_commit_callbacks):
    url = reverse("dashboard:quarter", kwargs={"quarter": Q4})
    assert "Sign off the figures" in admin.get(url).content.decode()
    with django_capture_on_commit_callbacks() as callbacks:
        response = admin.post(reverse("dashboard:snapshot_queue", kwargs={"quarter": Q4}))
    assert (response.url, len(callbacks)) == (url, 1)
    snapshot = DashboardSnapshot.objects.get(quarter=Q4)
    assert (snapshot.status, snapshot.requested_by) == (SnapshotStatus.QUEUED, county.world.users["admin"])
    assert "Queued" in admin.get(url).content.decode()


def test_strategy_members_see_no_recompute_button(strategy):
    assert "Sign off the figures" not in strategy.get(reverse("dashboard:quarter", kwargs={"quarter": Q4})).content.decode()


def test_a_quarter_still_running_cannot_be_signed_off(county, admin):
    response = admin.post(reverse("dashboard:snapshot_queue", kwargs={"quarter": "2026-27-Q1"}))
    assert (response.status_code, DashboardSnapshot.objects.exists()) == (404, False)
    assert "can be signed off from the day after" in response.content.decode()
