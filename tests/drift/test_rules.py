"""Each drift rule at its boundaries, on the frozen clock (today: Tuesday 24 November 2026)."""

from datetime import date
from decimal import Decimal

import pytest

from cases.services import case_close
from chronologies.models import EntryKind, Significance
from conferences.selectors import (
    AGENCY_ABSENT_IN_A_ROW,
    PLAN_ENDED_KEY_AGENCY_ABSENT,
    REPORTS_NOT_ON_TIME,
    ConferenceFlag,
)
from drift.rules import CaseFacts, flags_from_facts
from plans.models import ActionStatus, PlanKind
from plans.services import plan_action_update
from tests.chronologies.builders import make_entry
from tests.factories import make_action, make_plan
from tests.tools.builders import all_grades, final_run, published
from voice.models import Speaker

from .builders import flag, flags_of, oversight_on, voice_on
from .conftest import TODAY

pytestmark = pytest.mark.django_db


# Months after a date and whole months (the thresholds below): tests/neglect_portal/test_dates.py.


# --- cp_plan_duration ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("started_on", "severity", "since"),
    [
        (date(2026, 2, 24), "amber", date(2026, 11, 24)),  # exactly 9 months
        (date(2026, 2, 25), None, None),  # 9 months less a day
        (date(2025, 11, 24), "red", date(2026, 11, 24)),  # exactly 12 months
        (date(2025, 11, 25), "amber", date(2026, 8, 25)),  # 12 months less a day: still amber
    ],
)
def test_cp_plan_for_neglect_is_amber_at_9_months_and_red_at_12(world, started_on, severity, since):
    make_plan(world.case, started_on=started_on)
    found = flag(world, "cp_plan_duration")
    assert (found and found.severity, found and found.since) == (severity, since)


def test_cp_plan_reason_gives_its_age_and_start(world):
    make_plan(world.case, started_on=date(2025, 10, 4))
    assert flag(world, "cp_plan_duration").reason == "Child protection plan for neglect open 13 months (since 4 Oct 2025)"


def test_cp_plan_for_another_category_is_not_flagged(world):
    make_plan(world.case, cp_category="physical", started_on=date(2025, 1, 1))
    assert flag(world, "cp_plan_duration") is None


def test_cp_plan_thresholds_come_from_settings(world, settings):
    settings.DRIFT_CP_PLAN_AMBER_MONTHS = 3
    make_plan(world.case, started_on=date(2026, 8, 24))
    assert flag(world, "cp_plan_duration").severity == "amber"


def test_long_plan_thresholds_are_the_settings_the_dashboard_reads(world, settings):
    settings.LONG_CP_PLAN_MONTHS, settings.LONG_CIN_PLAN_MONTHS = 10, 4
    make_plan(world.case, started_on=date(2026, 1, 24))
    make_plan(world.case, kind=PlanKind.CHILD_IN_NEED, started_on=date(2026, 7, 23))
    assert (flag(world, "cp_plan_duration").severity, flag(world, "cp_plan_duration").since) == ("red", TODAY)
    assert "over the 4 months expected" in flag(world, "cin_plan_duration").reason


# --- cin_plan_duration -----------------------------------------------------------------------------


def test_cin_plan_of_exactly_6_months_is_not_flagged(world):
    make_plan(world.case, kind=PlanKind.CHILD_IN_NEED, started_on=date(2026, 5, 24))
    assert flag(world, "cin_plan_duration") is None


def test_cin_plan_over_6_months_is_flagged_from_the_day_after(world):
    make_plan(world.case, kind=PlanKind.CHILD_IN_NEED, started_on=date(2026, 5, 23))
    found = flag(world, "cin_plan_duration")
    assert (found.severity, found.since) == ("amber", TODAY)
    assert "Child in need plan open 6 months (since 23 May 2026)" in found.reason


# --- repeat_cp_plan -------------------------------------------------------------------------------


def test_second_cp_plan_for_neglect_is_red_from_its_start(world):
    make_plan(world.case, started_on=date(2024, 1, 10), ended_on=date(2024, 9, 1))
    make_plan(world.case, started_on=date(2026, 10, 1))
    found = flag(world, "repeat_cp_plan")
    assert (found.severity, found.since) == ("red", date(2026, 10, 1))
    assert found.reason == "This is the child's 2nd child protection plan for neglect; this one started 1 Oct 2026"


def test_first_cp_plan_for_neglect_after_a_plan_of_another_category_is_not_a_repeat(world):
    make_plan(world.case, cp_category="emotional", started_on=date(2024, 1, 10), ended_on=date(2024, 9, 1))
    make_plan(world.case, started_on=date(2026, 10, 1))
    assert flag(world, "repeat_cp_plan") is None


# --- no_oversight -----------------------------------------------------------------------------------


def test_oversight_exactly_28_days_ago_is_in_time(world):
    oversight_on(world, date(2026, 10, 27))
    assert flag(world, "no_oversight") is None


def test_oversight_29_days_ago_is_flagged_from_the_day_after_it_was_due(world):
    oversight_on(world, date(2026, 10, 26))
    found = flag(world, "no_oversight")
    assert (found.severity, found.since) == ("amber", TODAY)
    assert found.reason == "Last management oversight 26 Oct 2026, 29 days ago (expected every 28 days)"


def test_no_oversight_ever_counts_from_the_case_opening(world):
    found = flag(world, "no_oversight")
    assert found.since == date(2026, 2, 3)  # opened 5 January 2026
    assert found.reason.startswith("No management oversight recorded since the case opened on 5 Jan 2026")


# --- no_assessment and no_reassessment -----------------------------------------------------------------


@pytest.fixture
def plan_from_june(world):
    return make_plan(world.case, kind=PlanKind.CHILD_IN_NEED, started_on=date(2026, 6, 1))


def test_run_the_day_before_the_plan_started_leaves_no_assessment(world, plan_from_june):
    final_run(world.case, world.users["lead_practitioner"], values=all_grades(3), on=date(2026, 5, 31))
    found = flag(world, "no_assessment")
    # 20 working days of grace after Monday 1 June: one was expected by Monday 29 June.
    assert (found.severity, found.since) == ("amber", date(2026, 6, 30))
    assert "since the child in need plan started on 1 Jun 2026; the last was on 31 May 2026; one was expected by 29 Jun 2026" in found.reason


@pytest.mark.parametrize(
    ("started_on", "flagged"),
    [
        (date(2026, 11, 24), False),  # the plan's first day
        (date(2026, 10, 27), False),  # 20 working days ago: the last day of the grace
        (date(2026, 10, 26), True),  # 21 working days ago
    ],
)
def test_a_new_plan_has_a_grace_period_before_no_assessment(world, started_on, flagged):
    make_plan(world.case, kind=PlanKind.CHILD_IN_NEED, started_on=started_on)
    assert (flag(world, "no_assessment") is not None) == flagged


def test_the_no_assessment_grace_comes_from_settings(world, settings):
    settings.DRIFT_NO_ASSESSMENT_GRACE_WORKING_DAYS = 0
    make_plan(world.case, kind=PlanKind.CHILD_IN_NEED, started_on=date(2026, 11, 23))
    assert flag(world, "no_assessment").since == date(2026, 11, 24)


def test_run_on_the_day_the_plan_started_counts(world, plan_from_june):
    final_run(world.case, world.users["lead_practitioner"], values=all_grades(3), on=date(2026, 6, 1))
    assert flag(world, "no_assessment") is None


def test_no_plan_no_assessment_flag(world):
    assert flag(world, "no_assessment") is None


def test_repeat_run_due_exactly_today_is_in_time(world, plan_from_june):
    final_run(world.case, world.users["lead_practitioner"], values=all_grades(3), on=date(2026, 8, 24))
    assert flag(world, "no_reassessment") is None


def test_last_run_over_3_months_ago_is_flagged(world, plan_from_june):
    final_run(world.case, world.users["lead_practitioner"], values=all_grades(3), on=date(2026, 8, 23))
    found = flag(world, "no_reassessment")
    assert (found.severity, found.since) == ("amber", TODAY)
    assert found.reason == "Last assessment tool run dated 23 Aug 2026; a repeat was due by 23 Nov 2026 and none has been finalised"


def test_a_run_the_reader_may_not_see_does_not_count(world, plan_from_june):
    """Flags are computed from what the reader sees: the police grantee sees this case, an outsider nothing."""
    assert flag(world, "no_assessment", user="outsider") is None
    assert flag(world, "no_assessment", user="granted") is not None


# --- scores_not_improving -------------------------------------------------------------------------


@pytest.mark.parametrize(("latest_grade", "severity"), [(4, "red"), (3, "amber"), (2, None)])
def test_gcp2_scores_worse_is_red_unchanged_is_amber_better_is_not_flagged(world, latest_grade, severity):
    user = world.users["lead_practitioner"]
    final_run(world.case, user, values=all_grades(3), on=date(2026, 9, 1))
    latest = final_run(world.case, user, values=all_grades(latest_grade), on=date(2026, 11, 2))
    found = flag(world, "scores_not_improving")
    assert (found and found.severity) == severity
    if found:
        assert found.since == date(2026, 11, 2)
        assert f"/tools/runs/{latest.pk}/" in [item.url for item in found.evidence]


# --- actions_overdue -------------------------------------------------------------------------------


def test_action_due_today_is_not_overdue_and_due_yesterday_is(world):
    plan = make_plan(world.case, started_on=date(2026, 10, 1))
    make_action(plan, world.school, due_on=TODAY)
    assert flag(world, "actions_overdue") is None
    late = make_action(plan, world.school, due_on=date(2026, 11, 23), what="Breakfast club every day")
    found = flag(world, "actions_overdue")
    assert (found.severity, found.since) == ("amber", TODAY)
    assert found.reason == "1 plan action overdue; the oldest was due 23 Nov 2026 (Breakfast club every day, Riverside School)"
    assert found.evidence[0].url == f"/cases/{world.case.pk}/actions/{late.pk}/"


def test_done_action_is_not_overdue(world):
    plan = make_plan(world.case, started_on=date(2026, 10, 1))
    action = make_action(plan, world.school, due_on=date(2026, 11, 1))
    plan_action_update(actor=world.users["csc_manager"], action=action, status=ActionStatus.DONE, evidence="Attends every day")
    assert flag(world, "actions_overdue") is None


# --- child_not_seen -------------------------------------------------------------------------------


def test_childs_voice_exactly_42_days_ago_is_in_time(world):
    voice_on(world, date(2026, 10, 13))
    assert flag(world, "child_not_seen") is None


def test_childs_voice_43_days_ago_is_red(world):
    voice_on(world, date(2026, 10, 12))
    found = flag(world, "child_not_seen")
    assert (found.severity, found.since) == ("red", TODAY)
    assert found.reason == "No child's voice or home visit recorded since 12 Oct 2026, 43 days ago (expected within 42 days)"


def test_a_parent_speaking_for_the_child_does_not_count(world):
    voice_on(world, date(2026, 11, 20), speaker=Speaker.PARENT_OR_CARER)
    assert flag(world, "child_not_seen") is not None


def test_a_home_visit_counts_as_direct_contact(world):
    make_entry(world.case.child, world.users["lead_practitioner"], occurred_on=date(2026, 11, 1), kind=EntryKind.HOME_VISIT)
    assert flag(world, "child_not_seen") is None


# --- conference_absence and plan_ended_without_agency (conferences' own flags) -----------------------


def test_conference_flags_are_taken_under_drift_codes_and_others_left_out(world):
    facts = CaseFacts(
        case=world.case,
        last_oversight_on=TODAY,
        last_seen_on=TODAY,
        conference_flags=[
            ConferenceFlag(AGENCY_ABSENT_IN_A_ROW, "amber", "Riverside School absent from the last 2 conferences", date(2026, 9, 1), 7),
            ConferenceFlag(PLAN_ENDED_KEY_AGENCY_ABSENT, "red", "Plan ended at the review on 1 Nov 2026 without key agency Police", date(2026, 11, 1), 8),
            ConferenceFlag(REPORTS_NOT_ON_TIME, "amber", "Reports late", date(2026, 11, 1), 8),
        ],
    )
    flags = flags_from_facts(facts, TODAY)
    assert [(f.code, f.severity) for f in flags] == [("plan_ended_without_agency", "red"), ("conference_absence", "amber")]
    assert flags[0].evidence[0].url == "/conferences/8/"


# --- cumulative_concerns ------------------------------------------------------------------------------


@pytest.fixture
def three_notable_entries(world):
    for day, user in ((date(2026, 7, 1), "lead_practitioner"), (date(2026, 8, 1), "partner_practitioner"), (date(2026, 9, 1), "lead_practitioner")):
        make_entry(world.case.child, world.users[user], occurred_on=day, kind=EntryKind.OTHER, significance=Significance.SIGNIFICANT)


def _eha(world, on):
    eha = published("eha")
    final_run(world.case, world.users["lead_practitioner"], "eha", values={area.id: "Written answer" for area in eha.parsed.areas}, on=on)


def test_cumulative_concerns_without_an_early_help_assessment_are_red_from_the_entry_that_completed_them(world, three_notable_entries):
    found = flag(world, "cumulative_concerns")
    assert (found.severity, found.since) == ("red", date(2026, 9, 1))
    assert found.reason.endswith("No Early Help Assessment finalised since 24 May 2026.")
    assert len(found.evidence) == 3


def test_an_early_help_assessment_on_the_first_day_of_the_window_answers_them(world, three_notable_entries):
    _eha(world, date(2026, 5, 24))
    assert flag(world, "cumulative_concerns") is None


def test_an_early_help_assessment_before_the_window_does_not(world, three_notable_entries):
    _eha(world, date(2026, 5, 23))
    assert flag(world, "cumulative_concerns") is not None


# --- low_attendance --------------------------------------------------------------------------------


@pytest.mark.parametrize(("percentage", "flagged"), [(Decimal("89.9"), True), (Decimal(90), False)])
def test_attendance_under_90_percent_is_flagged(world, percentage, flagged):
    make_entry(
        world.case.child,
        world.users["partner_practitioner"],
        occurred_on=date(2026, 10, 20),
        kind=EntryKind.SCHOOL_ATTENDANCE,
        attendance_percentage=percentage,
        summary="Attendance this half term",
    )
    found = flag(world, "low_attendance")
    assert (found is not None) == flagged
    if flagged:
        assert found.reason == "School attendance 89.9% on 20 Oct 2026, under 90% (recorded by Riverside School)"


# --- order and closed cases -----------------------------------------------------------------------


def test_flags_are_most_severe_first_then_oldest(world):
    make_plan(world.case, started_on=date(2025, 10, 4))
    assert [(f.code, f.severity, f.since) for f in flags_of(world)] == [
        ("child_not_seen", "red", date(2026, 2, 17)),
        ("cp_plan_duration", "red", date(2026, 10, 4)),
        ("no_assessment", "amber", date(2025, 11, 1)),  # 20 working days after the plan started
        ("no_oversight", "amber", date(2026, 2, 3)),
    ]


def test_a_closed_case_has_no_flags(world):
    case_close(actor=world.users["csc_manager"], case=world.case, closed_on=TODAY, closure_reason="Needs met")
    assert flags_of(world) == []
