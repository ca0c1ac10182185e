"""Due dates: the record type of a case, closure plus N years, the 25th birthday to the day."""

from datetime import date

import pytest
from django.core.exceptions import ImproperlyConfigured

from cases.models import Threshold
from plans.models import PlanKind
from retention.rules import EARLY_HELP, LOOKED_AFTER, STATUTORY, case_due_on, record_type, rules, twenty_fifth_birthday


def test_a_looked_after_plan_outranks_everything():
    assert record_type(plan_kinds={PlanKind.EARLY_HELP, PlanKind.LOOKED_AFTER}, threshold=Threshold.UNIVERSAL_PLUS, had_conference=False) == LOOKED_AFTER


@pytest.mark.parametrize(
    ("plans", "threshold", "conference"),
    [
        ({PlanKind.CHILD_PROTECTION}, Threshold.TARGETED_EARLY_HELP, False),
        ({PlanKind.CHILD_IN_NEED}, Threshold.TARGETED_EARLY_HELP, False),
        (set(), Threshold.SPECIALIST, False),
        (set(), Threshold.TARGETED_EARLY_HELP, True),
    ],
)
def test_statutory_work_makes_a_statutory_record(plans, threshold, conference):
    assert record_type(plan_kinds=plans, threshold=threshold, had_conference=conference) == STATUTORY


def test_early_help_alone_is_an_early_help_record():
    assert record_type(plan_kinds={PlanKind.EARLY_HELP}, threshold=Threshold.TARGETED_EARLY_HELP, had_conference=False) == EARLY_HELP


def test_early_help_is_due_six_years_after_closure_to_the_day():
    assert case_due_on(kind=EARLY_HELP, closed_on=date(2020, 11, 24), date_of_birth=date(2015, 1, 1)) == date(2026, 11, 24)


def test_statutory_records_are_due_on_the_25th_birthday_whenever_the_case_closed():
    assert case_due_on(kind=STATUTORY, closed_on=date(2026, 1, 1), date_of_birth=date(2001, 11, 24)) == date(2026, 11, 24)


def test_looked_after_records_are_kept_to_the_75th_birthday():
    assert case_due_on(kind=LOOKED_AFTER, closed_on=date(2020, 1, 1), date_of_birth=date(2001, 11, 24)) == date(2076, 11, 24)


def test_an_open_case_is_never_due():
    assert case_due_on(kind=EARLY_HELP, closed_on=None, date_of_birth=date(1990, 1, 1)) is None


def test_born_on_29_february_turns_25_on_1_march_in_a_common_year():
    assert twenty_fifth_birthday(date(2004, 2, 29)) == date(2029, 3, 1)
    assert twenty_fifth_birthday(date(2003, 2, 28)) == date(2028, 2, 28)


def test_a_rule_with_an_unknown_basis_stops_with_a_clear_message(settings):
    settings.RETENTION_RULES = {**settings.RETENTION_RULES, "early_help": {"years": 6, "basis": "case_opened"}}
    with pytest.raises(ImproperlyConfigured, match=r"RETENTION_RULES\['early_help'\] must be"):
        rules()


def test_an_unknown_record_type_stops_with_a_clear_message(settings):
    settings.RETENTION_RULES = {**settings.RETENTION_RULES, "school": {"years": 1, "basis": "case_closed"}}
    with pytest.raises(ImproperlyConfigured, match="unknown record types"):
        rules()
