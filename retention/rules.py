"""When a child's record may be deleted: the retention rules and the dates that follow from them.

The unit of retention is the child: a child's safeguarding record (cases, concerns, plans, the
chronology, assessments, conferences...) is kept or deleted whole. An early-help case cannot be cut
out of a chronology that later statutory work refers to, and chronology entries, referrals and
concerns belong to the child rather than to one case. So each of the child's cases gets a due date
from its record type, and the child is due when every case is closed and the latest of those dates
has come.

Record types (settings.RETENTION_RULES; defaults chosen for safeguarding records and documented in
the README):

* `looked_after` – a case with a looked-after plan: 50 years after the 25th birthday (the child's
  75th birthday, as the Care Planning regulations keep care records);
* `statutory` – a case with a child protection, child in need or pre-proceedings plan, a
  conference, or the specialist/statutory threshold: until the child's 25th birthday;
* `early_help` – any other case (universal plus, targeted early help): 6 years after closure.
"""

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from cases.models import Threshold
from plans.models import PlanKind

CASE_CLOSED = "case_closed"
CHILD_25TH_BIRTHDAY = "child_25th_birthday"
BASES = (CASE_CLOSED, CHILD_25TH_BIRTHDAY)

LOOKED_AFTER = "looked_after"
STATUTORY = "statutory"
EARLY_HELP = "early_help"
# Strongest first: a case's type is the first that applies.
RECORD_TYPES = (LOOKED_AFTER, STATUTORY, EARLY_HELP)

RECORD_TYPE_LABELS = {
    LOOKED_AFTER: "Looked after",
    STATUTORY: "Statutory (child protection, child in need, conference, specialist)",
    EARLY_HELP: "Early help",
}

STATUTORY_PLANS = {PlanKind.CHILD_PROTECTION, PlanKind.CHILD_IN_NEED, PlanKind.PRE_PROCEEDINGS}


@dataclass(frozen=True)
class Rule:
    years: int
    basis: str


def rules() -> dict[str, Rule]:
    """The configured rules, checked: every record type present, whole years, a known basis."""
    configured = getattr(settings, "RETENTION_RULES", {})
    checked = {}
    for record_type in RECORD_TYPES:
        rule = configured.get(record_type)
        if not isinstance(rule, dict) or not isinstance(rule.get("years"), int) or rule["years"] < 0 or rule.get("basis") not in BASES:
            raise ImproperlyConfigured(
                f'RETENTION_RULES[{record_type!r}] must be {{"years": <whole number, 0 or more>, "basis": one of {list(BASES)}}}; got {rule!r}'
            )
        checked[record_type] = Rule(rule["years"], rule["basis"])
    unknown = set(configured) - set(RECORD_TYPES)
    if unknown:
        raise ImproperlyConfigured(f"RETENTION_RULES has unknown record types {sorted(unknown)}; known: {list(RECORD_TYPES)}")
    return checked


def twenty_fifth_birthday(born: date) -> date:
    """The 25th birthday; someone born on 29 February turns 25 on 1 March in a common year (cases.Child.age_on)."""
    if born.month == 2 and born.day == 29:
        try:
            return born.replace(year=born.year + 25)
        except ValueError:
            return date(born.year + 25, 3, 1)
    return born.replace(year=born.year + 25)


def record_type(*, plan_kinds, threshold, had_conference) -> str:
    if PlanKind.LOOKED_AFTER in plan_kinds:
        return LOOKED_AFTER
    if STATUTORY_PLANS & set(plan_kinds) or threshold == Threshold.SPECIALIST or had_conference:
        return STATUTORY
    return EARLY_HELP


def case_due_on(*, kind: str, closed_on: date | None, date_of_birth: date) -> date | None:
    """The first day a closed case's record may be deleted; None while the case is open."""
    if closed_on is None:
        return None
    rule = rules()[kind]
    start = closed_on if rule.basis == CASE_CLOSED else twenty_fifth_birthday(date_of_birth)
    return start + relativedelta(years=rule.years)
