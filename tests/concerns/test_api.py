"""The concern API: same rules as the pages, 400 with field errors, 404 for what is not visible."""

import json

from django.urls import reverse

from cases.models import TeamMembership
from concerns.models import Concern
from concerns.services import CONCERN_FOR_THE_LEAD

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
