"""Information-sharing decisions: required with every concern, recorded with every team add, never changed."""

import json
from dataclasses import replace
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from audit.models import AccessEvent, AuditAction
from cases.models import ImmutableRecordError
from cases.selectors import ChildIdentifiers
from cases.services import team_add
from concerns.models import Concern
from concerns.services import concern_record, concern_record_for_identifiers
from sharing.models import FamilyInformed, SharedItem, SharingDecision
from tests.factories import SHARING, make_concern

pytestmark = pytest.mark.django_db

CONCERN_FORM = {
    "observed_on": "2026-11-20",
    "neglect_types": ["nutritional"],
    "description": "Came in without a coat, hungry at 9am",
    "impact_on_child": "Cold and unable to concentrate",
}
SHARING_FORM = {
    "sharing_reason": "The team needs to know he is hungry and cold",
    "lawful_basis": "public_task",
    "sharing_condition": "safeguarding",
    "family_informed": "yes",
}
SHARING_ERRORS = {
    "sharing_reason": "Say why you are sharing this information",
    "lawful_basis": "Choose the lawful basis for sharing",
    "sharing_condition": "Choose the condition for sharing special category data",
    "family_informed": "Say whether the family knows this is being shared",
}


def _post_json(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


# --- Recording a concern needs the decision -------------------------------------------------------


def test_a_concern_form_without_the_sharing_decision_is_refused_with_field_errors_and_keeps_the_text(world, client_for):
    response = client_for(world.users["partner_practitioner"]).post(reverse("cases:case_concern_new", args=[world.case.pk]), CONCERN_FORM)
    html = response.content.decode()
    assert response.status_code == 200
    for message in SHARING_ERRORS.values():
        assert message in html
    assert "Came in without a coat, hungry at 9am" in html and 'value="nutritional" checked' in html
    assert not Concern.objects.exists() and not SharingDecision.objects.filter(shared_item=SharedItem.CONCERN).exists()


def test_the_concern_by_identifiers_form_also_needs_the_decision(world, client_for):
    child = world.case.child
    data = {
        **CONCERN_FORM,
        "given_name": child.given_name,
        "family_name": child.family_name,
        "date_of_birth": child.date_of_birth.isoformat(),
        "lawful_basis": "public_task",
    }
    response = client_for(world.users["outsider"]).post(reverse("cases:concern_new"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert SHARING_ERRORS["sharing_reason"] in html and SHARING_ERRORS["lawful_basis"] not in html
    assert 'value="public_task" checked' in html
    assert not Concern.objects.exists()


def test_family_not_told_needs_a_reason_on_the_form(world, client_for):
    data = {**CONCERN_FORM, **SHARING_FORM, "family_informed": "no"}
    response = client_for(world.users["partner_practitioner"]).post(reverse("cases:case_concern_new", args=[world.case.pk]), data)
    assert response.status_code == 200
    assert "Say why the family has not been told" in response.content.decode()
    assert not Concern.objects.exists()


def test_the_api_refuses_a_concern_without_the_decision_with_400_per_field(world, client_for):
    data = {**CONCERN_FORM, "child": world.case.child_id}
    response = _post_json(client_for(world.users["partner_practitioner"]), reverse("api:concern-list"), data)
    assert response.status_code == 400
    errors = response.json()
    assert {field: errors[field] for field in SHARING_ERRORS} == {field: [message] for field, message in SHARING_ERRORS.items()}
    assert not Concern.objects.exists()


def test_the_api_needs_a_reason_when_the_family_was_not_told(world, client_for):
    data = {**CONCERN_FORM, **SHARING_FORM, "family_informed": "no", "child": world.case.child_id}
    response = _post_json(client_for(world.users["partner_practitioner"]), reverse("api:concern-list"), data)
    assert response.status_code == 400
    assert response.json() == {"not_informed_reason": ["Say why the family has not been told"]}


def test_the_service_refuses_a_concern_without_the_decision_and_saves_nothing(world):
    with pytest.raises(ValidationError) as error:
        concern_record(
            actor=world.users["partner_practitioner"],
            case=world.case,
            observed_on=date(2026, 11, 20),
            neglect_types=["physical"],
            description="No coat",
            impact_on_child="Cold",
        )
    assert set(SHARING_ERRORS) <= set(error.value.message_dict)
    assert not Concern.objects.exists()


def test_the_service_reports_sharing_and_concern_errors_together(world):
    with pytest.raises(ValidationError) as error:
        concern_record(
            actor=world.users["partner_practitioner"],
            case=world.case,
            observed_on=date(2026, 11, 20),
            neglect_types=["physical"],
            description="No coat",
            impact_on_child="",
            sharing=replace(SHARING, reason=" "),
        )
    assert {"impact_on_child", "sharing_reason"} <= set(error.value.message_dict)


# --- One decision per concern and per team add ---------------------------------------------------


def test_a_concern_records_one_decision_naming_who_what_with_whom_why_and_the_basis(world, client_for):
    client = client_for(world.users["partner_practitioner"])
    data = {
        **CONCERN_FORM,
        **SHARING_FORM,
        "family_informed": "no",
        "not_informed_reason": "Telling them could put him at risk",
        "agencies_told": [world.police.pk],
    }
    response = client.post(reverse("cases:case_concern_new", args=[world.case.pk]), data)
    assert response.status_code == 302
    concern = Concern.objects.get()
    decision = SharingDecision.objects.get(shared_item=SharedItem.CONCERN)
    assert (decision.concern, decision.shared_item, decision.case, decision.child_id) == (concern, SharedItem.CONCERN, world.case, world.case.child_id)
    assert (decision.decided_by, decision.decided_by_agency) == (world.users["partner_practitioner"], world.school)
    # The team around the child (without the recorder's own agency) and the agencies told.
    assert set(decision.shared_with.all()) == {world.health, world.police}
    assert (decision.reason, decision.lawful_basis, decision.condition) == (SHARING_FORM["sharing_reason"], "public_task", "safeguarding")
    assert (decision.family_informed, decision.not_informed_reason) == (FamilyInformed.NO, "Telling them could put him at risk")


def test_the_decision_is_audited(world):
    make_concern(world.case, world.users["partner_practitioner"])
    decision = SharingDecision.objects.get(shared_item=SharedItem.CONCERN)
    event = AccessEvent.objects.get(object_type="sharing_decision", object_id=str(decision.pk))
    assert (event.action, event.user_id, event.child_id) == (AuditAction.CREATE, world.users["partner_practitioner"].pk, world.case.child_id)


def test_a_concern_that_brings_an_agency_into_the_team_records_the_team_add_too(world):
    """The grantee (a police officer who sees the case through an explicit grant; the police are not in the team).

    A concern by identifiers brings the recorder's agency in only when it already sees the case
    (issue 22, finding 4): otherwise the lead decides (tests/cases/test_concern_for_identifiers.py).
    """
    child = world.case.child
    identifiers = ChildIdentifiers(given_name=child.given_name, family_name=child.family_name, date_of_birth=child.date_of_birth)
    recorded = concern_record_for_identifiers(
        actor=world.users["granted"],
        identifiers=identifiers,
        observed_on=date(2026, 11, 20),
        neglect_types=["physical"],
        description="No coat",
        impact_on_child="Cold",
        sharing=SHARING,
    )
    mine = SharingDecision.objects.filter(decided_by=world.users["granted"])
    decisions = {decision.shared_item: decision for decision in mine}
    assert mine.count() == 2
    joined = decisions[SharedItem.CASE_RECORD]
    assert list(joined.shared_with.all()) == [world.police] and joined.decided_by == world.users["granted"]
    assert joined.lawful_basis == SHARING.lawful_basis and joined.family_informed == SHARING.family_informed
    assert decisions[SharedItem.CONCERN].concern_id == recorded.concern_id
    assert set(decisions[SharedItem.CONCERN].shared_with.all()) == {world.health, world.school}


def test_adding_an_agency_to_the_team_by_a_rule_records_one_decision_and_says_the_family_was_not_asked(world):
    team_add(case=world.case, agency=world.police, reason="Invited to the initial conference", actor=world.users["csc_manager"])
    team_add(case=world.case, agency=world.police, reason="Invited again", actor=world.users["csc_manager"])
    decision = SharingDecision.objects.get(shared_with=world.police)
    assert (decision.shared_item, list(decision.shared_with.all()), decision.reason) == (
        SharedItem.CASE_RECORD,
        [world.police],
        "Invited to the initial conference",
    )
    assert decision.family_informed == FamilyInformed.NOT_RECORDED
    assert decision.decided_by_agency == world.csc


# --- Immutable -------------------------------------------------------------------------------------


def test_a_decision_cannot_be_changed_or_deleted_through_the_model(world):
    make_concern(world.case, world.users["partner_practitioner"])
    decision = SharingDecision.objects.get(shared_item=SharedItem.CONCERN)
    decision.reason = "Rewritten"
    with pytest.raises(ImmutableRecordError):
        decision.save()
    with pytest.raises(ImmutableRecordError):
        decision.delete()
    with pytest.raises(ImmutableRecordError):
        SharingDecision.objects.filter(pk=decision.pk).update(reason="Rewritten")
    with pytest.raises(ImmutableRecordError):
        SharingDecision.objects.filter(pk=decision.pk).delete()
    assert SharingDecision.objects.get(pk=decision.pk).reason == SHARING.reason


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE cases_sharingdecision SET reason = 'Rewritten' WHERE id = %s",
        "DELETE FROM cases_sharingdecision WHERE id = %s",
        "DELETE FROM cases_sharingdecision_shared_with WHERE sharingdecision_id = %s",
        "UPDATE cases_sharingdecision_shared_with SET agency_id = agency_id WHERE sharingdecision_id = %s",
    ],
    ids=["update", "delete", "delete-recipient", "update-recipient"],
)
def test_postgresql_refuses_to_change_a_decision_or_its_recipients_from_any_client(world, statement):
    make_concern(world.case, world.users["partner_practitioner"])
    decision = SharingDecision.objects.get(shared_item=SharedItem.CONCERN)
    with pytest.raises(DatabaseError, match="recorded once"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, [decision.pk])


# --- The disclosure log on the case page -----------------------------------------------------------


def test_the_case_page_lists_the_sharing_decisions_for_the_team(world, client_for):
    make_concern(world.case, world.users["partner_practitioner"], sharing=replace(SHARING, reason="He told me he is hungry every morning"))
    html = client_for(world.users["lead_practitioner"]).get(reverse("cases:case_detail", args=[world.case.pk])).content.decode()
    assert "Sharing decisions" in html
    assert "He told me he is hungry every morning" in html
    assert "Public task – UK GDPR Article 6(1)(e)" in html
    assert "DPA 2018 Schedule 1 paragraph 18" in html


def test_the_api_lists_the_disclosure_log_of_a_visible_case(world, client_for):
    make_concern(world.case, world.users["partner_practitioner"])
    response = client_for(world.users["csc_practitioner"]).get(reverse("api:case-sharing-decisions", kwargs={"pk": world.case.pk}))
    assert response.status_code == 200
    latest = response.json()[0]
    assert (latest["shared_item"], latest["decided_by"], latest["decided_by_agency"], latest["shared_with"]) == (
        "concern",
        "partner_practitioner",
        "Riverside School",
        ["Community Health Trust"],
    )
    assert (latest["lawful_basis"], latest["condition"], latest["family_informed"]) == ("public_task", "safeguarding", "yes")
