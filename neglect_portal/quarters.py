"""Quarters of the local-government financial year (1 April to 31 March), named like `2025-26-Q3`.

Q1 is April to June, Q2 July to September, Q3 October to December, Q4 January to March of the
following calendar year. Strategy groups report on these quarters, so every dashboard figure, the
snapshot key, the URL and the PDF title use this one name.
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta

_NAME = re.compile(r"^(?P<start>\d{4})-(?P<end>\d{2})-Q(?P<number>[1-4])$")


class BadQuarter(ValueError):
    """A quarter name that is not `YYYY-YY-Qn` with consecutive years (the API answers 400)."""


@dataclass(frozen=True, order=True)
class Quarter:
    """One quarter: `year` is the calendar year the financial year starts in, `number` 1 to 4."""

    year: int
    number: int

    def __post_init__(self):
        if self.number not in (1, 2, 3, 4):
            raise BadQuarter(f"A quarter is numbered 1 to 4, not {self.number}.")

    @property
    def name(self):
        return f"{self.year}-{(self.year + 1) % 100:02d}-Q{self.number}"

    def __str__(self):
        return self.name

    @property
    def start(self):
        """First day: Q1 starts 1 April, each later quarter three months on (Q4 in January next year)."""
        month = 4 + 3 * (self.number - 1)
        return date(self.year + (month > 12), (month - 1) % 12 + 1, 1)

    @property
    def end(self):
        """Last day: the day before the next quarter starts (31 March for Q4)."""
        return self.next().start - timedelta(days=1)

    @property
    def label(self):
        """Human words for headings, e.g. "October to December 2025"."""
        return f"{self.start:%B} to {self.end:%B %Y}"

    def previous(self):
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)

    def next(self):
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)

    def last(self, count):
        """This quarter and the `count - 1` before it, oldest first (trend charts read left to right)."""
        quarters = [self]
        while len(quarters) < count:
            quarters.append(quarters[-1].previous())
        return quarters[::-1]


def parse_quarter(name):
    """The quarter a name like `2025-26-Q3` means; BadQuarter with a readable reason otherwise."""
    match = _NAME.match(name or "")
    if match is None:
        raise BadQuarter(f"{name!r} is not a quarter: use the financial-year form YYYY-YY-Qn, for example 2025-26-Q3 (October to December 2025).")
    start = int(match["start"])
    if (start + 1) % 100 != int(match["end"]):
        raise BadQuarter(f"{name!r} is not a financial year: the second year must follow the first, as in {start}-{(start + 1) % 100:02d}.")
    return Quarter(start, int(match["number"]))


def quarter_of(day):
    """The quarter a date falls in (January to March belong to the financial year started the April before)."""
    year = day.year if day.month >= 4 else day.year - 1
    return Quarter(year, (day.month - 4) % 12 // 3 + 1)


def last_complete_quarter(today):
    """The quarter before the one `today` is in: the one the scheduled snapshot computes."""
    return quarter_of(today).previous()


def reported_quarter(name, *, today, ended=False):
    """A quarter the dashboard reports on: named well and started by `today`.

    `ended=True` asks for a quarter that is over (only those are signed off in a snapshot).
    BadQuarter otherwise, with the reason in words: pages answer 404 with it, the API 400.
    """
    quarter = parse_quarter(name)
    if quarter.start > today:
        raise BadQuarter(f"{quarter.name} ({quarter.label}) has not started yet.")
    if ended and quarter.end >= today:
        raise BadQuarter(f"{quarter.name} ends on {quarter.end:%-d %B %Y}: its figures can be signed off from the day after.")
    return quarter
