"""The case-work API: same rules as the pages, 400 with field errors, 404 for what is not visible."""

import json

from django.urls import reverse

from audit.models import AccessEvent
from cases.models import Child


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


def test_api_reads_are_audited(world, client_for):
    client = client_for(world.users["partner_practitioner"])
    before = AccessEvent.objects.count()
    client.get(reverse("api:case-plans", args=[world.case.pk]))
    assert AccessEvent.objects.count() == before + 1
    assert AccessEvent.objects.first().object_type == "case"
