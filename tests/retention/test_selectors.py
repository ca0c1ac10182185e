"""Which children the scan lists: all cases closed and the latest due date reached, not held or listed already."""

from datetime import date

import pytest

from cases.models import Threshold
from retention.selectors import subjects_due
from retention.services import retention_review_create
from tests.factories import make_case

from .conftest import TODAY, closed_case

pytestmark = pytest.mark.django_db


def _due_ids():
    return {subject.child_id for subject in subjects_due(today=TODAY)}


def test_the_25th_birthday_is_due_on_the_day_and_not_the_day_before(world):
    on_the_day = closed_case(world, born=date(2001, 11, 24), closed_on=date(2019, 5, 1), threshold=Threshold.SPECIALIST)
    tomorrow = closed_case(world, born=date(2001, 11, 25), closed_on=date(2019, 5, 1), threshold=Threshold.SPECIALIST)
    assert on_the_day.child_id in _due_ids()
    assert tomorrow.child_id not in _due_ids()


def test_closure_plus_six_years_is_due_on_the_day_and_not_the_day_before(world):
    on_the_day = closed_case(world, born=date(2012, 1, 1), closed_on=date(2020, 11, 24))
    tomorrow = closed_case(world, born=date(2012, 1, 1), closed_on=date(2020, 11, 25))
    assert on_the_day.child_id in _due_ids() and tomorrow.child_id not in _due_ids()


def test_a_child_with_an_open_case_is_never_listed(world):
    old = closed_case(world, born=date(2000, 1, 1), closed_on=date(2010, 1, 1))
    make_case(world.health, child=old.child, opened_on=date(2026, 1, 1))
    assert old.child_id not in _due_ids()


def test_the_latest_case_decides_for_the_whole_child(world):
    early = closed_case(world, born=date(2010, 1, 1), closed_on=date(2012, 1, 1), opened_on=date(2011, 1, 1))
    closed_case(world, born=None, child=early.child, closed_on=date(2024, 1, 1), opened_on=date(2023, 1, 1), threshold=Threshold.SPECIALIST)
    assert early.child_id not in _due_ids()  # statutory: until 1 January 2035


def test_a_listed_child_is_not_listed_again_by_the_next_scan(world):
    case = closed_case(world, born=date(2012, 1, 1), closed_on=date(2019, 1, 1))
    first = retention_review_create(today=TODAY)
    assert [item.child_id for item in first.items.all()] == [case.child_id]
    assert retention_review_create(today=TODAY) is None


def test_the_review_lists_ids_dates_and_types_only(world):
    case = closed_case(world, born=date(2012, 1, 1), closed_on=date(2019, 1, 1))
    item = retention_review_create(today=TODAY).items.get()
    assert (item.child_id, item.case_ids, item.record_type, item.basis, item.due_on) == (
        case.child_id,
        [case.pk],
        "early_help",
        "case_closed",
        date(2025, 1, 1),
    )
