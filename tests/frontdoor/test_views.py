"""The front door's pages: the queue shows deadlines and late items in red, with filters; the concern form asks in one step."""

from datetime import date

import pytest
import time_machine

from audit.models import AccessEvent
from concerns.services import concern_record
from frontdoor.models import FrontDoorItem, ItemKind
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


def test_the_queue_shows_each_item_with_its_deadline_and_audits_the_children_listed(world, client_for):
    item = FrontDoorItem.objects.get(concern=ask(world))
    page = client_for(world.users["csc_manager"]).get("/front-door/").content.decode()
    assert f"/front-door/items/{item.pk}/" in page and "Wednesday 25 Nov 2026" in page and 'govuk-tag--red">Late' not in page
    assert AccessEvent.objects.filter(object_type="child_listed", child_id=world.case.child_id, detail="front-door queue").exists()


def test_a_late_item_is_red_and_the_late_filter_keeps_it(world, client_for):
    item = FrontDoorItem.objects.get(concern=ask(world))
    with time_machine.travel("2026-11-27 10:00 +0000", tick=False):
        client = client_for(world.users["csc_manager"])
        page = client.get("/front-door/", {"overdue": "1"}).content.decode()
        assert 'govuk-tag govuk-tag--red">Late' in page and "2 working days late" in page
        assert f"/front-door/items/{item.pk}/" not in client.get("/front-door/", {"kind": ItemKind.HOUSEHOLD_CONCERN}).content.decode()


def test_asking_the_front_door_from_the_case_concern_form(world, client_for):
    response = client_for(world.users["partner_practitioner"]).post(
        f"/cases/{world.case.pk}/concerns/new/",
        {
            "observed_on": "2026-11-23",
            "neglect_types": ["physical"],
            "description": "Head lice again",
            "impact_on_child": "Teased",
            "sharing_reason": "To help",
            "lawful_basis": "public_task",
            "sharing_condition": "safeguarding",
            "family_informed": "yes",
            "ask_front_door": "on",
            "support_reason": "",
        },
    )
    assert response.status_code == 200 and "Say what support you are asking the front door for" in response.content.decode()
    assert not FrontDoorItem.objects.exists()


def test_asking_from_the_concern_by_identifiers_form_says_so_whatever_is_found(world, client_for):
    child = world.case.child
    response = client_for(world.users["outsider"]).post(
        "/cases/concerns/new/",
        {
            "given_name": child.given_name,
            "family_name": child.family_name,
            "date_of_birth": child.date_of_birth.isoformat(),
            "observed_on": "2026-11-23",
            "neglect_types": ["physical"],
            "description": "Seen hungry",
            "impact_on_child": "Hungry",
            "sharing_reason": "To help",
            "lawful_basis": "public_task",
            "sharing_condition": "safeguarding",
            "family_informed": "yes",
            "ask_front_door": "on",
            "support_reason": "Police call-out to the home",
        },
        follow=True,
    )
    banner = " ".join(str(message) for message in response.context["messages"])
    assert "You asked the front door for support" in banner and child.family_name not in banner
    assert FrontDoorItem.objects.get(kind=ItemKind.REQUEST_FOR_SUPPORT).case == world.case
