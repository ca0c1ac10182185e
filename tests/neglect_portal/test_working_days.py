"""Working-day arithmetic: weekends, Easter, Christmas and Boxing Day with their substitute days."""

from datetime import date

import pytest

from neglect_portal.working_days import add_working_days, bank_holidays_in, is_working_day, working_days_between


@pytest.mark.parametrize(
    ("holiday", "name"),
    [
        (date(2024, 3, 29), "Good Friday 2024"),
        (date(2024, 12, 26), "Boxing Day 2024"),
        (date(2025, 4, 21), "Easter Monday 2025"),
        (date(2025, 8, 25), "Late summer bank holiday 2025"),
        (date(2026, 4, 3), "Good Friday 2026"),
        (date(2026, 12, 28), "Boxing Day 2026, substitute for Saturday"),
        (date(2027, 5, 31), "Spring bank holiday 2027"),
        (date(2027, 12, 27), "Christmas Day 2027, substitute for Saturday"),
        (date(2027, 12, 28), "Boxing Day 2027, substitute for Sunday"),
    ],
)
def test_the_calendar_knows_bank_holidays_of_england_and_wales_2024_to_2027(holiday, name):
    assert holiday in bank_holidays_in(holiday.year), name
    assert not is_working_day(holiday), name


def test_weekends_are_not_working_days_and_ordinary_weekdays_are():
    assert [is_working_day(date(2026, 11, day)) for day in range(20, 25)] == [True, False, False, True, True]


def test_a_day_after_a_friday_is_the_monday():
    assert add_working_days(date(2026, 11, 20), 1) == date(2026, 11, 23)


def test_easter_skips_good_friday_and_easter_monday():
    assert add_working_days(date(2026, 4, 2), 1) == date(2026, 4, 7)
    assert add_working_days(date(2026, 4, 7), -1) == date(2026, 4, 2)


def test_christmas_skips_the_substitute_days():
    # 2026: Christmas on a Friday, Boxing Day on Saturday and its substitute on Monday 28th.
    assert add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 29)
    # 2027: both on the weekend, so Monday 27th and Tuesday 28th are bank holidays.
    assert add_working_days(date(2027, 12, 24), 1) == date(2027, 12, 29)


def test_fifteen_working_days_after_a_strategy_discussion():
    assert add_working_days(date(2026, 11, 2), 15) == date(2026, 11, 23)
    # Over Christmas and New Year: 25th, 28th December and 1st January are not counted.
    assert add_working_days(date(2026, 12, 11), 15) == date(2027, 1, 6)


def test_report_deadlines_count_back_over_bank_holidays():
    # Three working days before an initial conference on the Tuesday after Easter 2026.
    assert add_working_days(date(2026, 4, 7), -3) == date(2026, 3, 31)
    # Five working days before a review on Monday 30 November 2026.
    assert add_working_days(date(2026, 11, 30), -5) == date(2026, 11, 23)


def test_zero_working_days_is_the_same_day():
    assert add_working_days(date(2026, 11, 28), 0) == date(2026, 11, 28)


def test_counting_working_days_between_two_dates_is_the_inverse():
    assert working_days_between(date(2026, 11, 2), date(2026, 11, 23)) == 15
    assert working_days_between(date(2026, 12, 11), date(2027, 1, 6)) == 15
    assert working_days_between(date(2026, 11, 23), date(2026, 11, 2)) == -15
