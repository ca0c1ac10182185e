"""The drift rule `required_tool_missing`: a tool the partnership requires (`TOOLS_REQUIRED`) not done in time.

On the drift clock (today: Tuesday 24 November 2026). Twenty working days after Monday 12 October
2026 is Monday 9 November (no bank holiday between): the tool is due by the 9th, the flag applies
from the 10th.
"""

from datetime import date

import pytest

from cases.models import Case, Threshold
from plans.models import PlanKind
from tests.factories import make_plan
from tests.tools.builders import all_grades, final_run, published

from .builders import flag

pytestmark = pytest.mark.django_db

STARTED = date(2026, 10, 12)
DUE = date(2026, 11, 9)


@pytest.fixture
def gcp2_required(settings, world):
    settings.TOOLS_REQUIRED = [{"tool": "gcp2", "level": "specialist", "within_working_days": 20, "after": ["child_in_need", "child_protection"]}]
    Case.objects.filter(pk=world.case.pk).update(threshold=Threshold.SPECIALIST)
    world.case.refresh_from_db()


def test_no_requirement_no_flag(world):
    make_plan(world.case, started_on=STARTED)
    assert flag(world, "required_tool_missing") is None


def test_a_missing_tool_is_flagged_from_the_day_after_it_was_due(world, gcp2_required):
    plan = make_plan(world.case, started_on=STARTED)
    found = flag(world, "required_tool_missing")
    assert (found.severity, found.since) == ("amber", date(2026, 11, 10))
    assert found.reason == (
        "Graded Care Profile 2 within 20 working days of a Child in Need or Child Protection plan starting, for a case at the "
        "Specialist / Statutory level of need: the child protection plan started on 12 Oct 2026, so it was due by 9 Nov 2026; "
        "none has been finalised since"
    )
    assert [evidence.label for evidence in found.evidence] == ["Assessments on this case", str(plan)]


@pytest.mark.parametrize(("today", "flagged"), [(DUE, False), (date(2026, 11, 10), True)])
def test_due_on_the_last_working_day_allowed(world, gcp2_required, today, flagged):
    make_plan(world.case, started_on=STARTED)
    assert (flag(world, "required_tool_missing", today=today) is not None) == flagged


@pytest.mark.parametrize(("run_on", "flagged"), [(STARTED, False), (date(2026, 11, 20), False), (date(2026, 10, 11), True)])
def test_a_final_run_from_the_start_meets_it_even_late_and_one_before_does_not(world, gcp2_required, run_on, flagged):
    make_plan(world.case, started_on=date(2026, 10, 1))  # an earlier plan: the latest open one starts the clock
    make_plan(world.case, kind=PlanKind.CHILD_IN_NEED, started_on=STARTED)
    final_run(world.case, world.users["lead_practitioner"], values=all_grades(2), on=run_on)
    assert (flag(world, "required_tool_missing") is not None) == flagged


def test_another_tool_does_not_meet_it(world, gcp2_required):
    make_plan(world.case, started_on=STARTED)
    family_progress = {area.id: 5 for area in published("family_progress").parsed.areas}
    final_run(world.case, world.users["lead_practitioner"], "family_progress", values=family_progress, on=date(2026, 10, 20))
    assert flag(world, "required_tool_missing") is not None


def test_a_case_at_another_level_is_not_held_to_it(world, gcp2_required):
    Case.objects.filter(pk=world.case.pk).update(threshold=Threshold.TARGETED_EARLY_HELP)
    make_plan(world.case, started_on=STARTED)
    assert flag(world, "required_tool_missing") is None


def test_a_plan_of_another_kind_does_not_start_the_clock(world, gcp2_required):
    make_plan(world.case, kind=PlanKind.EARLY_HELP, started_on=STARTED)
    assert flag(world, "required_tool_missing") is None


def test_counted_from_the_case_opening(world, settings):
    settings.TOOLS_REQUIRED = [{"tool": "eha", "level": world.case.threshold, "within_working_days": 30, "after": "case_opened"}]
    found = flag(world, "required_tool_missing")
    assert found is not None and "the case opened on 5 Jan 2026" in found.reason
