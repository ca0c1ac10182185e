"""Each measure against the hand-built county (tests/dashboard/conftest.py); answers counted by hand."""

import pytest

from dashboard.models import MeasureTarget
from dashboard.selectors import HIGHER, LOWER, Measure, catalogue, compute_measures, measures
from neglect_portal.quarters import parse_quarter

Q4 = parse_quarter("2025-26-Q4")
Q3 = parse_quarter("2025-26-Q3")


@pytest.fixture
def q4(county):
    return compute_measures(quarter=Q4)


@pytest.fixture
def q3(county):
    return compute_measures(quarter=Q3)


def test_children_on_cp_plans_at_the_financial_year_end(q4):
    # Open on 31 March 2026: A B C F G H (D ended that day, E starts 1 April, F's first plan ended 2023).
    assert q4["cp_children"] == 6


def test_rate_per_10k_uses_the_population_setting_to_one_decimal(q4):
    assert q4["cp_rate_per_10k"] == 8.6  # 6 x 10,000 / 7,000 = 8.571...


def test_neglect_children_and_share(q4):
    assert (q4["cp_neglect_children"], q4["cp_neglect_share_pct"]) == (5, 83.3)


def test_neglect_plans_open_12_months_count_the_plan_started_a_year_to_the_day_before(q4):
    assert q4["cp_neglect_12m_plus_pct"] == 20.0  # A of A B F G H


def test_repeat_neglect_plans_started_in_the_quarter_include_its_first_and_last_day(q4):
    assert q4["cp_neglect_repeat_pct"] == 50.0  # F (repeat, 1 January) and G (31 March)


def test_cin_neglect_plans_over_6_months_by_referral_history(q4):
    assert q4["cin_neglect_6m_plus_pct"] == 33.3  # I of I J P; K was not referred for neglect


def test_entering_care_for_neglect_needs_a_neglect_history(q4):
    assert q4["entered_care_neglect"] == 1  # M; N has no neglect history, O entered in Q3


def test_early_help_before_a_neglect_plan_must_be_final_and_earlier(q4):
    assert q4["neglect_plans_with_prior_eha_pct"] == 66.7  # G (EHA) and P (early help plan) of F G P


def test_neglect_referrals_in_the_quarter(q4):
    assert q4["neglect_referrals"] == 4  # Q1 Q2 Q3 P


def test_neglect_referrals_to_statutory_assessment(q4):
    assert q4["neglect_referrals_to_assessment_pct"] == 50.0  # Q1 and Q3


def test_repeat_referrals_within_12_months_include_the_same_day_a_year_before(q4):
    assert q4["neglect_repeat_referrals_12m_pct"] == 25.0  # Q1 only; Q2's earlier one is a year and a day before


def test_tool_runs_by_agency_count_final_gcp2_and_checklist_runs(q4, county):
    assert q4["tool_runs_by_agency"] == [
        {"agency": "Community Health Trust", "gcp2": 2, "ccdc": 0, "total": 2},
        {"agency": "Riverside School", "gcp2": 0, "ccdc": 1, "total": 1},
    ]


def test_conference_attendance_by_agency_counts_recorded_attendance_in_the_quarter(q4):
    assert q4["conference_attendance_by_agency"] == [
        {"agency": "Community Health Trust", "invitations": 1, "attended": 1, "attended_pct": 100.0},
        {"agency": "County Police", "invitations": 1, "attended": 0, "attended_pct": 0.0},
    ]


def test_school_attendance_uses_each_childs_latest_corrected_figure(q4):
    assert q4["school_attendance_neglect_pct"] == 83.3  # A 85 (corrected), B 70, I 95


def test_attendance_improved_compares_with_the_latest_before_the_quarter(q4):
    assert q4["attendance_improved_pct"] == 50.0  # B up from 60; A down from 90; I has nothing before


def test_adolescents_are_13_on_the_quarter_end(q4):
    assert q4["adolescents_on_neglect_plans"] == 2  # A (13 that day) and I; B is 12


def test_the_calendar_year_end_quarter(q3):
    # Open on 31 December 2025: A B C D H M; H started that day, so it started in Q3 and is not a repeat.
    assert (q3["cp_children"], q3["cp_neglect_children"], q3["cp_neglect_12m_plus_pct"], q3["cp_neglect_repeat_pct"]) == (6, 5, 0.0, 0.0)
    assert (q3["entered_care_neglect"], q3["neglect_referrals"]) == (1, 2)  # O; Q5 and J
    assert q3["tool_runs_by_agency"] == [{"agency": "Community Health Trust", "gcp2": 1, "ccdc": 0, "total": 1}]


def test_an_empty_quarter_has_no_percentages_rather_than_zero(county):
    values = compute_measures(quarter=parse_quarter("2010-11-Q1"))
    assert (values["cp_children"], values["cp_neglect_share_pct"], values["school_attendance_neglect_pct"]) == (0, None, None)


def test_every_measure_has_a_key_definition_and_theme_once(db):
    keys = [m.key for m in measures()]
    assert len(keys) == len(set(keys)) and all(m.definition and m.theme for m in measures())
    assert keys == [m.key for m in catalogue()]  # no set chosen: the whole catalogue


@pytest.mark.parametrize(
    ("better", "value", "rag"),
    [
        (LOWER, 10, "green"),
        (LOWER, 11, "amber"),
        (LOWER, 11.1, "red"),
        (HIGHER, 90, "green"),
        (HIGHER, 81, "amber"),
        (HIGHER, 80.9, "red"),
        (HIGHER, None, None),
    ],
)
def test_rag_against_a_target(better, value, rag):
    target = 10 if better == LOWER else 90
    assert Measure("k", "t", "d", "theme", better, "percent", target).rag(value) == rag


def test_targets_come_from_the_strategy_group_not_from_settings(world, settings):
    # Issue 16: the DASHBOARD_TARGETS setting and the built-in targets are gone; the strategy group sets each target.
    settings.DASHBOARD_TARGETS = {"cp_neglect_repeat_pct": 15}
    assert {m.key: m.target for m in measures()}["cp_neglect_repeat_pct"] is None
    MeasureTarget.objects.create(measure_key="cp_neglect_repeat_pct", value=15, reason="National", set_by=world.users["strategy"])
    assert {m.key: m.target for m in measures()}["cp_neglect_repeat_pct"] == 15


def test_plan_length_thresholds_are_the_settings_drift_reads(county, settings):
    settings.LONG_CP_PLAN_MONTHS, settings.LONG_CIN_PLAN_MONTHS = 10, 5
    values = compute_measures(quarter=Q4)
    assert values["cp_neglect_12m_plus_pct"] == 40.0  # A and B of A B F G H: 10 months before 31 March is 31 May
    assert values["cin_neglect_6m_plus_pct"] == 66.7  # I and J of I J P: over 5 months by 31 March
    titles = {m.key: m.title for m in measures()}
    assert (titles["cp_neglect_12m_plus_pct"], titles["cin_neglect_6m_plus_pct"]) == ("Neglect plans open 10 months or more", "Neglect CIN plans over 5 months")
