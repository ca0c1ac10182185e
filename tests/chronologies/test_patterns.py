"""Joining the dots: each pattern rule at its boundaries, on the frozen clock (today: 24 November 2026)."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chronologies.models import EntryKind, Significance
from chronologies.patterns import (
    cumulative_concerns_by_child,
    low_attendance_by_child,
    patterns_for_child,
    patterns_for_family,
)
from concerns.services import concern_amend
from tests.factories import make_case, make_child, make_concern

from .builders import make_entry
from .conftest import TODAY

pytestmark = pytest.mark.django_db

SIX_MONTHS_AGO = date(2026, 5, 24)
SIX_MONTHS_AND_A_DAY_AGO = date(2026, 5, 23)


def codes(patterns):
    return {pattern.code for pattern in patterns}


def concerns(world, *by, on=date(2026, 10, 1), **kwargs):
    return [make_concern(world.case, world.users[kind], observed_on=on, **kwargs) for kind in by]


# Months before a date (the windows below): tests/neglect_portal/test_dates.py.


# --- Cumulative concerns ---------------------------------------------------------------------------


def test_three_concerns_from_two_agencies_within_six_months_are_cumulative(world):
    concerns(world, "lead_practitioner", "lead_practitioner", "partner_practitioner")
    [pattern] = [p for p in patterns_for_child(user=world.users["csc_practitioner"], child=world.case.child) if p.code == "cumulative_concerns"]
    assert len(pattern.entries) == 3
    assert "3 concerns or significant events from 2 agencies (Community Health Trust and Riverside School) in the last 6 months" in pattern.reason
    assert pattern.since == date(2026, 10, 1)


def test_three_concerns_from_one_agency_are_not(world):
    concerns(world, "lead_practitioner", "lead_practitioner", "lead_manager")
    assert "cumulative_concerns" not in codes(patterns_for_child(user=world.users["csc_practitioner"], child=world.case.child))


@pytest.mark.parametrize(("oldest", "fires"), [(SIX_MONTHS_AGO, True), (SIX_MONTHS_AND_A_DAY_AGO, False)])
def test_the_window_includes_the_day_six_months_ago_and_not_the_day_before(world, oldest, fires):
    concerns(world, "lead_practitioner", "partner_practitioner")
    make_concern(world.case, world.users["lead_practitioner"], observed_on=oldest)
    assert ("cumulative_concerns" in codes(patterns_for_child(user=world.users["csc_practitioner"], child=world.case.child))) is fires


def test_significant_entries_count_and_routine_ones_do_not(world):
    concerns(world, "lead_practitioner", "lead_practitioner")
    make_entry(world.case.child, world.users["partner_practitioner"], significance=Significance.ROUTINE)
    user = world.users["csc_practitioner"]
    assert "cumulative_concerns" not in codes(patterns_for_child(user=user, child=world.case.child))
    make_entry(world.case.child, world.users["partner_practitioner"], significance=Significance.SIGNIFICANT)
    assert "cumulative_concerns" in codes(patterns_for_child(user=user, child=world.case.child))


def test_an_amended_concern_counts_once(world):
    first, _ = concerns(world, "lead_practitioner", "partner_practitioner")
    concern_amend(
        actor=world.users["lead_practitioner"],
        concern=first,
        reason="Date",
        observed_on=date(2026, 10, 2),
        neglect_types=["physical"],
        description="Hungry.",
        impact_on_child="Tired.",
    )
    assert "cumulative_concerns" not in codes(patterns_for_child(user=world.users["csc_practitioner"], child=world.case.child))


def test_a_restricted_entry_only_counts_for_those_who_may_see_it(world):
    concerns(world, "lead_practitioner", "partner_practitioner")
    make_entry(world.case.child, world.users["granted"], kind=EntryKind.POLICE_CALL_OUT, significance=Significance.CRITICAL, restricted=True)
    assert "cumulative_concerns" in codes(patterns_for_child(user=world.users["granted"], child=world.case.child))
    assert "cumulative_concerns" not in codes(patterns_for_child(user=world.users["partner_practitioner"], child=world.case.child))


def test_the_thresholds_come_from_settings(world, settings):
    concerns(world, "lead_practitioner", "lead_practitioner", "partner_practitioner")
    settings.CHRONOLOGY_CUMULATIVE_MIN_AGENCIES = 3
    assert "cumulative_concerns" not in codes(patterns_for_child(user=world.users["csc_practitioner"], child=world.case.child))
    settings.CHRONOLOGY_CUMULATIVE_MIN_AGENCIES = 2
    settings.CHRONOLOGY_CUMULATIVE_MIN_ENTRIES = 4
    assert "cumulative_concerns" not in codes(patterns_for_child(user=world.users["csc_practitioner"], child=world.case.child))


# --- Recurring themes -------------------------------------------------------------------------------


def test_a_key_word_recorded_by_two_agencies_is_a_recurring_theme(world):
    make_entry(world.case.child, world.users["partner_practitioner"], summary="Sent home with head lice again.")
    make_entry(
        world.case.child, world.users["lead_practitioner"], summary="Treated for nits; untreated for weeks.", impact_on_child="Itching, teased at school."
    )
    [theme] = [p for p in patterns_for_child(user=world.users["csc_practitioner"], child=world.case.child) if p.code == "theme_head_lice"]
    assert theme.reason == "Head lice comes up in 2 entries from 2 agencies (Community Health Trust and Riverside School) in the last 12 months."


def test_a_key_word_from_one_agency_only_is_not_a_theme(world):
    make_entry(world.case.child, world.users["partner_practitioner"], summary="Sent home with head lice.")
    make_entry(world.case.child, world.users["partner_dsl"], summary="Head lice again.")
    assert "theme_head_lice" not in codes(patterns_for_child(user=world.users["csc_practitioner"], child=world.case.child))


def test_a_key_word_must_be_a_whole_word(world):
    make_entry(world.case.child, world.users["partner_practitioner"], summary="Wearing new mittens.")
    make_entry(world.case.child, world.users["lead_practitioner"], summary="Knits with her grandmother.")
    assert "theme_head_lice" not in codes(patterns_for_child(user=world.users["csc_practitioner"], child=world.case.child))


def test_the_same_neglect_type_from_two_agencies_is_a_theme(world):
    concerns(world, "lead_practitioner", "partner_practitioner", neglect_types=("medical",))
    assert "theme_neglect_medical" in codes(patterns_for_child(user=world.users["csc_practitioner"], child=world.case.child))


def test_themes_look_back_twelve_months(world):
    make_entry(world.case.child, world.users["partner_practitioner"], summary="Head lice.", occurred_on=date(2025, 11, 24))
    make_entry(world.case.child, world.users["lead_practitioner"], summary="Head lice.", occurred_on=date(2025, 11, 23))
    assert "theme_head_lice" not in codes(patterns_for_child(user=world.users["csc_practitioner"], child=world.case.child))


def test_theme_key_words_come_from_settings(world, settings):
    settings.CHRONOLOGY_THEME_KEYWORDS = {"Dog bites": ["dog bite", "bitten"]}
    make_entry(world.case.child, world.users["partner_practitioner"], summary="Bitten by the family dog.")
    make_entry(world.case.child, world.users["lead_practitioner"], summary="Treated a dog bite.")
    assert "theme_dog_bites" in codes(patterns_for_child(user=world.users["csc_practitioner"], child=world.case.child))


# --- Missed health appointments ----------------------------------------------------------------------


def appointments(world, child, outcomes):
    for day, outcome in enumerate(outcomes, start=1):
        kind = EntryKind.HEALTH_APPOINTMENT_MISSED if outcome == "missed" else EntryKind.HEALTH_APPOINTMENT_ATTENDED
        make_entry(
            child, world.users["lead_practitioner"], kind=kind, occurred_on=date(2026, 6, day), summary="Dental check", impact_on_child="Tooth pain continues."
        )


def test_three_missed_appointments_in_a_row_are_a_pattern(world):
    appointments(world, world.case.child, ["attended", "missed", "missed", "missed"])
    [run] = [p for p in patterns_for_child(user=world.users["csc_practitioner"], child=world.case.child) if p.code == "missed_appointments"]
    assert run.reason == "3 health appointments in a row were missed, from 2 June 2026 to 4 June 2026, with none attended in between."


def test_an_attended_appointment_breaks_the_run(world):
    appointments(world, world.case.child, ["missed", "missed", "attended", "missed"])
    assert "missed_appointments" not in codes(patterns_for_child(user=world.users["csc_practitioner"], child=world.case.child))


# --- School absence alongside concerns ----------------------------------------------------------------


@pytest.mark.parametrize(("attendance", "fires"), [(Decimal("89.9"), True), (Decimal("90"), False)])
def test_attendance_under_ninety_percent_alongside_a_concern(world, attendance, fires):
    concerns(world, "lead_practitioner")
    make_entry(
        world.case.child,
        world.users["partner_practitioner"],
        kind=EntryKind.SCHOOL_ATTENDANCE,
        attendance_percentage=attendance,
        summary="Autumn attendance",
        impact_on_child="Missed lessons.",
    )
    found = {p.code: p for p in patterns_for_child(user=world.users["csc_practitioner"], child=world.case.child)}
    assert ("absence_alongside_concerns" in found) is fires
    if fires:
        assert found["absence_alongside_concerns"].reason == (
            "School absence was recorded (attendance down to 89.9% on 1 October 2026) while 1 concern was raised, all in the last 6 months."
        )


def test_absence_without_a_concern_is_not_the_pattern(world):
    make_entry(
        world.case.child, world.users["partner_practitioner"], kind=EntryKind.SCHOOL_ABSENCE, summary="Absent all week", impact_on_child="Missed lessons."
    )
    assert "absence_alongside_concerns" not in codes(patterns_for_child(user=world.users["csc_practitioner"], child=world.case.child))


# --- The whole family ----------------------------------------------------------------------------------


def test_a_siblings_concerns_join_the_familys_dots(world):
    sibling = make_child(given_name="Ava", family=world.case.child.family)
    sibling_case = make_case(world.health, child=sibling, team=[world.school])
    concerns(world, "lead_practitioner", "partner_practitioner")
    make_concern(sibling_case, world.users["partner_practitioner"], observed_on=date(2026, 9, 1))
    user = world.users["csc_practitioner"]
    assert "cumulative_concerns" not in codes(patterns_for_child(user=user, child=world.case.child))
    assert "cumulative_concerns" in codes(patterns_for_family(user=user, family_id=world.case.child.family_id))


# --- Many children at once (drift rules) ----------------------------------------------------------------


def queries(function, **kwargs):
    with CaptureQueriesContext(connection) as captured:
        result = function(**kwargs)
    return len(captured), result


def test_cumulative_concerns_for_many_children_in_the_queries_of_one(world):
    concerns(world, "lead_practitioner", "lead_practitioner", "partner_practitioner")
    quiet = make_case(world.health, child=make_child())
    make_concern(quiet, world.users["lead_practitioner"], observed_on=date(2026, 10, 1))
    user = world.users["csc_practitioner"]
    for_one, _ = queries(cumulative_concerns_by_child, user=user, child_ids=[quiet.child_id], today=TODAY)
    for_both, found = queries(cumulative_concerns_by_child, user=user, child_ids=[world.case.child_id, quiet.child_id], today=TODAY)
    assert for_both == for_one == 1
    assert set(found) == {world.case.child_id} and len(found[world.case.child_id].entries) == 3


def test_low_attendance_uses_the_latest_figure_of_the_last_term(world):
    child = world.case.child
    for day, percentage in [(date(2026, 7, 23), Decimal("70")), (date(2026, 9, 30), Decimal("85.5")), (date(2026, 10, 23), Decimal("88"))]:
        make_entry(
            child,
            world.users["partner_practitioner"],
            kind=EntryKind.SCHOOL_ATTENDANCE,
            occurred_on=day,
            attendance_percentage=percentage,
            summary="Attendance",
            impact_on_child="Missed lessons.",
        )
    recovered = make_case(world.health, child=make_child(), team=[world.school])
    make_entry(
        recovered.child,
        world.users["partner_practitioner"],
        kind=EntryKind.SCHOOL_ATTENDANCE,
        occurred_on=date(2026, 9, 1),
        attendance_percentage=Decimal("80"),
        summary="Attendance",
        impact_on_child="Missed lessons.",
    )
    make_entry(
        recovered.child,
        world.users["partner_practitioner"],
        kind=EntryKind.SCHOOL_ATTENDANCE,
        occurred_on=date(2026, 11, 1),
        attendance_percentage=Decimal("96"),
        summary="Attendance",
        impact_on_child="Back on track.",
    )
    user = world.users["partner_practitioner"]
    for_one, _ = queries(low_attendance_by_child, user=user, child_ids=[child.pk], today=TODAY)
    for_both, found = queries(low_attendance_by_child, user=user, child_ids=[child.pk, recovered.child_id], today=TODAY)
    assert for_both == for_one
    assert list(found) == [child.pk] and found[child.pk].attendance_percentage == Decimal("88")


def test_an_attendance_figure_older_than_a_term_does_not_count(world):
    make_entry(
        world.case.child,
        world.users["partner_practitioner"],
        kind=EntryKind.SCHOOL_ATTENDANCE,
        occurred_on=date(2026, 7, 23),
        attendance_percentage=Decimal("70"),
        summary="Attendance",
        impact_on_child="Missed lessons.",
    )
    assert low_attendance_by_child(user=world.users["csc_practitioner"], child_ids=[world.case.child_id]) == {}
