"""The statutory deadline: one calendar month after receipt, moved to the next working day."""

from datetime import date

import pytest

from subject_access.services import statutory_deadline


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (date(2026, 4, 15), date(2026, 5, 15)),  # a Friday: same date next month
        (date(2026, 9, 3), date(2026, 10, 5)),  # 3 October is a Saturday: Monday
        (date(2026, 1, 31), date(2026, 3, 2)),  # no 31 February: the 28th, a Saturday, so Monday 2 March
        (date(2027, 1, 29), date(2027, 3, 1)),  # 28 February 2027 is a Sunday
        (date(2026, 11, 26), date(2026, 12, 29)),  # 26 December is a Saturday and the 28th is the substitute Boxing Day
    ],
)
def test_deadline_is_one_calendar_month_then_the_next_working_day(received, due):
    assert statutory_deadline(received) == due
