"""A child's referral history: the repeat-referral rule the case page, drift, the dashboard and the census share.

* **Repeat referral** (`is_repeat_referral`): the child was referred, for anything, on an earlier
  day no more than 12 months before: the same calendar day a year earlier counts, the day before
  it does not; a referral on 29 February looks back to 1 March.

It is written once, here, as a SQL `Exists` over `Referral` rows, so every caller counts in the
database, in bulk, and the same way. The plan rules (repeat plans, previous plans, plan length)
are `plans/history.py`. Nothing here is scoped to a user: callers start from the access layer and
use this as an annotation or a filter (the earlier referral is looked for among all of the child's
referrals: the flag says that one exists, never which or where).
"""

from django.db.models import Exists, OuterRef
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear

from .models import Referral

# --- Repeat referrals ----------------------------------------------------------------------------


def _date_number(value, *, years_back=0):
    """A date as the number YYYYMMDD, with the year moved back if asked.

    Comparing the numbers compares the dates, and "the same day a year earlier" becomes plain
    arithmetic that SQLite and PostgreSQL share (they share no interval syntax). 29 February has
    no twin in a common year, so a window starting there starts on 1 March.
    """
    return (ExtractYear(value) - years_back) * 10000 + ExtractMonth(value) * 100 + ExtractDay(value)


def is_repeat_referral() -> Exists:
    """True for a referral of a child referred before, on an earlier day no more than 12 months before."""
    within_a_year = (
        Referral.objects.filter(child_id=OuterRef("child_id"), referred_on__lt=OuterRef("referred_on"))
        .annotate(referred_number=_date_number("referred_on"))
        .filter(referred_number__gte=_date_number(OuterRef("referred_on"), years_back=1))
    )
    return Exists(within_a_year)
