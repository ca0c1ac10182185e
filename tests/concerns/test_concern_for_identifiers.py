"""Recording a concern about a child found by exact identifiers: the security-relevant front door.

`world.case` is about a child the police (`outsider`) cannot see; the school (`partner_*`) can.
The answer is the same whatever the register holds (issue 22, finding 4; tests/cases/test_identifier_oracle.py):
the concern reaches the child's lead, or children's social care's front door, and the recorder's
agency joins a team only when it already sees the case.
"""

from dataclasses import asdict
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from agencies.access import cases_visible_to
from audit.models import AccessEvent, AuditAction
from cases.models import Case, CaseStatus, Child, TeamMembership, Threshold
from cases.selectors import ChildIdentifiers
from cases.services import case_close
from concerns.models import Concern
from concerns.services import concern_record_for_identifiers
from frontdoor.models import FrontDoorItem
from notifications.models import Notification
from sharing.models import SharedItem, SharingDecision
from tests.factories import SHARING, make_case, make_child

from .conftest import TODAY

pytestmark = pytest.mark.django_db

NHS_NUMBER = "9434765919"
CONCERN = {
    "observed_on": date(2026, 11, 23),
    "neglect_types": ["nutritional"],
    "description": "Took food from other children's lunch boxes.",
    "impact_on_child": "Hungry and ashamed.",
    "sharing": SHARING,
}


@pytest.fixture
def known_child(world):
    """The world's child, given an NHS number (the world builds it without one)."""
    Child.objects.filter(pk=world.case.child_id).update(nhs_number=NHS_NUMBER)
    world.case.child.refresh_from_db()
    return world.case.child


def by_name(child, **changes):
    fields = {"given_name": child.given_name, "family_name": child.family_name, "date_of_birth": child.date_of_birth}
    return ChildIdentifiers(**{**fields, **changes})


def record(actor, identifiers):
    return concern_record_for_identifiers(actor=actor, identifiers=identifiers, **CONCERN)


def case_of(recorded):
    """Where the concern went: the recorder is not told, the test looks."""
    return Concern.objects.select_related("case").get(pk=recorded.concern_id).case


def test_a_visible_child_found_by_nhs_number_gets_the_concern_on_their_open_case(world, known_child):
    recorded = record(world.users["partner_practitioner"], by_name(known_child, nhs_number="943 476 5919"))
    assert case_of(recorded) == world.case
    assert Concern.objects.get(pk=recorded.concern_id).child == known_child


def test_an_nhs_number_alone_is_not_enough_whoever_holds_it(world, known_child):
    for number in (NHS_NUMBER, "4010232137"):
        with pytest.raises(ValidationError) as error:
            record(world.users["partner_practitioner"], ChildIdentifiers(nhs_number=number))
        assert set(error.value.message_dict) == {"given_name", "family_name", "date_of_birth"}
    assert not Concern.objects.exists()


def test_a_hidden_child_found_by_name_and_birth_date_gets_the_concern_and_the_team_stays_as_it_was(world, known_child):
    officer = world.users["outsider"]
    assert not cases_visible_to(officer).filter(pk=world.case.pk).exists()
    recorded = record(officer, by_name(known_child))
    assert case_of(recorded) == world.case
    assert not TeamMembership.objects.filter(case=world.case, agency=world.police).exists()
    assert not cases_visible_to(officer).filter(pk=world.case.pk).exists()
    assert not SharingDecision.objects.filter(shared_item=SharedItem.CASE_RECORD, shared_with=world.police).exists()


def test_the_lead_professional_is_told_when_a_hidden_child_gets_a_concern(world, known_child):
    record(world.users["outsider"], by_name(known_child))
    assert Notification.objects.filter(recipient=world.users["lead_practitioner"], link=f"/cases/{world.case.pk}/").exists()


def test_the_recorder_learns_only_a_reference_for_the_concern(world, known_child):
    recorded = record(world.users["outsider"], by_name(known_child))
    assert set(asdict(recorded)) == {"concern_id"}


def test_a_child_found_by_unique_pupil_number_gets_the_concern(world):
    pupil = make_child(upn="B801200005001")
    case = make_case(world.csc, child=pupil)
    assert case_of(record(world.users["outsider"], by_name(pupil, upn="b801 2000 05001"))) == case


def test_a_child_whose_nhs_number_is_not_on_record_is_found_by_name_and_birth_date(world):
    child = world.case.child
    assert case_of(record(world.users["outsider"], by_name(child, nhs_number=NHS_NUMBER))) == world.case


def test_names_match_without_regard_to_case_or_surrounding_spaces(world, known_child):
    identifiers = by_name(known_child, given_name=f" {known_child.given_name.upper()} ", family_name=known_child.family_name.lower())
    assert case_of(record(world.users["outsider"], identifiers)) == world.case


def test_an_unknown_child_is_recorded_with_a_new_case_led_by_the_front_door(world):
    officer = world.users["outsider"]
    recorded = record(officer, ChildIdentifiers(given_name="Mia", family_name="Stone", date_of_birth=date(2019, 4, 2), nhs_number=NHS_NUMBER))
    case = case_of(recorded)
    assert (case.child.given_name, case.child.nhs_number) == ("Mia", NHS_NUMBER)
    assert (case.lead_agency, case.threshold, case.opened_on, case.lead_professional) == (world.csc, Threshold.UNIVERSAL_PLUS, TODAY, None)
    assert not cases_visible_to(officer).filter(pk=case.pk).exists()
    # Issue 14: the duplicate check is a front-door item, and the front door (children's social care's manager) is told of it.
    item = FrontDoorItem.objects.get(case=case, kind="duplicate_check")
    assert Notification.objects.filter(recipient=world.users["csc_manager"], link=f"/front-door/items/{item.pk}/").exists()


def test_a_known_child_without_an_open_case_gets_a_new_case_led_by_their_last_lead_agency(world, known_child):
    case_close(actor=world.users["lead_manager"], case=world.case, closed_on=TODAY, closure_reason="Needs met")
    officer = world.users["outsider"]
    case = case_of(record(officer, by_name(known_child, nhs_number=NHS_NUMBER)))
    assert case.pk != world.case.pk and case.lead_agency == world.health
    assert Case.objects.filter(child=known_child, status=CaseStatus.OPEN).get().pk == case.pk
    assert not cases_visible_to(officer).filter(pk__in=[world.case.pk, case.pk]).exists()


@pytest.fixture
def namesake(world, known_child):
    """Another child with the same name and date of birth."""
    twin = make_child(given_name=known_child.given_name, family_name=known_child.family_name, date_of_birth=known_child.date_of_birth)
    return make_case(world.csc, child=twin).child


def test_an_ambiguous_match_goes_to_the_front_door_on_a_new_record_and_touches_neither_child(world, known_child, namesake):
    case = case_of(record(world.users["outsider"], by_name(known_child)))
    assert case.child_id not in (known_child.pk, namesake.pk) and case.lead_agency == world.csc
    assert not world.case.concerns.exists() and not namesake.cases.get().concerns.exists()
    assert not TeamMembership.objects.filter(agency=world.police).exists()
    item = FrontDoorItem.objects.get(case=case, kind="duplicate_check")
    told = Notification.objects.get(recipient=world.users["csc_manager"], link=f"/front-door/items/{item.pk}/")
    assert "may belong to a child already recorded" in told.body and known_child.family_name not in told.body


def test_an_ambiguous_lookup_is_audited_for_the_auditors(world, known_child, namesake):
    record(world.users["outsider"], by_name(known_child))
    lookup = AccessEvent.objects.get(username="outsider", object_type="child_lookup")
    assert (lookup.action, lookup.child_id, lookup.detail) == (
        AuditAction.VIEW,
        known_child.pk,
        f"concern by identifiers: no clear match (children {known_child.pk}, {namesake.pk})",
    )


def test_the_same_details_with_the_nhs_number_find_the_one_child(world, known_child, namesake):
    assert case_of(record(world.users["outsider"], by_name(known_child, nhs_number=NHS_NUMBER))) == world.case


def test_a_match_contradicted_by_another_identifier_is_recorded_as_a_new_child_without_the_number(world, known_child):
    case = case_of(record(world.users["outsider"], by_name(known_child, given_name="Someone", nhs_number=NHS_NUMBER)))
    assert (case.child.given_name, case.child.nhs_number, case.lead_agency) == ("Someone", "", world.csc)
    assert not world.case.concerns.exists()
    assert not TeamMembership.objects.filter(agency=world.police).exists()


def test_an_invalid_nhs_number_is_refused_on_its_field_before_any_search(world):
    with pytest.raises(ValidationError) as error:
        record(world.users["outsider"], ChildIdentifiers(nhs_number="9434765918"))
    assert error.value.message_dict["nhs_number"] == ["Enter a valid NHS number: the check digit does not match"]


def test_a_new_child_needs_a_name_and_date_of_birth(world):
    with pytest.raises(ValidationError) as error:
        record(world.users["outsider"], ChildIdentifiers(nhs_number=NHS_NUMBER))
    assert set(error.value.message_dict) == {"given_name", "family_name", "date_of_birth"}


def test_nothing_to_identify_the_child_is_refused(world):
    with pytest.raises(ValidationError, match="Enter the child's name and date of birth"):
        record(world.users["outsider"], ChildIdentifiers(given_name="Mia"))


@pytest.mark.parametrize("kind", ["strategy", "admin", "auditor"])
def test_roles_without_case_work_cannot_record_a_concern(world, known_child, kind):
    with pytest.raises(PermissionDenied):
        record(world.users[kind], ChildIdentifiers(nhs_number=NHS_NUMBER))
    assert Concern.objects.count() == 0
