"""Calendar-month arithmetic (neglect_portal/dates.py): the same day, or the month's last when it has none."""

from datetime import date

import pytest

from neglect_portal.dates import months_after, months_before, whole_months


@pytest.mark.parametrize(
    ("months", "expected"),
    [
        ((date(2026, 11, 24), 6), date(2026, 5, 24)),
        ((date(2026, 8, 31), 6), date(2026, 2, 28)),
        ((date(2027, 3, 31), 13), date(2026, 2, 28)),
        ((date(2028, 8, 31), 6), date(2028, 2, 29)),
    ],
)
def test_months_before_keeps_the_day_or_takes_the_months_last(months, expected):
    day, count = months
    assert months_before(day, count) == expected


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 3, 31), 6, date(2025, 9, 30)),  # not 28 September: Annex A's six months keep 29 and 30 September
        (date(2025, 12, 31), 1, date(2025, 11, 30)),
        (date(2024, 3, 31), 1, date(2024, 2, 29)),  # leap year
        (date(2023, 3, 31), 1, date(2023, 2, 28)),
        (date(2024, 2, 29), 12, date(2023, 2, 28)),
        (date(2026, 1, 15), 13, date(2024, 12, 15)),  # across a year
    ],
)
def test_months_before_at_month_ends_and_in_leap_years(day, months, expected):
    assert months_before(day, months) == expected


def test_months_after_keeps_to_the_month_when_the_day_does_not_exist():
    assert months_after(date(2026, 5, 31), 9) == date(2027, 2, 28)
    assert whole_months(date(2025, 10, 4), date(2026, 11, 3)) == 12
    assert whole_months(date(2025, 10, 4), date(2026, 11, 4)) == 13


def test_months_after_in_leap_years():
    assert months_after(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert months_after(date(2024, 2, 29), 48) == date(2028, 2, 29)
    assert months_after(date(2023, 8, 31), 6) == date(2024, 2, 29)
    assert whole_months(date(2024, 2, 29), date(2025, 2, 28)) == 12  # a month is complete on months_after
