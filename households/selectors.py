"""Reads of households (issue 14). Every function takes `user=` and starts from the access layer.

A household is read through `access.families_visible_to`; its children are only those the user may
see (`children_visible_to`), its membership rows only those of visible children and of its adults
(`household_members_visible_to`), so a household page never reveals a child the reader may not see.
"""

from dataclasses import dataclass

from django.db.models import Prefetch

from agencies.access import can_edit_family, child_visible, families_visible_to, household_members_visible_to
from cases.household_models import HouseholdAddress, HouseholdMember
from cases.models import AdultChildRelationship, Family
from cases.selectors import ChildIdentifiers, visible_children_matching


@dataclass(frozen=True)
class HouseholdView:
    """The household page: its details, address history, who lives there now (visible children and its adults) and who left."""

    family: Family
    members: list  # current HouseholdMember rows: visible children, then adults
    past_members: list  # rows that ended, of visible children and of adults
    addresses: list  # HouseholdAddress, current first
    can_edit: bool

    @property
    def children(self):
        return [member.child for member in self.members if member.child_id]

    @property
    def adults(self):
        return [member.adult for member in self.members if member.adult_id]


def household_view(*, user, family_id: int) -> HouseholdView | None:
    """The household as the user may read it; None when they may not (the view answers 404)."""
    family = families_visible_to(user).filter(pk=family_id).first()
    if family is None:
        return None
    links = AdultChildRelationship.objects.filter(child_visible(user)).select_related("child")
    rows = (
        household_members_visible_to(user)
        .filter(family_id=family.pk)
        .select_related("child__school", "adult", "added_by", "removed_by")
        .prefetch_related(Prefetch("adult__child_links", queryset=links))
        .order_by("adult_id", "child__date_of_birth", "joined_on", "pk")
    )
    members, past = [], []
    for row in rows:
        (members if row.is_current else past).append(row)
    past.sort(key=lambda row: (row.left_on, row.pk), reverse=True)
    return HouseholdView(
        family=family,
        members=members,
        past_members=past,
        addresses=list(HouseholdAddress.objects.filter(family=family)),
        can_edit=can_edit_family(user, family),
    )


def member_of_household(*, user, family: Family, member_id: int) -> HouseholdMember | None:
    """One current membership row of a household the view got through `access_family`, if the user may see it."""
    return household_members_visible_to(user).filter(family=family, pk=member_id, left_on__isnull=True).select_related("child", "adult").first()


def visible_child_by_identifiers(*, user, identifiers: ChildIdentifiers):
    """The one child the user may already see with these exact identifiers; a list when none or several (the form says which)."""
    found = list(visible_children_matching(user=user, identifiers=identifiers)[:2])
    return found[0] if len(found) == 1 else found
