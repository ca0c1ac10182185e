"""Field-level access in the API: each relation to a case reads only its fields; forbidden writes are 400 by name.

`world.case` is led by a community health agency (`lead_*`), with a school partner (`partner_*`);
children's social care (`csc_*`) sees every case; `granted` is a police officer with an explicit grant.
"""

import json

import pytest
from django.urls import reverse

from agencies.models import AgencyKind
from cases.models import Child, Ethnicity
from cases.services import team_add
from tests.factories import make_agency, make_user

pytestmark = pytest.mark.django_db

EVERYONE_READS = {"id", "given_name", "family_name", "preferred_name", "date_of_birth", "is_unborn", "age", "is_adolescent", "sex"}
SPECIAL_CATEGORY = {"gender", "ethnicity", "disability"}


@pytest.fixture
def identified_child(world):
    Child.objects.filter(pk=world.case.child_id).update(nhs_number="9434765919", upn="A123456789012", ethnicity=Ethnicity.WBRI)
    return world.case.child


def _child_fields(client_for, world, kind):
    response = client_for(world.users[kind]).get(reverse("api:child-detail", args=[world.case.child_id]))
    assert response.status_code == 200
    return response.json()


@pytest.mark.parametrize(
    ("kind", "extra"),
    [
        ("csc_practitioner", {"nhs_number", "upn"} | SPECIAL_CATEGORY),  # statutory: everything
        ("lead_practitioner", {"nhs_number", "upn"} | SPECIAL_CATEGORY),  # the lead agency: everything
        ("partner_practitioner", {"upn"}),  # a school partner: the pupil number, nothing special category
        ("granted", set()),  # police with an explicit grant: identity only
    ],
)
def test_each_relation_reads_only_its_child_fields(world, client_for, identified_child, kind, extra):
    assert set(_child_fields(client_for, world, kind)) == EVERYONE_READS | extra


def test_a_health_partner_reads_the_nhs_number_but_not_the_upn(world, client_for, identified_child):
    gp = make_agency(AgencyKind.GP_ICB, name="Riverside Surgery")
    world.users["gp"] = make_user(gp, username="gp")
    team_add(case=world.case, agency=gp, reason="Registered GP")
    fields = _child_fields(client_for, world, "gp")
    assert fields["nhs_number"] == "9434765919" and "upn" not in fields and "ethnicity" not in fields


def test_the_case_page_shows_the_nhs_number_only_to_those_the_policy_allows(world, client_for, identified_child):
    url = reverse("cases:case_detail", args=[world.case.pk])
    assert "9434765919" in client_for(world.users["lead_practitioner"]).get(url).content.decode()
    assert "9434765919" not in client_for(world.users["partner_practitioner"]).get(url).content.decode()


# --- Writes ------------------------------------------------------------------------------------------


def _post(client, name, data):
    return client.post(reverse(name), json.dumps(data), content_type="application/json")


CONCERN = {
    "observed_on": "2026-11-20",
    "neglect_types": ["supervision"],
    "description": "Left alone",
    "impact_on_child": "Frightened",
    "sharing_reason": "Team needs to know",
    "lawful_basis": "public_task",
    "sharing_condition": "safeguarding",
    "family_informed": "yes",
}


@pytest.mark.parametrize(
    ("field", "message"),
    [("agency", "You may not write this field."), ("is_adolescent_concern", "You may not write this field."), ("recorded_by", "Unknown field.")],
)
def test_writing_a_field_nobody_writes_is_refused_by_name_not_ignored(world, client_for, field, message):
    data = {**CONCERN, "child": world.case.child_id, field: 1}
    response = _post(client_for(world.users["partner_practitioner"]), "api:concern-list", data)
    assert response.status_code == 400
    assert response.json() == {field: [message]}


def test_creating_a_child_with_a_derived_field_is_refused_by_name(world, client_for):
    data = {"given_name": "Mia", "family_name": "Stone", "date_of_birth": "2019-04-02", "age": 3}
    response = _post(client_for(world.users["partner_practitioner"]), "api:child-list", data)
    assert response.status_code == 400 and response.json() == {"age": ["You may not write this field."]}
