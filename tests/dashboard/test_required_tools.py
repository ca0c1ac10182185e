"""The share of cases at each level with the tool the partnership requires (`TOOLS_REQUIRED`), counted by hand.

Quarter under test: 2025-26-Q4, ending Tuesday 31 March 2026. Twenty working days after Tuesday 3 March
2026 is Tuesday 31 March (no bank holiday between; Good Friday is 3 April): a plan started on 3 March
was due by the quarter's end, one started on the 4th was not.
"""

from datetime import UTC, date, datetime, time

import pytest

from cases.models import Case, Child, Threshold
from dashboard.selectors import compute_measures, measure_by_key, measures
from drift.rules import CaseFacts, required_tool_missing
from neglect_portal.quarters import parse_quarter
from plans.models import Plan, PlanKind
from tests.tools.builders import published
from tools.models import AssessmentRun, RunStatus

pytestmark = pytest.mark.django_db

Q4 = parse_quarter("2025-26-Q4")
KEY = "required_tool_specialist_pct"


@pytest.fixture
def required(settings):
    settings.TOOLS_REQUIRED = [{"tool": "gcp2", "level": "specialist", "within_working_days": 20, "after": ["child_in_need", "child_protection"]}]


def _case(world, name, *, plan_on, kind=PlanKind.CHILD_PROTECTION, level=Threshold.SPECIALIST, run_on=None, closed_on=None, plan_ended=None):
    child = Child.objects.create(given_name=name, family_name="Required", date_of_birth=date(2015, 6, 1))
    case = Case.objects.create(
        child=child,
        lead_agency=world.csc,
        opened_on=date(2025, 1, 1),
        threshold=level,
        status="closed" if closed_on else "open",
        closed_on=closed_on,
        closure_reason="x" if closed_on else "",
    )
    Plan.objects.create(
        case=case,
        kind=kind,
        cp_category="neglect" if kind == PlanKind.CHILD_PROTECTION else "",
        started_on=plan_on,
        ended_on=plan_ended,
        end_reason="x" if plan_ended else "",
    )
    if run_on:
        AssessmentRun.objects.create(
            definition=published("gcp2"),
            case=case,
            assessor=world.users["csc_practitioner"],
            agency=world.csc,
            assessed_on=run_on,
            status=RunStatus.FINAL,
            finalised_at=datetime.combine(run_on, time(12), UTC),
        )
    return case


@pytest.fixture
def cases(world, required):
    return {
        "on_time": _case(world, "A", plan_on=date(2026, 3, 3), run_on=date(2026, 3, 31)),  # due the 31st, done the 31st
        "late_but_done": _case(world, "B", plan_on=date(2026, 1, 5), run_on=date(2026, 3, 20)),  # done by the quarter's end: counts
        "missing": _case(world, "C", plan_on=date(2026, 3, 3)),  # due the 31st, not done
        "run_before_plan": _case(world, "D", kind=PlanKind.CHILD_IN_NEED, plan_on=date(2026, 2, 2), run_on=date(2026, 2, 1)),  # not since the start
        "run_after_quarter": _case(world, "E", plan_on=date(2026, 2, 2), run_on=date(2026, 4, 1)),  # done after the quarter: missing then
        "not_due_yet": _case(world, "F", plan_on=date(2026, 3, 4)),  # due 1 April: not counted
        "other_level": _case(world, "G", plan_on=date(2026, 1, 5), level=Threshold.TARGETED_EARLY_HELP),
        "closed": _case(world, "H", plan_on=date(2026, 1, 5), closed_on=date(2026, 3, 1)),
        "plan_ended": _case(world, "I", plan_on=date(2026, 1, 5), plan_ended=date(2026, 3, 1)),
        "early_help_plan": _case(world, "J", kind=PlanKind.EARLY_HELP, plan_on=date(2026, 1, 5)),
    }


def test_one_measure_per_level_with_a_requirement(required):
    measure = measure_by_key()[KEY]
    assert (measure.theme, measure.unit, measure.better) == ("practice", "percent", "higher")
    assert measure.title == "Expected tool done: Specialist / Statutory"
    assert [m.key for m in measures() if m.key.startswith("required_tool_")] == [KEY]


def test_no_requirement_no_measure():
    assert not [m for m in measures() if m.key.startswith("required_tool_")]


def test_the_share_of_due_cases_with_the_tool(cases):
    # Due by 31 March: A, B, C, D, E (F not yet; G another level; H closed; I's plan ended; J early help).
    # With the tool by then: A, B. 2 of 5 = 40.0%.
    assert compute_measures(quarter=Q4)[KEY] == 40.0


def test_the_measure_and_the_drift_flag_read_the_same_rule(world, cases):
    """At the quarter's end, a case due and missing in the measure is the case drift flags, and no other."""
    missing = {"missing", "run_before_plan", "run_after_quarter"}
    for name in ("on_time", "late_but_done", "missing", "run_before_plan", "run_after_quarter", "not_due_yet", "other_level"):
        case = cases[name]
        runs = AssessmentRun.objects.filter(case=case, status=RunStatus.FINAL, assessed_on__lte=Q4.end).order_by("-assessed_on")
        facts = CaseFacts(case=case, open_plans=list(case.plans.all()), last_run_by_tool={"gcp2": runs[0].assessed_on} if runs else {})
        flagged = bool(required_tool_missing(facts, date(2026, 4, 1)))  # the day after the quarter: due by its end and missing
        assert flagged == (name in missing), name


def test_the_page_csv_and_pdf_report_it(world, cases, client_for):
    from django.urls import reverse

    from dashboard.exports import measure_csv_rows, quarter_pdf

    page = client_for(world.users["strategy"]).get(reverse("dashboard:quarter", kwargs={"quarter": Q4.name})).content.decode()
    assert "Expected tool done: Specialist / Statutory" in page and "40%" in page
    assert [row[5] for row in measure_csv_rows(quarter=Q4, values=compute_measures(quarter=Q4)) if row[1] == KEY] == [40.0]
    assert quarter_pdf(quarter=Q4, for_publication=True).startswith(b"%PDF")
