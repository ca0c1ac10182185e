"""Reads of the front door (issue 14). Every function takes `user=` and starts from the access layer.

The queue starts from `access.front_door_items_visible_to` (empty for anyone but the front door);
household matching from `access.families_visible_to` (the front door reads every household), and
is only ever called for the front door's pages, so whether an address matches a household is never
shown to the person who recorded the concern.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q
from django.utils import timezone

from agencies.access import cases_visible_to, children_visible_to, families_visible_to, front_door_items_visible_to, is_front_door
from cases.household_models import HouseholdAddress
from cases.models import Adult, CaseStatus

from .deadlines import working_days_late
from .models import FrontDoorItem, ItemKind, ItemStatus
from .services import item_children

STATUSES = {"open": ItemStatus.OPEN, "decided": ItemStatus.DECIDED, "all": None}


@dataclass(frozen=True)
class QueueFilters:
    status: str = "open"  # "open", "decided" or "all"
    overdue: bool = False
    kind: str = ""

    @classmethod
    def from_query(cls, query):
        status = query.get("status", "open")
        kind = query.get("kind", "")
        return cls(
            status=status if status in STATUSES else "open", overdue=query.get("overdue") in ("1", "true", "yes"), kind=kind if kind in ItemKind.values else ""
        )


@dataclass(frozen=True)
class QueueRow:
    item: FrontDoorItem
    late: bool
    days_late: int


def front_door_queue(*, user, filters: QueueFilters = QueueFilters(), today: date | None = None):
    """The front door's items, filtered; open ones late first then by deadline, decided ones newest first."""
    today = today or timezone.localdate()
    items = front_door_items_visible_to(user).select_related(
        "case__child",
        "case__lead_agency",
        "family",
        "household_concern",
        "referring_agency",
        "referred_by",
        "decision__decided_by",
    )
    status = STATUSES[filters.status]
    if status is not None:
        items = items.filter(status=status)
    if filters.kind:
        items = items.filter(kind=filters.kind)
    if filters.overdue:
        items = items.filter(status=ItemStatus.OPEN, due_on__lt=today)
    order = ("due_on", "received_on", "pk") if filters.status == "open" else ("-created_at", "-pk")
    return [
        QueueRow(item=item, late=item.is_late(today), days_late=working_days_late(item.due_on, today) if item.is_late(today) else 0)
        for item in items.order_by(*order)[:500]
    ]


def front_door_counts(*, user, today: date | None = None) -> dict:
    """Open items per kind, and how many are late (for the queue's summary)."""
    today = today or timezone.localdate()
    open_items = front_door_items_visible_to(user).filter(status=ItemStatus.OPEN)
    counts = dict.fromkeys(ItemKind.values, 0)
    for kind in open_items.values_list("kind", flat=True):
        counts[kind] += 1
    return {"by_kind": counts, "open": sum(counts.values()), "late": open_items.filter(due_on__lt=today).count()}


@dataclass(frozen=True)
class HouseholdMatch:
    """A household that may be the one a household concern is about, and why the front door is shown it."""

    family: object
    reasons: list
    children: list = field(default_factory=list)


def household_matches(*, user, concern) -> list[HouseholdMatch]:
    """Households matching a household concern's UPRN, postcode (now or in their address history) or a parent's name.

    For the front door's item page only: the recorder never sees whether anything matched, and
    nobody but the front door is answered anything (`access.is_front_door`).
    """
    if not is_front_door(user):
        return []
    families = families_visible_to(user)
    reasons = {}

    def add(family_ids, reason):
        for family_id in family_ids:
            reasons.setdefault(family_id, [])
            if reason not in reasons[family_id]:
                reasons[family_id].append(reason)

    if concern.uprn:
        add(families.filter(uprn=concern.uprn).values_list("pk", flat=True), "same UPRN")
        add(HouseholdAddress.objects.filter(uprn=concern.uprn, family__in=families).values_list("family_id", flat=True), "lived at this UPRN")
    if concern.postcode:
        add(families.filter(postcode=concern.postcode).values_list("pk", flat=True), "same postcode")
        add(
            HouseholdAddress.objects.filter(postcode=concern.postcode, family__in=families)
            .exclude(moved_out_on__isnull=True)
            .values_list("family_id", flat=True),
            "lived at this postcode",
        )
    name_words = [word for word in concern.parent_name.split() if len(word) > 1]
    if name_words:
        adults = Adult.objects.filter(family__in=families_visible_to(user)).filter(family_name__iexact=name_words[-1])
        if len(name_words) > 1:
            adults = adults.filter(given_name__iexact=name_words[0])
        add(adults.values_list("family_id", flat=True), "an adult of this name")
    found = families.filter(pk__in=list(reasons)).order_by("name", "pk")[:20]
    children = {}
    for child in children_visible_to(user).filter(family__in=found).order_by("date_of_birth", "pk"):
        children.setdefault(child.family_id, []).append(child)
    return [HouseholdMatch(family=family, reasons=reasons[family.pk], children=children.get(family.pk, [])) for family in found]


@dataclass(frozen=True)
class ItemPage:
    item: FrontDoorItem
    children: list
    cases: list
    flags: dict  # case id -> drift flags (the front door sees the whole record)
    matches: list


def item_page(*, user, item: FrontDoorItem, today: date | None = None) -> ItemPage:
    """What the item page shows: the children and open cases it is about, their flags, and (for an unlinked household concern) matches."""
    from drift.rules import drift_flags_for_cases

    today = today or timezone.localdate()
    children = item_children(user, item)
    cases = list(
        cases_visible_to(user)
        .filter(Q(child__in=[child.pk for child in children]), status=CaseStatus.OPEN)
        .select_related("child", "lead_agency", "lead_professional")
        .order_by("child__date_of_birth", "pk")
    )
    flags = drift_flags_for_cases(user=user, case_ids=[case.pk for case in cases], today=today) if cases else {}
    concern = item.household_concern
    unlinked = concern is not None and not hasattr(concern, "link")
    return ItemPage(item=item, children=children, cases=cases, flags=flags, matches=household_matches(user=user, concern=concern) if unlinked else [])
