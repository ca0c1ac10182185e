"""Calendar-month arithmetic, once for the whole portal (dateutil's `relativedelta`).

"N months before (or after) a date" is the same day N calendar months away, or that month's last
day when it has no such day: 6 months before 31 March is 30 September, 6 months before 31 August
is 28 February (29 in a leap year), 12 months after 29 February 2024 is 28 February 2025. A
window counted this way never reaches into the month before its start, and never drops the last
days of a short month. Chronology windows, drift thresholds, plan lengths and the Ofsted Annex A
lists all count months here.
"""

from datetime import date

from dateutil.relativedelta import relativedelta


def long_date(day: date) -> str:
    """A date as every notification and email writes it, the GOV.UK way: "4 December 2026" (no leading zero, month in full)."""
    return f"{day.day} {day:%B %Y}"


def months_before(day: date, months: int) -> date:
    """The same day `months` calendar months earlier; the month's last day when it has no such day."""
    return day - relativedelta(months=months)


def months_after(day: date, months: int) -> date:
    """The same day `months` calendar months later; the month's last day when it has no such day."""
    return day + relativedelta(months=months)


def whole_months(start: date, end: date) -> int:
    """Complete calendar months from `start` to `end` (a month is complete on `months_after(start, n)`)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if months_after(start, months) > end else months
