"""Optimistic concurrency of plans and actions: two people editing the same record get a clear conflict, never a lost update."""

import json

import pytest
from django.urls import reverse

from neglect_portal.concurrency import CONFLICT, EditConflict
from plans.models import ActionStatus, PlanAction
from plans.services import plan_action_update, plan_end
from tests.factories import make_action, make_plan

from .conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan_action(world):
    return make_action(make_plan(world.case), owner_agency=world.school)


def _action_url(world, action):
    return reverse("cases:action_update", args=[world.case.pk, action.pk])


def test_each_change_of_an_action_raises_its_version(world, plan_action):
    assert plan_action.version == 1
    updated = plan_action_update(
        actor=world.users["partner_practitioner"], action=plan_action, status=ActionStatus.IN_PROGRESS, evidence="", expected_version=1
    )
    assert updated.version == 2


def test_an_action_update_based_on_a_stale_version_is_refused_and_changes_nothing(world, plan_action):
    plan_action_update(actor=world.users["lead_practitioner"], action=plan_action, status=ActionStatus.IN_PROGRESS, evidence="Started", expected_version=1)
    with pytest.raises(EditConflict) as conflict:
        plan_action_update(actor=world.users["partner_practitioner"], action=plan_action, status=ActionStatus.DROPPED, evidence="", expected_version=1)
    assert conflict.value.current_version == 2
    assert PlanAction.objects.filter(pk=plan_action.pk).values_list("status", "evidence", "version").get() == ("in_progress", "Started", 2)


def test_ending_a_plan_on_a_stale_version_is_refused(world):
    plan = make_plan(world.case)
    with pytest.raises(EditConflict):
        plan_end(actor=world.users["csc_manager"], plan=plan, ended_on=TODAY, end_reason="Done", expected_version=plan.version + 1)
    plan.refresh_from_db()
    assert plan.is_open


def test_the_action_form_carries_the_version_it_was_based_on(world, client_for, plan_action):
    response = client_for(world.users["partner_practitioner"]).get(_action_url(world, plan_action))
    assert '<input type="hidden" name="version" value="1"' in response.content.decode()


def test_a_second_editor_sees_the_conflict_with_their_text_kept_and_the_other_change_shown(world, client_for, plan_action):
    school, lead = client_for(world.users["partner_practitioner"]), client_for(world.users["lead_practitioner"])
    url = _action_url(world, plan_action)
    first = lead.post(url, {"status": "in_progress", "evidence": "Breakfast club booked by the lead", "version": 1})
    assert first.status_code == 302
    second = school.post(url, {"status": "done", "evidence": "He has eaten breakfast every day this week", "version": 1})
    html = second.content.decode()
    assert second.status_code == 200
    assert "govuk-error-summary" in html and "Someone else changed this record while you were editing it." in html
    assert "He has eaten breakfast every day this week" in html  # the user's text is kept
    assert "Breakfast club booked by the lead" in html  # their change is shown
    assert '<input type="hidden" name="version" value="2"' in html
    assert PlanAction.objects.get().evidence == "Breakfast club booked by the lead"
    # Saving again, deliberately, on the new version works.
    third = school.post(url, {"status": "done", "evidence": "He has eaten breakfast every day this week", "version": 2})
    assert third.status_code == 302
    assert PlanAction.objects.get().status == "done"


def test_ending_a_plan_twice_at_once_shows_a_conflict_to_the_second(world, client_for):
    plan = make_plan(world.case)
    url = reverse("cases:plan_end", args=[world.case.pk, plan.pk])
    data = {"ended_on": TODAY.isoformat(), "end_reason": "Outcomes met", "version": plan.version}
    assert client_for(world.users["csc_manager"]).post(url, data).status_code == 302
    response = client_for(world.users["lead_practitioner"]).post(url, {**data, "end_reason": "Child moved away"})
    assert response.status_code == 200
    assert "Someone else changed this record" in response.content.decode() and "Child moved away" in response.content.decode()


def _patch(client, world, action, data):
    url = reverse("api:case-action", kwargs={"pk": world.case.pk, "action_id": action.pk})
    return client.patch(url, json.dumps(data), content_type="application/json")


def test_api_patch_with_the_current_version_answers_the_new_version(world, client_for, plan_action):
    response = _patch(client_for(world.users["partner_practitioner"]), world, plan_action, {"version": 1, "status": "in_progress"})
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["version"]) == ("in_progress", 2)


def test_api_patch_with_a_stale_version_answers_409_with_the_record_as_it_is_now(world, client_for, plan_action):
    _patch(client_for(world.users["lead_practitioner"]), world, plan_action, {"version": 1, "evidence": "Booked"})
    response = _patch(client_for(world.users["partner_practitioner"]), world, plan_action, {"version": 1, "status": "dropped"})
    assert response.status_code == 409
    body = response.json()
    assert body["detail"] == CONFLICT and body["current"]["version"] == 2 and body["current"]["evidence"] == "Booked"
    assert PlanAction.objects.get().status == ActionStatus.NOT_STARTED


def test_api_patch_without_a_version_is_400(world, client_for, plan_action):
    response = _patch(client_for(world.users["partner_practitioner"]), world, plan_action, {"status": "in_progress"})
    assert response.status_code == 400 and "version" in response.json()
