"""Households (issue 14): record, move, add and remove members as recorded decisions on the chronology, merge, the API.

`world.case`'s child lives in a household; community health leads the case, the school is a partner.
"""

import json
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AccessEvent
from cases.household_models import HouseholdAddress, HouseholdMember
from cases.models import Child
from chronologies.models import ChronologyEntry, EntryKind, SourceType
from households.services import household_create, household_member_add, household_member_remove, household_merge, household_move
from tests.factories import make_case, make_child

pytestmark = pytest.mark.django_db


def test_recording_a_household_keeps_its_address_as_the_first_of_its_history(world):
    family = household_create(
        actor=world.users["partner_practitioner"], name="Stone household", address="Flat 3\n12 Example Road", postcode="zz1 1aa", uprn="100012345678"
    )
    assert (family.postcode, family.uprn, family.created_by_agency) == ("ZZ1 1AA", "100012345678", world.school)
    assert [(a.address, a.postcode, a.moved_out_on) for a in family.addresses.all()] == [("Flat 3\n12 Example Road", "ZZ1 1AA", None)]


def test_a_uprn_is_digits(world):
    with pytest.raises(ValidationError) as error:
        household_create(actor=world.users["partner_practitioner"], name="Stone household", uprn="12AB")
    assert "uprn" in error.value.message_dict


def test_a_move_keeps_the_old_address_in_the_history(world):
    family = world.case.child.family
    household_move(actor=world.users["lead_practitioner"], family=family, address="1 Old Road", postcode="ZZ3 3CC", moved_on=date(2026, 6, 1))
    household_move(actor=world.users["lead_practitioner"], family=family, address="4 Sample Close", postcode="ZZ2 2BB", moved_on=date(2026, 11, 1))
    family.refresh_from_db()
    assert (family.address, family.postcode) == ("4 Sample Close", "ZZ2 2BB")
    history = [(a.address, a.moved_in_on, a.moved_out_on) for a in HouseholdAddress.objects.filter(family=family).order_by("pk")]
    assert history == [("1 Old Road", date(2026, 6, 1), date(2026, 11, 1)), ("4 Sample Close", date(2026, 11, 1), None)]


def test_adding_a_child_is_a_recorded_decision_on_their_chronology(world):
    family = world.case.child.family
    brother = make_case(world.health, child=make_child("Leo")).child
    member = household_member_add(actor=world.users["lead_practitioner"], family=family, child=brother, reason="Moved in with his sister")
    brother.refresh_from_db()
    assert (brother.family, member.added_by, member.reason, member.joined_on) == (
        family,
        world.users["lead_practitioner"],
        "Moved in with his sister",
        date(2026, 11, 24),
    )
    entry = ChronologyEntry.objects.get(child=brother, source_type=SourceType.HOUSEHOLD_JOINED)
    assert (entry.kind, entry.agency, entry.author) == (EntryKind.HOUSEHOLD_CHANGE, world.health, world.users["lead_practitioner"])
    assert entry.summary == f"Joined the household {family} (child of the household). Why: Moved in with his sister"
    # He left his old household the same day, with the reason.
    old = HouseholdMember.objects.get(child=brother, left_on__isnull=False)
    assert old.left_on == date(2026, 11, 24) and "Moved in with his sister" in old.removal_reason


def test_an_adult_joining_goes_on_every_childs_chronology(world):
    from households.services import adult_add

    family = world.case.child.family
    sister = make_case(world.health, child=make_child("Ava", family=family)).child
    elsewhere = make_child("Dee", family=None)
    partner = adult_add(actor=None, family=elsewhere.family, given_name="Sam", family_name="Jones", is_father_or_male_carer=True)
    household_member_add(actor=world.users["csc_manager"], family=family, adult=partner, relationship="partner", reason="Mum's new partner moved in")
    entries = ChronologyEntry.objects.filter(source_type=SourceType.HOUSEHOLD_JOINED, summary__startswith="Sam Jones joined the household as partner")
    assert {entry.child for entry in entries} == {world.case.child, sister}


def test_a_partner_agency_may_not_change_the_household(world):
    with pytest.raises(PermissionDenied):
        household_move(actor=world.users["partner_dsl"], family=world.case.child.family, address="1 New Road", postcode="ZZ1 1AA")


def test_removing_a_child_keeps_the_record_of_their_time_there(world):
    member = HouseholdMember.objects.get(child=world.case.child, left_on__isnull=True)
    household_member_remove(actor=world.users["csc_practitioner"], member=member, reason="Went to live with her father")
    member.refresh_from_db()
    assert (member.left_on, member.removed_by, member.removal_reason) == (date(2026, 11, 24), world.users["csc_practitioner"], "Went to live with her father")
    assert Child.objects.get(pk=world.case.child_id).family is None
    assert ChronologyEntry.objects.get(source_type=SourceType.HOUSEHOLD_LEFT, source_id=member.pk).child == world.case.child


def test_a_reason_is_needed(world):
    member = HouseholdMember.objects.get(child=world.case.child, left_on__isnull=True)
    with pytest.raises(ValidationError) as error:
        household_member_remove(actor=world.users["csc_practitioner"], member=member, reason=" ")
    assert "reason" in error.value.message_dict


def test_merging_a_duplicate_household_moves_its_members_and_addresses(world):
    keep = world.case.child.family
    duplicate = household_create(actor=world.users["csc_manager"], name="Brook (duplicate)", address="12 Example Road", postcode="ZZ1 1AA")
    sister = make_case(world.health, child=make_child("Ava", family=duplicate)).child
    household_merge(actor=world.users["csc_manager"], keep=keep, duplicate=duplicate, reason="Same family recorded twice")
    sister.refresh_from_db()
    duplicate.refresh_from_db()
    assert (sister.family, duplicate.merged_into) == (keep, keep)
    assert HouseholdAddress.objects.filter(family=keep, address="12 Example Road").exists()
    assert not HouseholdMember.objects.filter(family=duplicate, left_on__isnull=True).exists()


def test_merging_needs_authority_over_both_households(world):
    other = make_case(world.school).child.family  # led by the school: community health may not change it
    with pytest.raises(PermissionDenied):
        household_merge(actor=world.users["lead_practitioner"], keep=world.case.child.family, duplicate=other, reason="Same family")


# --- The API ---------------------------------------------------------------------------------------


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_the_api_records_and_reads_a_household(world, client_for):
    client = client_for(world.users["partner_practitioner"])
    created = _post(client, "/api/v1/families/", {"name": "Stone household", "address": "Flat 3", "postcode": "ZZ1 1AA"})
    assert created.status_code == 201
    body = client.get(f"/api/v1/families/{created.json()['id']}/").json()
    assert (body["name"], body["postcode"], body["members"], body["addresses"][0]["address"]) == ("Stone household", "ZZ1 1AA", [], "Flat 3")


def test_the_api_adds_a_child_and_ends_a_membership(world, client_for):
    client = client_for(world.users["lead_manager"])
    family_id = world.case.child.family_id
    brother = make_case(world.health, child=make_child("Leo")).child
    added = _post(client, f"/api/v1/families/{family_id}/members/", {"child": brother.pk, "reason": "Moved in"})
    assert added.status_code == 201
    assert {member["child"]["id"] for member in added.json()["members"]} == {world.case.child_id, brother.pk}
    member = HouseholdMember.objects.get(child=brother, family_id=family_id)
    removed = client.generic(
        "DELETE", f"/api/v1/families/{family_id}/members/{member.pk}/", json.dumps({"reason": "Back with his dad"}), content_type="application/json"
    )
    assert removed.status_code == 200
    assert [m["child"]["id"] for m in removed.json()["members"]] == [world.case.child_id]


def test_the_api_adds_an_adult_with_their_relationship(world, client_for):
    from households.services import adult_add

    partner = adult_add(actor=None, family=world.case.child.family, given_name="Sam", family_name="Jones")
    member = HouseholdMember.objects.get(adult=partner)
    client = client_for(world.users["lead_manager"])
    client.generic("DELETE", f"/api/v1/families/{member.family_id}/members/{member.pk}/", json.dumps({"reason": "Moved out"}), content_type="application/json")
    again = _post(client, f"/api/v1/families/{member.family_id}/members/", {"adult": partner.pk, "relationship": "partner", "reason": "Moved back in"})
    assert again.status_code == 201
    assert [(m["adult"]["id"], m["relationship"]) for m in again.json()["members"] if m["adult"]] == [(partner.pk, "partner")]


def test_a_child_the_caller_cannot_see_is_404_and_audited(world, client_for):
    hidden = make_case(world.police).child
    client = client_for(world.users["lead_manager"])
    before = AccessEvent.objects.count()
    response = _post(client, f"/api/v1/families/{world.case.child.family_id}/members/", {"child": hidden.pk, "reason": "Lives here"})
    assert response.status_code == 404 and AccessEvent.objects.count() == before + 1


def test_a_household_whose_children_the_caller_cannot_see_is_404(world, client_for):
    hidden = make_case(world.police).child
    assert client_for(world.users["partner_practitioner"]).get(f"/api/v1/families/{hidden.family_id}/").status_code == 404


def test_the_household_page_shows_members_addresses_and_who_left(world, client_for):
    member = HouseholdMember.objects.get(child=world.case.child, left_on__isnull=True)
    family = member.family
    household_move(actor=world.users["lead_practitioner"], family=family, address="4 Sample Close", postcode="ZZ2 2BB", moved_on=date(2026, 11, 1))
    page = client_for(world.users["lead_practitioner"]).get(f"/cases/families/{family.pk}/").content.decode()
    assert "Household " + str(family.pk) in page and "Address history" in page and "4 Sample Close" in page
    assert f"/cases/families/{family.pk}/members/{member.pk}/remove/" in page
    partner_page = client_for(world.users["partner_practitioner"]).get(f"/cases/families/{family.pk}/").content.decode()
    assert "/members/add/" not in partner_page  # the school reads the household, it does not change it
