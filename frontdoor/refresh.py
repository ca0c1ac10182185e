"""Red flags and family-wide flags reach someone who acts (issue 14).

Drift flags (drift/rules.py) are computed for whoever reads them; nobody is told when a red one
appears. Here, for some open cases:

* every red flag nobody has acknowledged is told once (`FlagNotice`) to someone responsible for the
  case: its lead professional; else its lead agency's managers and designated safeguarding leads;
  else the front door (`access.front_door_recipients`);
* on a case below the statutory level (`access.is_statutory_case` false: statutory cases already
  have children's social care's attention), a red flag becomes a front-door item, and a household's
  family-wide flag one item for the household.

Flags are computed as a reader of the whole record (`access.whole_record_reader`, the view of
children's social care, whose front door receives them); the messages name the flag and the case
number only. Idempotent: a notice is one row per case, flag and start day, and an item one per case
and flag (or household) while it waits, so running it again changes nothing.

It runs after a write commits (apps.py: a concern, a chronology entry, a household change, for the
household's open cases) and every night (tasks.front_door_flags_sweep) for the flags that appear
with the date alone.
"""

from datetime import date

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from agencies import access
from cases.models import CaseStatus
from drift import rules
from neglect_portal.dates import long_date
from notifications.services import notification_create

from .models import FlagNotice, ItemKind
from .services import front_door_item_open

FAMILY_CODE = "family_concerns"


def _responsible(case):
    """Who is told of a red flag on `case`, and how to say it: the lead professional, else the lead agency's overseers, else the front door."""
    lead = case.lead_professional
    if lead is not None and lead.is_active:
        return [lead], "the lead professional"
    overseers = list(
        get_user_model().objects.filter(is_active=True, membership__agency=case.lead_agency, membership__role__in=access.OVERSEER_ROLES).order_by("pk")
    )
    if overseers:
        return overseers, f"{case.lead_agency.name}'s managers and designated safeguarding leads"
    return list(access.front_door_recipients()), "children's social care's front door"


def _notify(case, flag):
    """Tell the people responsible for `case` of a red flag, once per flag and start day; returns whether they were told now."""
    people, who = _responsible(case)
    try:
        with transaction.atomic():
            FlagNotice.objects.create(
                case=case, code=flag.code, since=flag.since, told=f"{who}: {', '.join(person.get_username() for person in people) or 'nobody'}"
            )
    except IntegrityError:
        return False
    for person in people:
        notification_create(
            recipient=person,
            subject=f"Red flag on case {case.pk}: {flag.title}",
            body=f"{flag.title}, since {long_date(flag.since)}. Open the case to see why and the records behind it.",
            link=reverse("cases:case_detail", args=[case.pk]) + "#flags",
        )
    return True


def front_door_flags_refresh(*, case_ids, today: date | None = None) -> dict:
    """Tell red flags once and queue the front door's flag items for these open cases; returns counts of what was done."""
    today = today or timezone.localdate()
    reader = access.whole_record_reader()
    cases = {
        case.pk: case
        for case in access.cases_visible_to(reader)
        .filter(pk__in=list(case_ids), status=CaseStatus.OPEN)
        .select_related("child__family", "lead_agency", "lead_professional")
    }
    if not cases:
        return {"told": 0, "items": 0}
    flags = rules.drift_flags_for_cases(user=reader, case_ids=list(cases), today=today)
    told = items = 0
    for case_id, found in flags.items():
        case = cases[case_id]
        red = [flag for flag in found if flag.severity == rules.RED and not flag.is_acknowledged]
        if not red:
            continue
        statutory = access.is_statutory_case(case)
        for flag in red:
            told += _notify(case, flag)
            if statutory:
                continue
            if flag.code == FAMILY_CODE and case.child.family_id:
                _item, created, _people = front_door_item_open(
                    kind=ItemKind.FAMILY_FLAG,
                    family=case.child.family,
                    case=None,
                    flag_code=flag.code,
                    detail=flag.reason,
                    referring_agency=None,
                    received_on=today,
                    not_since=flag.since,
                )
            else:
                _item, created, _people = front_door_item_open(
                    kind=ItemKind.RED_FLAG, case=case, flag_code=flag.code, detail=flag.reason, referring_agency=None, received_on=today, not_since=flag.since
                )
            items += created
    return {"told": told, "items": items}


def household_open_case_ids(child_ids):
    """The open cases of these children and of every child living in the same households (a family-wide flag is on each)."""
    reader = access.whole_record_reader()
    child_ids = list(child_ids)
    families = access.children_visible_to(reader).filter(pk__in=child_ids, family__isnull=False).values("family_id")
    household = access.children_visible_to(reader).filter(family_id__in=families).values_list("pk", flat=True)
    everyone = set(child_ids) | set(household)
    return list(access.cases_visible_to(reader).filter(status=CaseStatus.OPEN, child_id__in=everyone).values_list("pk", flat=True))
