"""The field policy of plan actions (cases/field_policy.py): the owner agency reports progress, only the lead changes what the action is."""

import json

import pytest
from django.urls import reverse

from plans.models import PlanAction
from tests.factories import make_action, make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def school_action(world):
    return make_action(make_plan(world.case), owner_agency=world.school)


def _patch(client, world, action, data):
    url = reverse("api:case-action", kwargs={"pk": world.case.pk, "action_id": action.pk})
    return client.patch(url, json.dumps(data), content_type="application/json")


@pytest.mark.parametrize("field, value", [("due_on", "2027-01-31"), ("what", "Something else"), ("outcome_for_child", "Other"), ("owner_agency", 1)])
def test_the_owner_agency_may_not_rewrite_what_the_action_is(world, client_for, school_action, field, value):
    response = _patch(client_for(world.users["partner_practitioner"]), world, school_action, {"version": 1, field: value})
    assert response.status_code == 400
    assert field in response.json()
    assert PlanAction.objects.get().version == 1


def test_the_lead_may_change_the_due_date(world, client_for, school_action):
    response = _patch(client_for(world.users["lead_practitioner"]), world, school_action, {"version": 1, "due_on": "2027-01-31"})
    assert response.status_code == 200 and response.json()["due_on"] == "2027-01-31"


def test_the_owner_reports_progress(world, client_for, school_action):
    response = _patch(client_for(world.users["partner_dsl"]), world, school_action, {"version": 1, "status": "done", "evidence": "Eats breakfast daily"})
    assert response.status_code == 200 and response.json()["status"] == "done"


def test_done_without_evidence_is_400_on_the_evidence_field(world, client_for, school_action):
    response = _patch(client_for(world.users["partner_dsl"]), world, school_action, {"version": 1, "status": "done"})
    assert response.status_code == 400 and "evidence" in response.json()
