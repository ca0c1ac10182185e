"""The drift API: one case's flags through access_case, and the manager queue, each read audited once."""

from datetime import date

import pytest
from django.urls import reverse

from audit.models import AccessEvent
from tests.factories import make_plan

pytestmark = pytest.mark.django_db


def _events_after(before):
    return [(e.action, e.object_type) for e in AccessEvent.objects.order_by("pk")[before:]]


def test_case_flags_say_why_and_since_when_and_the_read_is_audited_once(world, client_for):
    make_plan(world.case, started_on=date(2025, 10, 4))
    client = client_for(world.users["partner_practitioner"])
    before = AccessEvent.objects.count()
    response = client.get(reverse("api:case-flags", kwargs={"pk": world.case.pk}))
    assert response.status_code == 200
    plan_flag = next(item for item in response.json() if item["code"] == "cp_plan_duration")
    assert plan_flag["severity"] == "red" and plan_flag["since"] == "2026-10-04" and plan_flag["acknowledgement"] is None
    assert plan_flag["reason"] == "Child protection plan for neglect open 13 months (since 4 Oct 2025)"
    assert plan_flag["evidence"][0]["url"] == f"/cases/{world.case.pk}/#plans"
    assert _events_after(before) == [("view", "case")]


def test_case_flags_of_a_case_not_visible_answer_404_and_the_denial_is_audited(world, client_for):
    client = client_for(world.users["outsider"])
    before = AccessEvent.objects.count()
    response = client.get(reverse("api:case-flags", kwargs={"pk": world.case.pk}))
    assert response.status_code == 404
    assert _events_after(before) == [("denied", "case")]


def test_queue_lists_flagged_cases_with_counts_and_is_audited_once(world, client_for):
    make_plan(world.case, started_on=date(2025, 10, 4))
    client = client_for(world.users["lead_manager"])
    before = AccessEvent.objects.count()
    response = client.get(reverse("api:drift-queue"), {"rule": "cp_plan_duration"})
    body = response.json()
    assert body["counts"]["cp_plan_duration"] == 1
    assert [row["case_id"] for row in body["cases"]] == [world.case.pk]
    assert body["cases"][0]["lead_agency"] == "Community Health Trust"
    # The queue's read, then one row per child it listed (issue 22: "who looked at this child" includes lists).
    assert _events_after(before) == [("view", "drift_queue"), ("view", "child_listed")]
    assert AccessEvent.objects.get(object_type="child_listed").child_id == world.case.child_id


def test_queue_refuses_a_practitioner_and_audits_the_denial(world, client_for):
    client = client_for(world.users["lead_practitioner"])
    before = AccessEvent.objects.count()
    response = client.get(reverse("api:drift-queue"))
    assert response.status_code == 403
    assert _events_after(before) == [("denied", "page")]
