"""Working days in England and Wales: Monday to Friday, less the bank holidays.

Conference timescales are set in working days (Working Together to Safeguard Children: an initial
child protection conference within 15 working days of the strategy discussion; reports to the
conference a few working days before it). Bank holidays come from the maintained `holidays`
package (England; Wales has the same bank holidays), which includes the substitute days given
when Christmas or Boxing Day fall at a weekend and one-off holidays such as a coronation, so no
list has to be kept up to date by hand here.
"""

from datetime import date, timedelta
from functools import lru_cache

import holidays

_SATURDAY = 5


@lru_cache(maxsize=64)
def bank_holidays_in(year: int) -> frozenset[date]:
    """The bank holidays of England and Wales in one year (substitute days included).

    Cached per year as an immutable set: building the calendar is the slow part, and a frozen set
    can be shared by threads without locks.
    """
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: date) -> bool:
    return day.weekday() < _SATURDAY and day not in bank_holidays_in(day.year)


def add_working_days(start: date, days: int) -> date:
    """The day `days` working days after `start` (before it when `days` is negative).

    `start` itself is not counted, whether or not it is a working day: 15 working days after a
    strategy discussion on a Friday starts counting on the Monday.
    """
    step = timedelta(days=1 if days >= 0 else -1)
    day, remaining = start, abs(days)
    while remaining:
        day += step
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (negative when `end` is earlier).

    The inverse of `add_working_days` on working days: `working_days_between(d, add_working_days(d, n)) == n`.
    """
    if end < start:
        return -working_days_between(end, start)
    return sum(1 for offset in range(1, (end - start).days + 1) if is_working_day(start + timedelta(days=offset)))
