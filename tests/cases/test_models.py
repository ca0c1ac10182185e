"""Invariants of the case-work models: derived ages, immutable concerns, plan categories, overdue actions."""

from datetime import date, timedelta

import pytest

from tests.factories import make_child

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def test_a_child_is_twelve_the_day_before_their_thirteenth_birthday():
    child = make_child(date_of_birth=date(2013, 11, 24))
    assert child.age_on(date(2026, 11, 23)) == 12
    assert not child.is_adolescent_on(date(2026, 11, 23))


def test_a_child_is_an_adolescent_from_their_thirteenth_birthday():
    child = make_child(date_of_birth=date(2013, 11, 24))
    assert child.age_on(date(2026, 11, 24)) == 13
    assert child.is_adolescent_on(date(2026, 11, 24))


def test_age_and_adolescence_are_derived_from_today():
    turns_thirteen_today = make_child(date_of_birth=TODAY.replace(year=TODAY.year - 13))
    turns_thirteen_tomorrow = make_child(date_of_birth=TODAY.replace(year=TODAY.year - 13) + timedelta(days=1))
    assert (turns_thirteen_today.age, turns_thirteen_today.is_adolescent) == (13, True)
    assert (turns_thirteen_tomorrow.age, turns_thirteen_tomorrow.is_adolescent) == (12, False)


def test_a_child_born_on_29_february_turns_a_year_older_on_1_march_in_common_years():
    child = make_child(date_of_birth=date(2012, 2, 29))
    assert child.age_on(date(2025, 2, 28)) == 12
    assert child.age_on(date(2025, 3, 1)) == 13


def test_an_unborn_child_has_no_age_and_is_not_an_adolescent():
    child = make_child(date_of_birth=date(2027, 2, 1), is_unborn=True)
    assert child.age is None
    assert not child.is_adolescent
