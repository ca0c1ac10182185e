"""Access-matrix rows for the front door (issue 14), partner red flags and theme words.

The front door is children's social care's managers and DSLs, and its case workers on the
front-door team (agencies/access.py, `is_front_door`): here `csc_manager`. Its queue page refuses
anyone else (403); an item, like any record they may not see, is 404 to them, whatever their role.
"""

from datetime import date

from concerns.services import concern_record
from frontdoor.services import household_concern_record
from tests.factories import SHARING

from .matrix import ADMIN, CASE_OVERSEERS, CASE_WORKERS, Row, api, page

FRONT_DOOR = frozenset({"csc_manager"})


def request_for_support(world):
    concern = concern_record(
        actor=world.users["partner_practitioner"],
        case=world.case,
        observed_on=date(2026, 3, 1),
        neglect_types=["physical"],
        description="Head lice again",
        impact_on_child="Teased in class",
        sharing=SHARING,
        ask_front_door=True,
        support_reason="The family needs more help than school can give",
    )
    return {"item_id": concern.front_door_items.get().pk}


def household_concern_item(world):
    concern, _told = household_concern_record(
        actor=world.users["outsider"],
        observed_on=date(2026, 3, 1),
        neglect_types=["physical"],
        description="Three children seen at the flat, unkempt",
        impact_on_child="Hungry and cold",
        address="Flat 3, 12 Example Road",
        postcode="ZZ1 1AA",
        sharing=SHARING,
    )
    return {"item_id": concern.front_door_items.get().pk}


def item_pk(world):
    return {"pk": request_for_support(world)["item_id"]}


def decision(world):
    return {"outcome": "universal_services", "threshold": "universal_plus", "reasons": "School nurse and the family hub can help"}


def link_to_world_household(world):
    return {"family": world.case.child.family_id, "children": [world.case.child_id], "reason": "Same flat, the mother named the children"}


ROUTES = {
    ("frontdoor:queue", "GET"): Row(page(FRONT_DOOR)),
    ("frontdoor:item", "GET"): Row(page(FRONT_DOOR, denied=404), kwargs=request_for_support),
    ("frontdoor:decision", "GET"): Row(page(FRONT_DOOR, denied=404), kwargs=request_for_support),
    ("frontdoor:decision", "POST"): Row(page(FRONT_DOOR, denied=404, allowed_status=302), kwargs=request_for_support, data=decision),
    ("frontdoor:link", "GET"): Row(page(FRONT_DOOR, denied=404), kwargs=household_concern_item, data=lambda w: {"family": w.case.child.family_id}),
    ("frontdoor:link", "POST"): Row(page(FRONT_DOOR, denied=404, allowed_status=302), kwargs=household_concern_item, data=link_to_world_household),
    ("frontdoor:household_concern_new", "GET"): Row(page(CASE_WORKERS)),
    # An empty form comes back with its errors (200): the page never says whether an address is known.
    ("frontdoor:household_concern_new", "POST"): Row(page(CASE_WORKERS)),
    ("frontdoor:team", "GET"): Row(page(ADMIN)),
    ("frontdoor:team", "POST"): Row(page(ADMIN, allowed_status=302), data=lambda w: {"members": [w.users["csc_practitioner"].pk]}),
    ("api:front-door-item-list", "GET"): Row(api(FRONT_DOOR, denied=403), data=lambda w: {"status": "open", "overdue": "1"}),
    ("api:front-door-item-detail", "GET"): Row(api(FRONT_DOOR), kwargs=item_pk),
    ("api:front-door-item-decision", "POST"): Row(api(FRONT_DOOR, allowed_status=201), kwargs=item_pk, data=decision, encoding="json"),
    ("drift:partner_red_flags", "GET"): Row(page(CASE_OVERSEERS)),
    ("chronologies:theme_words", "GET"): Row(page(ADMIN)),
    ("chronologies:theme_words", "POST"): Row(page(ADMIN, allowed_status=302), data=lambda w: {"theme": "Hygiene", "words": "unkempt"}),
    ("chronologies:theme_word_remove", "POST"): Row(page(ADMIN, allowed_status=302), kwargs=lambda w: {"word_id": 1}),
}
