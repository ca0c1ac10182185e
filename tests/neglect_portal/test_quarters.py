"""Financial-year quarters: names, dates, neighbours."""

from datetime import date

import pytest

from neglect_portal.quarters import (
    BadQuarter,
    Quarter,
    last_complete_quarter,
    parse_quarter,
    quarter_of,
)


@pytest.mark.parametrize(
    ("name", "start", "end"),
    [
        ("2025-26-Q1", date(2025, 4, 1), date(2025, 6, 30)),
        ("2025-26-Q2", date(2025, 7, 1), date(2025, 9, 30)),
        ("2025-26-Q3", date(2025, 10, 1), date(2025, 12, 31)),
        ("2025-26-Q4", date(2026, 1, 1), date(2026, 3, 31)),
        ("1999-00-Q4", date(2000, 1, 1), date(2000, 3, 31)),
        ("2023-24-Q4", date(2024, 1, 1), date(2024, 3, 31)),
    ],
)
def test_a_name_gives_its_first_and_last_day_and_round_trips(name, start, end):
    quarter = parse_quarter(name)
    assert (quarter.start, quarter.end, quarter.name, str(quarter)) == (start, end, name, name)


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (date(2025, 3, 31), "2024-25-Q4"),
        (date(2025, 4, 1), "2025-26-Q1"),
        (date(2025, 12, 31), "2025-26-Q3"),
        (date(2026, 1, 1), "2025-26-Q4"),
        (date(2026, 3, 31), "2025-26-Q4"),
    ],
)
def test_a_date_falls_in_its_financial_year_quarter(day, name):
    assert quarter_of(day).name == name


@pytest.mark.parametrize("name", ["", "2025-Q3", "2025-27-Q1", "2025-26-Q5", "2025-26-Q0", "2025-26-q1", "x2025-26-Q1", None])
def test_a_bad_name_is_refused_with_the_expected_form_in_the_reason(name):
    with pytest.raises(BadQuarter, match="YYYY-YY-Qn|financial year"):
        parse_quarter(name)


def test_a_quarter_number_outside_one_to_four_is_refused():
    with pytest.raises(BadQuarter):
        Quarter(2025, 5)


def test_previous_and_next_cross_the_financial_year():
    assert parse_quarter("2025-26-Q1").previous().name == "2024-25-Q4"
    assert parse_quarter("2024-25-Q4").next().name == "2025-26-Q1"
    assert parse_quarter("2025-26-Q3").previous().name == "2025-26-Q2"


def test_last_eight_quarters_are_oldest_first_and_end_with_this_one():
    names = [q.name for q in parse_quarter("2025-26-Q3").last(8)]
    assert names == ["2023-24-Q4", "2024-25-Q1", "2024-25-Q2", "2024-25-Q3", "2024-25-Q4", "2025-26-Q1", "2025-26-Q2", "2025-26-Q3"]


def test_the_label_names_the_months():
    assert parse_quarter("2025-26-Q4").label == "January to March 2026"


def test_the_last_complete_quarter_is_the_one_before_today():
    assert last_complete_quarter(date(2026, 1, 5)).name == "2025-26-Q3"
    assert last_complete_quarter(date(2026, 4, 5)).name == "2025-26-Q4"
