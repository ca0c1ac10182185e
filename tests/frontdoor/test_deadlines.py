"""Front-door deadlines count working days of England and Wales (issue 14, "Done means")."""

from datetime import date

import pytest

from frontdoor.deadlines import deadline_working_days, due_on, working_days_late
from frontdoor.models import FrontDoorItem


def test_a_request_for_support_is_due_the_next_working_day():
    assert deadline_working_days("request_for_support") == 1
    assert due_on("request_for_support", date(2026, 11, 24)) == date(2026, 11, 25)  # Tuesday -> Wednesday


def test_a_request_on_a_friday_is_due_on_monday():
    assert due_on("request_for_support", date(2026, 11, 27)) == date(2026, 11, 30)


def test_a_request_before_easter_skips_good_friday_and_easter_monday():
    # Thursday 2 April 2026; Good Friday 3 April and Easter Monday 6 April are bank holidays in England and Wales.
    assert due_on("request_for_support", date(2026, 4, 2)) == date(2026, 4, 7)
    assert due_on("red_flag", date(2026, 4, 2)) == date(2026, 4, 9)


def test_a_request_on_christmas_eve_is_due_after_the_boxing_day_substitute_holiday():
    # Thursday 24 December 2026: Christmas Day (Friday) and Boxing Day's substitute (Monday 28th) are bank holidays.
    assert due_on("request_for_support", date(2026, 12, 24)) == date(2026, 12, 29)


def test_a_request_received_on_a_bank_holiday_counts_from_the_next_working_day():
    assert due_on("request_for_support", date(2026, 4, 6)) == date(2026, 4, 7)


def test_the_partnership_can_set_its_own_deadlines(settings):
    settings.FRONT_DOOR_DEADLINE_WORKING_DAYS = {"red_flag": 1}
    assert due_on("red_flag", date(2026, 4, 2)) == date(2026, 4, 7)
    assert deadline_working_days("request_for_support") == 1


@pytest.mark.parametrize(
    ("today", "late", "days"),
    [
        (date(2026, 4, 7), False, 0),  # due today: not late yet
        (date(2026, 4, 8), True, 1),
        (date(2026, 4, 13), True, 4),  # the weekend does not count
    ],
)
def test_an_item_goes_late_the_working_day_after_it_is_due(today, late, days):
    item = FrontDoorItem(status="open", received_on=date(2026, 4, 2), due_on=date(2026, 4, 7))
    assert item.is_late(today) is late
    assert working_days_late(item.due_on, today) == days
