"""The case-work API: same rules as the pages, 400 with field errors, 404 for what is not visible."""

import json

from django.urls import reverse

from audit.models import AccessEvent
from cases.models import Child, Concern, TeamMembership
from cases.services import CONCERN_FOR_THE_LEAD

CONCERN = {
    "observed_on": "2026-11-20",
    "neglect_types": ["supervision"],
    "description": "Left alone at home overnight",
    "impact_on_child": "Frightened, tired at school",
    "sharing_reason": "The team needs to know she is left alone",
    "lawful_basis": "public_task",
    "sharing_condition": "safeguarding",
    "family_informed": "yes",
}


def _post(client, name, data):
    return client.post(reverse(name), json.dumps(data), content_type="application/json")


def test_create_a_child_opens_a_case_the_caller_can_see(world, client_for):
    client = client_for(world.users["partner_practitioner"])
    response = _post(client, "api:child-list", {"given_name": "Mia", "family_name": "Stone", "date_of_birth": "2019-04-02", "nhs_number": "943 476 5919"})
    assert response.status_code == 201, response.content
    child_id = response.json()["id"]
    assert client.get(reverse("api:child-detail", args=[child_id])).json()["nhs_number"] == "9434765919"
    assert client.get(reverse("api:case-list"), {"child": child_id}).json()["count"] == 1


def test_invalid_child_answers_400_with_field_errors(world, client_for):
    response = _post(
        client_for(world.users["partner_practitioner"]), "api:child-list", {"given_name": "Mia", "date_of_birth": "not a date", "nhs_number": "1234567890"}
    )
    errors = response.json()
    assert response.status_code == 400
    assert {"family_name", "date_of_birth"} <= set(errors)


def test_a_duplicate_nhs_number_is_answered_like_a_new_one_and_not_copied(world, client_for):
    """Issue 22, finding 4: registering says nothing about who holds a number (tests/cases/test_identifier_oracle.py)."""
    client = client_for(world.users["partner_practitioner"])
    _post(client, "api:child-list", {"given_name": "Mia", "family_name": "Stone", "date_of_birth": "2019-04-02", "nhs_number": "9434765919"})
    response = _post(
        client_for(world.users["outsider"]),
        "api:child-list",
        {"given_name": "X", "family_name": "Y", "date_of_birth": "2019-04-02", "nhs_number": "9434765919"},
    )
    assert response.status_code == 201
    assert "Mia" not in response.content.decode() and "nhs_number" not in response.json()
    assert Child.objects.get(pk=response.json()["id"]).nhs_number == ""
    assert Child.objects.get(given_name="Mia").nhs_number == "9434765919"


def test_concern_about_a_visible_child_by_id(world, client_for):
    response = _post(client_for(world.users["partner_practitioner"]), "api:concern-list", {**CONCERN, "child": world.case.child_id})
    assert response.status_code == 201
    assert response.json()["case"] == world.case.pk and response.json()["neglect_types"] == ["supervision"]


def test_concern_with_an_invisible_child_id_is_404_and_grants_nothing(world, client_for):
    response = _post(client_for(world.users["outsider"]), "api:concern-list", {**CONCERN, "child": world.case.child_id})
    assert response.status_code == 404
    assert not TeamMembership.objects.filter(case=world.case, agency=world.police).exists()
    assert not Concern.objects.exists()


def test_concern_by_identifiers_reaches_the_case_and_answers_with_a_reference_only(world, client_for):
    """Issue 22, finding 4: the answer never says which child or case; the team stays as it was (the lead decides)."""
    child = world.case.child
    identifiers = {"given_name": child.given_name, "family_name": child.family_name, "date_of_birth": child.date_of_birth.isoformat()}
    client = client_for(world.users["outsider"])
    response = _post(client, "api:concern-list", {**CONCERN, "child_identifiers": identifiers})
    assert response.status_code == 201
    assert response.json() == {"reference": Concern.objects.get().pk, "detail": CONCERN_FOR_THE_LEAD}
    assert Concern.objects.get().case == world.case
    assert not TeamMembership.objects.filter(case=world.case, agency=world.police).exists()
    assert client.get(reverse("api:case-detail", args=[world.case.pk])).status_code == 404


def test_concern_validation_errors_are_per_field(world, client_for):
    response = _post(
        client_for(world.users["partner_practitioner"]),
        "api:concern-list",
        {"child": world.case.child_id, "observed_on": "2030-01-01", "neglect_types": ["laziness"], "description": "x", "impact_on_child": ""},
    )
    errors = response.json()
    assert response.status_code == 400
    assert {"neglect_types", "impact_on_child"} <= set(errors)


def test_future_date_is_refused_by_the_service_rule(world, client_for):
    response = _post(
        client_for(world.users["partner_practitioner"]), "api:concern-list", {**CONCERN, "child": world.case.child_id, "observed_on": "2030-01-01"}
    )
    assert response.status_code == 400
    assert response.json()["observed_on"] == ["Date observed must be today or in the past"]


def test_api_reads_are_audited(world, client_for):
    client = client_for(world.users["partner_practitioner"])
    before = AccessEvent.objects.count()
    client.get(reverse("api:case-plans", args=[world.case.pk]))
    assert AccessEvent.objects.count() == before + 1
    assert AccessEvent.objects.first().object_type == "case"
