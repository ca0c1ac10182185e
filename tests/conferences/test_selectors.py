"""Reads: drift flags from conferences (bulk, bounded queries) and attendance per agency against hand-worked figures."""

from datetime import date

import pytest

from conferences.models import Attendance, ConferenceDecision, ConferenceKind
from conferences.selectors import (
    AGENCY_ABSENT_IN_A_ROW,
    INITIAL_OUTSIDE_TIMESCALE,
    PLAN_ENDED_KEY_AGENCY_ABSENT,
    REPORTS_NOT_ON_TIME,
    attendance_by_agency,
    conference_flags_for_cases,
    conferences_visible_to,
)
from conferences.services import DecisionEntry, conference_record_decisions
from tests.factories import make_case, make_child

from .builders import make_conference, record
from .conftest import TODAY

IN_PERSON, VIRTUAL, REPORT_ONLY = Attendance.IN_PERSON, Attendance.VIRTUAL, Attendance.REPORT_ONLY
APOLOGIES, DNA = Attendance.APOLOGIES, Attendance.DID_NOT_ATTEND

# Two of the three agencies needed took part: the chair says why the plan was decided all the same.
NOT_QUORATE_REASON = "The family asked for the plan to end and every report was in."


def conference(world, held_on, *, kind=ConferenceKind.CORE_GROUP, case=None, invitations=None, **kwargs):
    return make_conference(
        case or world.case,
        actor=world.users["csc_manager"],
        chair=world.users["csc_manager"],
        held_on=held_on,
        kind=kind,
        invitations=invitations if invitations is not None else [world.csc, world.health, world.school],
        **kwargs,
    )


def flags_of(world, case=None):
    return conference_flags_for_cases(case_ids=[(case or world.case).pk], today=TODAY)[(case or world.case).pk]


def all_reports(world, on):
    return {world.csc: on, world.health: on, world.school: on}


# --- Visibility ------------------------------------------------------------------------------------


def test_a_conference_is_visible_through_any_of_its_cases(world):
    """The school sees this child only; a conference for the child and a sibling is still its to see."""
    brother_case = make_case(world.police, child=make_child(given_name="Ben", family=world.case.child.family))
    shared = conference(world, date(2026, 11, 17), case=brother_case, siblings=[world.case], invitations=[world.csc])
    brothers_only = conference(world, date(2026, 11, 17), case=brother_case, invitations=[world.csc])
    visible = set(conferences_visible_to(world.users["partner_practitioner"]))
    assert shared in visible and brothers_only not in visible


# --- Drift flags -----------------------------------------------------------------------------------


def test_no_conferences_no_flags(world):
    assert flags_of(world) == []


def test_plan_ended_while_a_key_agency_was_absent_is_red(world):
    review = conference(world, date(2026, 11, 23), kind=ConferenceKind.REVIEW)
    record(
        review,
        world.users["csc_manager"],
        {world.csc: IN_PERSON, world.health: VIRTUAL, world.school: APOLOGIES},
        reports=all_reports(world, date(2026, 11, 16)),
    )
    conference_record_decisions(
        actor=world.users["csc_manager"],
        conference=review,
        decisions=[DecisionEntry(case_id=world.case.pk, decision=ConferenceDecision.PLAN_ENDED)],
        inquorate_reason=NOT_QUORATE_REASON,
    )
    [flag] = flags_of(world)
    assert (flag.code, flag.level, flag.since, flag.conference_id) == (PLAN_ENDED_KEY_AGENCY_ABSENT, "red", date(2026, 11, 23), review.pk)
    assert flag.reason == "Plan ended at the review child protection conference on 23 Nov 2026 without key agency Riverside School"


def test_an_agency_absent_from_two_conferences_in_a_row_is_amber(world):
    for held_on in (date(2026, 11, 3), date(2026, 11, 17)):
        record(
            conference(world, held_on),
            world.users["csc_manager"],
            {world.csc: IN_PERSON, world.health: DNA, world.school: IN_PERSON},
            reports=all_reports(world, held_on),
        )
    [flag] = flags_of(world)
    assert (flag.code, flag.level, flag.since) == (AGENCY_ABSENT_IN_A_ROW, "amber", date(2026, 11, 3))
    assert flag.reason == "Community Health Trust absent from the last 2 conferences (3 Nov 2026, 17 Nov 2026)"


def test_attending_again_clears_the_absence_flag(world):
    for held_on, health in ((date(2026, 11, 3), DNA), (date(2026, 11, 10), DNA), (date(2026, 11, 17), VIRTUAL)):
        record(
            conference(world, held_on),
            world.users["csc_manager"],
            {world.csc: IN_PERSON, world.health: health, world.school: IN_PERSON},
            reports=all_reports(world, held_on),
        )
    assert flags_of(world) == []


def test_an_initial_conference_outside_fifteen_working_days_is_amber(world):
    conference(world, date(2026, 11, 24), kind=ConferenceKind.INITIAL, strategy_discussion_on=date(2026, 11, 2))
    flags = [flag for flag in flags_of(world) if flag.code == INITIAL_OUTSIDE_TIMESCALE]
    assert [(flag.level, flag.since) for flag in flags] == [("amber", date(2026, 11, 24))]
    assert flags[0].reason == "Initial conference on 24 Nov 2026 is outside timescale: the strategy discussion was on 2 Nov 2026, so it was due by 23 Nov 2026"


def test_reports_late_or_missing_at_the_latest_conference_past_its_deadline(world):
    review = conference(world, date(2026, 11, 23), kind=ConferenceKind.REVIEW)  # reports due Monday 16th
    record(
        review,
        world.users["csc_manager"],
        {world.csc: IN_PERSON, world.health: VIRTUAL, world.school: IN_PERSON},
        reports={world.csc: date(2026, 11, 16), world.health: date(2026, 11, 17)},
    )
    [flag] = flags_of(world)
    assert (flag.code, flag.since) == (REPORTS_NOT_ON_TIME, date(2026, 11, 17))
    assert flag.reason == "Reports for the review child protection conference on 23 Nov 2026 not received on time from Community Health Trust, Riverside School"


def test_flags_for_many_cases_take_three_queries(world, django_assert_num_queries):
    cases = [world.case] + [make_case(world.health) for _ in range(3)]
    for case in cases:
        review = conference(world, date(2026, 11, 23), kind=ConferenceKind.REVIEW, case=case)
        record(
            review,
            world.users["csc_manager"],
            {world.csc: IN_PERSON, world.health: DNA, world.school: IN_PERSON},
            reports=all_reports(world, date(2026, 11, 16)),
        )
        conference_record_decisions(
            actor=world.users["csc_manager"],
            conference=review,
            decisions=[DecisionEntry(case_id=case.pk, decision=ConferenceDecision.PLAN_ENDED)],
            inquorate_reason=NOT_QUORATE_REASON,
        )
    quiet = make_case(world.health)
    with django_assert_num_queries(3):
        flags = conference_flags_for_cases(case_ids=[case.pk for case in cases] + [quiet.pk], today=TODAY)
    assert {case_id: [flag.code for flag in found] for case_id, found in flags.items()} == {
        **{case.pk: [PLAN_ENDED_KEY_AGENCY_ABSENT] for case in cases},
        quiet.pk: [],
    }


# --- Attendance per agency ---------------------------------------------------------------------------


@pytest.fixture
def third_quarter(world):
    """Four conferences in July-September 2026 and two that do not count (worked by hand in the test).

    Review, Tue 14 Jul (reports due Tue 7 Jul): CSC in person, report 7 Jul (on time); health
      virtually, report 8 Jul (late); school apologies, report 6 Jul (on time); police did not
      attend, no report.
    Strategy discussion, Mon 24 Aug (no reports asked for): CSC and police in person, health apologies.
    Initial, Thu 10 Sep (reports due Mon 7 Sep): CSC in person, report 7 Sep (on time); health
      report only, 4 Sep (on time); school in person, no report asked for; police virtually,
      report 9 Sep (late).
    Not counted: a core group on 1 October (outside the quarter) and a review on 29 September
    whose attendance is not recorded.
    """
    csc, health, school, police, manager = world.csc, world.health, world.school, world.police, world.users["csc_manager"]
    review = conference(world, date(2026, 7, 14), kind=ConferenceKind.REVIEW, invitations=[csc, health, school, police])
    record(
        review,
        manager,
        {csc: IN_PERSON, health: VIRTUAL, school: APOLOGIES, police: DNA},
        reports={csc: date(2026, 7, 7), health: date(2026, 7, 8), school: date(2026, 7, 6)},
    )
    strategy = conference(
        world, date(2026, 8, 24), kind=ConferenceKind.STRATEGY_DISCUSSION, invitations=[(csc, True, False), (health, True, False), (police, True, False)]
    )
    record(strategy, manager, {csc: IN_PERSON, health: APOLOGIES, police: IN_PERSON})
    initial = conference(
        world,
        date(2026, 9, 10),
        kind=ConferenceKind.INITIAL,
        strategy_discussion_on=date(2026, 8, 24),
        invitations=[csc, health, (school, True, False), police],
    )
    record(
        initial,
        manager,
        {csc: IN_PERSON, health: REPORT_ONLY, school: IN_PERSON, police: VIRTUAL},
        reports={csc: date(2026, 9, 7), health: date(2026, 9, 4), police: date(2026, 9, 9)},
    )
    record(conference(world, date(2026, 10, 1), invitations=[csc, health]), manager, {csc: IN_PERSON, health: DNA})
    conference(world, date(2026, 9, 29), kind=ConferenceKind.REVIEW, invitations=[csc, health])
    return initial


def test_the_initial_conference_of_the_fixture_was_within_timescale(world, third_quarter):
    assert (third_quarter.report_due_on, third_quarter.initial_due_on) == (date(2026, 9, 7), date(2026, 9, 15))


def test_attendance_by_agency_matches_the_figures_worked_by_hand(world, third_quarter, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = attendance_by_agency(start=date(2026, 7, 1), end=date(2026, 9, 30))
    figures = [(r.agency_name, r.invitations, r.attended, r.attended_percent, r.reports_requested, r.reports_on_time, r.reports_on_time_percent) for r in rows]
    assert figures == [
        ("Children's Social Care", 3, 3, 100.0, 2, 2, 100.0),
        ("Community Health Trust", 3, 1, 33.3, 2, 1, 50.0),
        ("County Police", 3, 2, 66.7, 2, 0, 0.0),
        ("Riverside School", 2, 1, 50.0, 1, 1, 100.0),
    ]


def test_an_agency_asked_for_no_report_has_no_on_time_percentage(world, third_quarter):
    row = attendance_by_agency(start=date(2026, 8, 1), end=date(2026, 8, 31))[0]
    assert (row.agency_name, row.reports_requested, row.reports_on_time_percent) == ("Children's Social Care", 0, None)


def test_the_period_includes_its_first_and_last_days(world, third_quarter):
    rows = attendance_by_agency(start=date(2026, 7, 14), end=date(2026, 7, 14))
    assert [r.invitations for r in rows] == [1, 1, 1, 1]
