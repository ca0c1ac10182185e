"""Front-door deadlines, in working days of England and Wales (neglect_portal/working_days.py).

Working Together to Safeguard Children (2023) asks children's social care to decide what happens to
a referral within one working day, so a request for support, a concern nobody leads and a household
concern are due the next working day after they arrive; a duplicate check two; a flag, which is
already a record the partnership holds, three. `FRONT_DOOR_DEADLINE_WORKING_DAYS` (settings, JSON)
overrides any of them. An item received on a weekend or bank holiday counts from the next working
day (`add_working_days` skips them). Due today is not late; the day after is.
"""

from datetime import date

from django.conf import settings

from neglect_portal.working_days import add_working_days, working_days_between

DEFAULT_DEADLINE_WORKING_DAYS = {
    "request_for_support": 1,
    "no_lead_concern": 1,
    "household_concern": 1,
    "duplicate_check": 2,
    "red_flag": 3,
    "family_flag": 3,
}


def deadline_working_days(kind: str) -> int:
    return {**DEFAULT_DEADLINE_WORKING_DAYS, **getattr(settings, "FRONT_DOOR_DEADLINE_WORKING_DAYS", {})}[kind]


def due_on(kind: str, received_on: date) -> date:
    """The day by which the front door decides an item of `kind` received on `received_on`."""
    return add_working_days(received_on, deadline_working_days(kind))


def working_days_late(due: date, today: date) -> int:
    """How many working days past its due day an item is (0 when not late)."""
    return max(working_days_between(due, today), 0)
