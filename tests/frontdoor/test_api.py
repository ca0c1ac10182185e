"""The front door in the API: the queue with its filters, and a decision (issue 14)."""

import json
from datetime import date

import pytest
import time_machine

from concerns.services import concern_record
from frontdoor.models import FrontDoorItem, ItemStatus
from tests.factories import SHARING

pytestmark = pytest.mark.django_db


def ask(world):
    return concern_record(
        actor=world.users["partner_practitioner"],
        case=world.case,
        observed_on=date(2026, 11, 20),
        neglect_types=["physical"],
        sharing=SHARING,
        description="Head lice.",
        impact_on_child="Itchy.",
        ask_front_door=True,
        support_reason="Family needs help",
    )


def test_the_queue_lists_open_items_with_their_deadline(world, client_for):
    item = FrontDoorItem.objects.get(concern=ask(world))
    body = client_for(world.users["csc_manager"]).get("/api/v1/front-door/items/").json()
    assert [(row["id"], row["kind"], row["due_on"], row["late"], row["case"]) for row in body] == [
        (item.pk, "request_for_support", "2026-11-25", False, world.case.pk)
    ]


def test_overdue_and_kind_filter_the_queue(world, client_for):
    item = FrontDoorItem.objects.get(concern=ask(world))
    client = client_for(world.users["csc_manager"])
    assert client.get("/api/v1/front-door/items/", {"overdue": "1"}).json() == []
    assert client.get("/api/v1/front-door/items/", {"kind": "household_concern"}).json() == []
    with time_machine.travel("2026-11-26 12:00 +0000", tick=False):  # two days on: a new sign-in (sessions time out)
        late = client_for(world.users["csc_manager"]).get("/api/v1/front-door/items/", {"overdue": "1"}).json()
    assert [(row["id"], row["late"]) for row in late] == [(item.pk, True)]


def test_a_decision_through_the_api(world, client_for):
    item = FrontDoorItem.objects.get(concern=ask(world))
    response = client_for(world.users["csc_manager"]).post(
        f"/api/v1/front-door/items/{item.pk}/decision/",
        json.dumps({"outcome": "cin_assessment", "threshold": "specialist", "reasons": "Long-standing neglect, head lice for a year"}),
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["decision"]["outcome"] == "cin_assessment"
    assert FrontDoorItem.objects.get(pk=item.pk).status == ItemStatus.DECIDED
    decided = client_for(world.users["csc_manager"]).get("/api/v1/front-door/items/", {"status": "decided"}).json()
    assert [row["id"] for row in decided] == [item.pk]


def test_a_decision_without_reasons_is_a_400_keyed_by_field(world, client_for):
    item = FrontDoorItem.objects.get(concern=ask(world))
    response = client_for(world.users["csc_manager"]).post(
        f"/api/v1/front-door/items/{item.pk}/decision/",
        json.dumps({"outcome": "early_help", "threshold": "targeted_early_help", "reasons": "EHA"}),
        content_type="application/json",
    )
    assert response.status_code == 400 and "early_help_lead" in response.json()


def test_anyone_else_gets_403_for_the_queue_and_404_for_an_item(world, client_for):
    item = FrontDoorItem.objects.get(concern=ask(world))
    client = client_for(world.users["partner_practitioner"])
    assert client.get("/api/v1/front-door/items/").status_code == 403
    assert client.get(f"/api/v1/front-door/items/{item.pk}/").status_code == 404
