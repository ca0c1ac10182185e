"""Access-matrix rows for households (issue 14): record, change, move, members, merge; the families API.

`world.case`'s child lives in a household. Who may change it (agencies/access.py, `can_edit_family`):
children's social care and the lead agency (community health); the school, a partner, and the
grantee read it but may not change it (403); everyone else cannot see it (404).
"""

from cases.household_models import HouseholdMember
from tests.factories import make_case, make_child

from .matrix import CASE_VISIBLE, CASE_WORKERS, Row, api, page
from .routes_cases import _visible_api, visible_only

EDITORS = frozenset({"lead_practitioner", "lead_manager", "csc_practitioner", "csc_manager"})


def family_id(world):
    return {"family_id": world.case.child.family_id}


def member_ids(world):
    member = HouseholdMember.objects.get(child=world.case.child, left_on__isnull=True)
    return {"family_id": member.family_id, "member_id": member.pk}


def family_pk(world):
    return {"pk": world.case.child.family_id}


def member_pk(world):
    ids = member_ids(world)
    return {"pk": ids["family_id"], "member_id": ids["member_id"]}


def _redirects(statuses):
    return {kind: 302 if status == 200 else status for kind, status in statuses.items()}


NEW_HOUSEHOLD = {"name": "Stone household", "address": "Flat 3, 12 Example Road", "postcode": "zz1 1aa"}


def another_health_child(world):
    """A child led by community health in another household: the editors may move them here."""
    return {"child": make_case(world.health, child=make_child(given_name="Leo")).child_id, "reason": "Moved in with his sister"}


ROUTES = {
    ("households:family_new", "GET"): Row(page(CASE_WORKERS)),
    ("households:family_new", "POST"): Row(page(CASE_WORKERS, allowed_status=302), data=lambda w: NEW_HOUSEHOLD),
    ("households:family_edit", "GET"): Row(visible_only(EDITORS), kwargs=family_id),
    ("households:family_edit", "POST"): Row(_redirects(visible_only(EDITORS)), kwargs=family_id, data=lambda w: {"name": "Brook household"}),
    ("households:family_move", "GET"): Row(visible_only(EDITORS), kwargs=family_id),
    ("households:family_move", "POST"): Row(
        _redirects(visible_only(EDITORS)), kwargs=family_id, data=lambda w: {"address": "4 Sample Close", "postcode": "ZZ2 2BB", "moved_on": "2026-01-10"}
    ),
    ("households:family_member_add", "GET"): Row(visible_only(EDITORS), kwargs=family_id),
    # An empty form comes back with its errors (200) for those who may change the household.
    ("households:family_member_add", "POST"): Row(visible_only(EDITORS), kwargs=family_id),
    ("households:family_member_remove", "GET"): Row(visible_only(EDITORS), kwargs=member_ids),
    ("households:family_member_remove", "POST"): Row(visible_only(EDITORS), kwargs=member_ids),
    ("households:family_merge", "GET"): Row(visible_only(EDITORS), kwargs=family_id),
    ("households:family_merge", "POST"): Row(visible_only(EDITORS), kwargs=family_id),
    ("api:family-list", "POST"): Row(api(CASE_WORKERS, allowed_status=201, denied=403), data=lambda w: NEW_HOUSEHOLD, encoding="json"),
    ("api:family-detail", "GET"): Row(api(CASE_VISIBLE), kwargs=family_pk),
    ("api:family-members", "POST"): Row(_visible_api(EDITORS) | dict.fromkeys(EDITORS, 201), kwargs=family_pk, data=another_health_child, encoding="json"),
    ("api:family-member", "DELETE"): Row(_visible_api(EDITORS), kwargs=member_pk, data=lambda w: {"reason": "Moved to live with her father"}, encoding="json"),
}
