"""Requests for support, concerns nobody leads, decisions that go back to the referrer (issue 14)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from agencies.models import Membership
from chronologies.models import ChronologyEntry, EntryKind, SourceType
from concerns.services import concern_confirmation, concern_record
from frontdoor.models import FrontDoorItem, ItemKind, ItemStatus
from frontdoor.services import front_door_decide, front_door_team_set
from notifications.models import Notification
from tests.factories import SHARING, make_case

pytestmark = pytest.mark.django_db

CONCERN = {
    "observed_on": date(2026, 11, 20),
    "neglect_types": ["physical"],
    "sharing": SHARING,
    "description": "Head lice again.",
    "impact_on_child": "Teased in class.",
}


def ask(world, user="partner_practitioner", case=None, **more):
    return concern_record(
        actor=world.users[user], case=case or world.case, ask_front_door=True, support_reason="More help than school can give", **{**CONCERN, **more}
    )


def test_a_request_for_support_from_the_concern_form_is_an_item_due_the_next_working_day(world):
    concern = ask(world)
    item = FrontDoorItem.objects.get(concern=concern)
    assert (item.kind, item.case, item.referred_by, item.referring_agency) == (
        ItemKind.REQUEST_FOR_SUPPORT,
        world.case,
        world.users["partner_practitioner"],
        world.school,
    )
    assert (item.received_on, item.due_on, item.detail) == (date(2026, 11, 24), date(2026, 11, 25), "More help than school can give")


def test_the_confirmation_says_truthfully_who_was_told(world):
    concern = ask(world)
    assert concern_confirmation(concern) == (
        "Concern recorded. Told: the lead professional, Leah Lead; children's social care's front door (csc_manager), deciding by 25 November 2026."
    )


def test_asking_needs_a_reason(world):
    with pytest.raises(ValidationError) as error:
        concern_record(actor=world.users["partner_practitioner"], case=world.case, ask_front_door=True, support_reason=" ", **CONCERN)
    assert error.value.message_dict["support_reason"] == ["Say what support you are asking the front door for"]


def test_a_concern_on_a_case_with_no_lead_professional_reaches_the_lead_agencys_managers_and_the_front_door(world):
    case = make_case(world.health, team=[world.school])
    concern = concern_record(actor=world.users["partner_practitioner"], case=case, **CONCERN)
    assert Notification.objects.filter(recipient=world.users["lead_manager"], subject=f"New concern on case {case.pk}").exists()
    assert FrontDoorItem.objects.get(case=case).kind == ItemKind.NO_LEAD_CONCERN
    assert concern.delivered_to == [
        "Community Health Trust's managers and designated safeguarding leads (lead_manager)",
        "children's social care's front door (csc_manager), deciding by 25 November 2026",
    ]


def test_a_second_concern_nobody_leads_joins_the_item_already_waiting(world):
    case = make_case(world.health, team=[world.school])
    concern_record(actor=world.users["partner_practitioner"], case=case, **CONCERN)
    second = concern_record(actor=world.users["partner_practitioner"], case=case, **CONCERN)
    assert FrontDoorItem.objects.filter(case=case, kind=ItemKind.NO_LEAD_CONCERN).count() == 1
    assert second.delivered_to[-1] == "children's social care's front door (already deciding about this case, by 25 November 2026)"


def test_the_front_door_team_is_told_rather_than_every_manager(world):
    front_door_team_set(actor=world.users["admin"], members=[world.users["csc_practitioner"]])
    concern = ask(world)
    item = FrontDoorItem.objects.get(concern=concern)
    assert Notification.objects.filter(recipient=world.users["csc_practitioner"], link=f"/front-door/items/{item.pk}/").exists()
    assert not Notification.objects.filter(recipient=world.users["csc_manager"], link=f"/front-door/items/{item.pk}/").exists()
    assert Membership.objects.get(user=world.users["csc_practitioner"]).front_door


def test_a_decision_goes_back_to_the_referrer_and_onto_the_chronology(world):
    item = FrontDoorItem.objects.get(concern=ask(world))
    decision = front_door_decide(
        actor=world.users["csc_manager"],
        item=item,
        outcome="universal_services",
        threshold="universal_plus",
        reasons="The school nurse and the family hub can help.",
    )
    item.refresh_from_db()
    assert item.status == ItemStatus.DECIDED
    told = Notification.objects.get(recipient=world.users["partner_practitioner"], subject="Front door decision on your request for support")
    assert "Universal services, level of need Universal Plus. Reasons: The school nurse and the family hub can help." in told.body
    entry = ChronologyEntry.objects.get(source_type=SourceType.FRONT_DOOR_DECISION, source_id=decision.pk)
    assert (entry.child, entry.kind, entry.agency) == (world.case.child, EntryKind.FRONT_DOOR_DECISION, world.csc)
    assert entry.summary == "Front door decision: Universal services (level of need: Universal Plus)."


def test_early_help_names_its_lead_who_becomes_lead_professional_of_a_case_nobody_leads(world):
    case = make_case(world.health, team=[world.school])
    item = FrontDoorItem.objects.get(concern=ask(world, case=case), kind=ItemKind.REQUEST_FOR_SUPPORT)
    front_door_decide(
        actor=world.users["csc_manager"],
        item=item,
        outcome="early_help",
        threshold="targeted_early_help",
        reasons="Early help assessment for the family",
        early_help_lead=world.users["partner_dsl"],
    )
    case.refresh_from_db()
    assert (case.lead_professional, case.lead_agency) == (world.users["partner_dsl"], world.school)
    assert Notification.objects.filter(recipient=world.users["partner_dsl"], subject__startswith="You are the early help lead").exists()


def test_early_help_without_a_lead_is_refused(world):
    item = FrontDoorItem.objects.get(concern=ask(world))
    with pytest.raises(ValidationError) as error:
        front_door_decide(actor=world.users["csc_manager"], item=item, outcome="early_help", threshold="targeted_early_help", reasons="EHA")
    assert "early_help_lead" in error.value.message_dict


def test_only_the_front_door_decides(world):
    item = FrontDoorItem.objects.get(concern=ask(world))
    for kind in ("csc_practitioner", "lead_manager"):
        with pytest.raises(PermissionDenied):
            front_door_decide(actor=world.users[kind], item=item, outcome="advice_only", threshold="universal", reasons="Advice given")


def test_an_item_is_decided_once(world):
    item = FrontDoorItem.objects.get(concern=ask(world))
    front_door_decide(actor=world.users["csc_manager"], item=item, outcome="advice_only", threshold="universal", reasons="Advice given")
    with pytest.raises(ValidationError):
        front_door_decide(actor=world.users["csc_manager"], item=item, outcome="advice_only", threshold="universal", reasons="Again")
