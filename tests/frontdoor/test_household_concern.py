"""A household concern by address reaches the front door and nobody else; after linking it is on each child's chronology (issue 14)."""

from datetime import date

import pytest

from agencies.access import chronology_entries_visible_to, household_concerns_visible_to
from audit.models import AccessEvent, AuditAction
from chronologies.models import ChronologyEntry, SourceType
from frontdoor.models import FrontDoorItem, ItemKind
from frontdoor.selectors import household_matches
from frontdoor.services import household_concern_link, household_concern_record
from notifications.models import Notification
from tests.factories import SHARING, make_case, make_child

pytestmark = pytest.mark.django_db

AT_THE_FLAT = {
    "observed_on": date(2026, 11, 20),
    "neglect_types": ["physical", "nutritional"],
    "sharing": SHARING,
    "description": "Three children seen at the flat, unkempt; no food in the kitchen.",
    "impact_on_child": "The children looked hungry and cold.",
    "who_was_seen": "Three children, the youngest about 3",
}


@pytest.fixture
def flat(world):
    """The world's child and a sister live at Flat 3, 12 Example Road, ZZ1 1AA."""
    family = world.case.child.family
    family.address, family.postcode = "Flat 3\n12 Example Road", "ZZ1 1AA"
    family.save()
    sister = make_child("Ava", world.case.child.family_name, date(2020, 3, 3), family=family)
    make_case(world.health, child=sister)
    return family, sister


def record(user, **where):
    return household_concern_record(actor=user, **{**AT_THE_FLAT, **where})


def test_any_agency_records_a_concern_by_address_and_it_goes_to_the_front_door(world, flat):
    concern, told = record(world.users["outsider"], address="Flat 3, 12 Example Road", postcode="zz11aa")
    item = FrontDoorItem.objects.get(household_concern=concern)
    assert (item.kind, item.referred_by, item.due_on, concern.postcode) == (ItemKind.HOUSEHOLD_CONCERN, world.users["outsider"], date(2026, 11, 25), "ZZ1 1AA")
    assert told == "children's social care's front door (csc_manager), deciding by 25 November 2026"
    assert Notification.objects.filter(recipient=world.users["csc_manager"], link=f"/front-door/items/{item.pk}/").exists()


def test_nobody_but_the_front_door_sees_it(world, flat, client_for):
    concern, _ = record(world.users["outsider"], address="Flat 3, 12 Example Road", postcode="ZZ1 1AA")
    item = FrontDoorItem.objects.get(household_concern=concern)
    for kind in ("outsider", "lead_practitioner", "partner_dsl", "csc_practitioner", "admin"):
        assert not household_concerns_visible_to(world.users[kind]).exists(), kind
        denied = AccessEvent.objects.filter(action=AuditAction.DENIED).count()
        assert client_for(world.users[kind]).get(f"/front-door/items/{item.pk}/").status_code == 404, kind
        assert AccessEvent.objects.filter(action=AuditAction.DENIED).count() == denied + 1
    assert client_for(world.users["csc_manager"]).get(f"/front-door/items/{item.pk}/").status_code == 200


def test_the_recorder_learns_the_same_whether_or_not_the_address_is_known(world, flat, client_for):
    client = client_for(world.users["outsider"])
    answers = []
    for address, postcode in (("Flat 3, 12 Example Road", "ZZ1 1AA"), ("99 Nowhere Lane", "ZZ9 9ZZ")):
        response = client.post(
            "/front-door/household-concerns/new/",
            {
                "address": address,
                "postcode": postcode,
                "observed_on": "2026-11-20",
                "neglect_types": ["physical"],
                "description": AT_THE_FLAT["description"],
                "impact_on_child": AT_THE_FLAT["impact_on_child"],
                "sharing_reason": "To keep them safe",
                "lawful_basis": "public_task",
                "sharing_condition": "safeguarding",
                "family_informed": "no",
                "not_informed_reason": "Could put them at risk",
            },
            follow=True,
        )
        messages = [str(message) for message in response.context["messages"]]
        answers.append((response.status_code, [message.split("(reference H")[0] + message.split(")", 1)[1] for message in messages]))
    assert answers[0] == answers[1]
    assert answers[0][1] == [
        "Concern recorded . It has gone to children's social care's front door (csc_manager), deciding by 25 November 2026; "
        "they find the household and decide what happens next."
    ]


def test_only_the_front_door_is_shown_the_households_that_match(world, flat):
    concern, _ = record(world.users["outsider"], address="Flat 3, 12 Example Road", postcode="ZZ1 1AA")
    family, sister = flat
    [match] = household_matches(user=world.users["csc_manager"], concern=concern)
    assert (match.family, match.reasons, match.children) == (family, ["same postcode"], [world.case.child, sister])
    assert household_matches(user=world.users["outsider"], concern=concern) == []
    assert household_matches(user=world.users["lead_practitioner"], concern=concern) == []


def test_a_parents_name_finds_the_household_of_an_adult_of_that_name(world, flat):
    from households.services import adult_add

    family, _ = flat
    adult_add(actor=None, family=family, given_name="Dee", family_name="Brook")
    concern, _ = record(world.users["outsider"], parent_name="dee brook")
    assert [match.family for match in household_matches(user=world.users["csc_manager"], concern=concern)] == [family]


def test_after_linking_it_is_on_each_childs_chronology_and_their_leads_are_told(world, flat):
    family, sister = flat
    concern, _ = record(world.users["outsider"], address="Flat 3, 12 Example Road", postcode="ZZ1 1AA")
    item = FrontDoorItem.objects.get(household_concern=concern)
    household_concern_link(
        actor=world.users["csc_manager"], item=item, family=family, children=[world.case.child, sister], reason="Same flat; three children known there"
    )
    entries = ChronologyEntry.objects.filter(source_type=SourceType.HOUSEHOLD_CONCERN, source_id=concern.pk)
    assert {entry.child for entry in entries} == {world.case.child, sister}
    assert all(entry.agency == world.police and entry.kind == "concern" for entry in entries)
    # The world child's team (health, school) reads it on the child's chronology; the police officer who recorded it still sees no child.
    assert chronology_entries_visible_to(world.users["partner_practitioner"]).filter(source_type=SourceType.HOUSEHOLD_CONCERN).count() == 1
    assert not chronology_entries_visible_to(world.users["outsider"]).exists()
    assert Notification.objects.filter(recipient=world.users["lead_practitioner"], subject=f"New concern on case {world.case.pk}").exists()
    item.refresh_from_db()
    assert item.family == family


def test_only_the_households_children_can_be_linked(world, flat):
    family, _ = flat
    stranger = make_case(world.health).child
    concern, _ = record(world.users["outsider"], address="Flat 3", postcode="ZZ1 1AA")
    item = FrontDoorItem.objects.get(household_concern=concern)
    with pytest.raises(Exception) as error:
        household_concern_link(actor=world.users["csc_manager"], item=item, family=family, children=[stranger], reason="Wrong one")
    assert "Choose children who live in this household" in str(error.value)


def test_an_address_or_a_name_is_needed(world):
    with pytest.raises(Exception) as error:
        record(world.users["outsider"])
    assert "Enter the address, or a parent's or carer's name" in str(error.value)
