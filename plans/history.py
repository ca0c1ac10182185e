"""A child's plan history: the rules the case page, drift, the dashboard and the census share.

Each rule is written once, here, as a SQL expression over `Plan` rows (an `Exists`, a count or a
`Q`), so every caller counts in the database, in bulk, and the same way:

* **Repeat plan** (`is_repeat_plan`): the child had an earlier plan of the same kind and category,
  started on an earlier day (a plan started the same day is not earlier), on any of the child's
  cases, whoever may see it. A second child protection plan for neglect repeats the first; one
  after a plan for physical abuse does not. The case page, the drift flag and the dashboard's
  repeat-plan measure all read this; `previous_only=True` asks that the plan just before was of
  the same category (Buckinghamshire's definition, a dashboard measure of its own).
* **Previous child protection plans** (`earlier_plan_count(any_category=True)`): the DfE census's
  NumberOfPreviousCPP and Annex A list 7's "Number of Previous Child Protection Plans" count every
  earlier child protection plan of the child, whatever its category (the census guidance counts
  plans, not categories).
* **Plan length** (`PlanLength`): a plan has run N months on the day N calendar months after its
  start (`neglect_portal.dates.months_after`). Each idea has one setting: `LONG_CP_PLAN` (a child
  protection plan of LONG_CP_PLAN_MONTHS, 12, or more: drift's red flag and the dashboard's
  measure) and `LONG_CIN_PLAN` (a child in need plan over LONG_CIN_PLAN_MONTHS, 6: drift's flag and
  the dashboard's measure).

The repeat-referral rule is `referrals/history.py`. Nothing here is scoped to a user: callers start
from the access layer and use these as annotations or filters (the history behind a repeat flag
is looked for among all of the child's records: the flag says that one exists, never which or where).
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Exists, IntegerField, OuterRef, Q, Subquery

from neglect_portal.dates import months_after, months_before

from .models import Plan

ONE_DAY = timedelta(days=1)


# --- Repeat plans and previous plans ---------------------------------------------------------------


def earlier_plans(*, any_category: bool = False):
    """The plans of the outer plan's child, of its kind (and category, unless `any_category`), started on an earlier day."""
    earlier = Plan.objects.filter(child_id=OuterRef("child_id"), kind=OuterRef("kind"), started_on__lt=OuterRef("started_on"))
    return earlier if any_category else earlier.filter(cp_category=OuterRef("cp_category"))


def is_repeat_plan(*, previous_only: bool = False) -> Exists:
    """True for a plan that repeats an earlier plan of the child of the same kind and category.

    `previous_only` narrows it to the plan just before: the child's latest earlier plan of the kind
    (whatever its category; on a tie of start days the later recorded) has this plan's category.
    Buckinghamshire's neglect strategy (2017) counts a repeat plan for neglect only "where the
    previous plan was for neglect": neglect, then physical abuse, then neglect again is a repeat by
    the default rule and not by this one (docs/dashboard.md, "Repeat plans").
    """
    if not previous_only:
        return Exists(earlier_plans())
    # Inside the Exists below, the outer plan is two levels up.
    before = Plan.objects.filter(child_id=OuterRef(OuterRef("child_id")), kind=OuterRef(OuterRef("kind")), started_on__lt=OuterRef(OuterRef("started_on")))
    previous = Subquery(before.order_by("-started_on", "-pk").values("pk")[:1])
    return Exists(Plan.objects.filter(pk=previous, cp_category=OuterRef("cp_category")))


class _RowCount(Subquery):
    """COUNT(*) of a correlated subquery's rows, as an integer (0 when none)."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS counted)"
    output_field = IntegerField()


def earlier_plan_count(*, any_category: bool = False) -> Subquery:
    """How many `earlier_plans` the outer plan has (the ordinal of a repeat, or NumberOfPreviousCPP)."""
    return _RowCount(earlier_plans(any_category=any_category).values("pk"))


# --- Plan length ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanLength:
    """A plan length the partnership watches: `months` from one setting; `over` when the plan must run longer.

    "12 months or more" (`over=False`) is long from the day 12 calendar months after the start;
    "over 6 months" (`over=True`) from the day after 6 calendar months.
    """

    setting: str
    default: int
    over: bool = False

    @property
    def months(self) -> int:
        return getattr(settings, self.setting, self.default)

    def long_from(self, started_on: date) -> date:
        """The first day a plan started on `started_on` counts as long."""
        reached = months_after(started_on, self.months)
        return reached + ONE_DAY if self.over else reached

    def is_long(self, started_on: date, on: date) -> bool:
        return on >= self.long_from(started_on)

    def latest_start(self, on: date) -> date:
        """The last start day of a plan that is long on `on` (every plan started before it is too)."""
        start = months_before(on, self.months)
        while self.is_long(start + ONE_DAY, on):
            start += ONE_DAY
        while not self.is_long(start, on):
            start -= ONE_DAY
        return start

    def started_long_enough_before(self, on: date) -> Q:
        """Plans (rows of `Plan`) long on `on`, for a filter or a conditional count."""
        return Q(started_on__lte=self.latest_start(on))


LONG_CP_PLAN = PlanLength("LONG_CP_PLAN_MONTHS", 12)
LONG_CIN_PLAN = PlanLength("LONG_CIN_PLAN_MONTHS", 6, over=True)
