"""Stepping the level of need up and down: the decision, the case, the chronology, who is told, where the case goes."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction

from agencies.access import LEVEL_OF_NEED_REFUSED, LEVEL_OF_NEED_STATUTORY_REFUSED
from audit.models import AccessEvent, AuditAction
from cases.models import Case, Threshold
from chronologies.models import ChronologyEntry, EntryKind, Significance
from frontdoor.models import FrontDoorItem
from need.models import LevelOfNeedDecision
from need.services import level_of_need_change
from neglect_portal.records import ImmutableRecordError
from notifications.models import Notification
from tests.factories import make_case

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 24)


def change(world, user="lead_manager", to_level=Threshold.UNIVERSAL_PLUS, case=None, **kwargs):
    details = {"reasons": "Attendance is back to 97% and home conditions are good", "review_on": TODAY + timedelta(days=42)}
    details.update(kwargs)
    return level_of_need_change(actor=world.users[user], case=case or world.case, to_level=to_level, **details)


def test_a_step_down_is_recorded_and_changes_the_case(world):
    decision = change(world)
    assert (decision.from_level, decision.to_level, decision.decided_by, decision.decided_on) == (
        Threshold.TARGETED_EARLY_HELP,
        Threshold.UNIVERSAL_PLUS,
        world.users["lead_manager"],
        TODAY,
    )
    assert Case.objects.get(pk=world.case.pk).threshold == Threshold.UNIVERSAL_PLUS


def test_a_step_down_needs_a_review_date_and_reasons(world):
    with pytest.raises(ValidationError) as error:
        change(world, reasons=" ", review_on=None)
    assert error.value.message_dict == {"reasons": ["Give the reasons for the decision"], "review_on": ["Enter the date the step down will be reviewed"]}
    assert not LevelOfNeedDecision.objects.exists()


def test_a_step_up_needs_no_review_date(world):
    decision = change(world, to_level=Threshold.UNIVERSAL_PLUS)
    decision = change(world, to_level=Threshold.TARGETED_EARLY_HELP, review_on=None)
    assert decision.review_on is None


def test_the_same_level_is_not_a_change(world):
    with pytest.raises(ValidationError) as error:
        change(world, to_level=Threshold.TARGETED_EARLY_HELP)
    assert error.value.message_dict["to_level"] == ["The case is already at this level: choose a different level"]


def test_the_review_date_must_be_after_today(world):
    with pytest.raises(ValidationError) as error:
        change(world, review_on=TODAY)
    assert error.value.message_dict["review_on"] == ["The review date must be after today"]


def test_an_early_help_lead_becomes_the_lead_professional_and_is_told(world):
    lead = world.users["partner_practitioner"]
    decision = change(world, early_help_lead=lead)
    case = Case.objects.get(pk=world.case.pk)
    assert (case.lead_professional, case.lead_agency) == (lead, world.school)
    assert "the early-help lead, " in decision.told[0]
    assert Notification.objects.filter(recipient=lead, subject=f"You are now lead professional for case {case.pk}").exists()


def test_an_early_help_lead_who_may_not_lead_is_refused_on_the_field(world):
    with pytest.raises(ValidationError) as error:
        change(world, early_help_lead=world.users["strategy"])
    assert list(error.value.message_dict) == ["early_help_lead"]
    assert Case.objects.get(pk=world.case.pk).threshold == Threshold.TARGETED_EARLY_HELP


def test_an_early_help_lead_only_on_a_step_down(world):
    with pytest.raises(ValidationError) as error:
        change(world, user="csc_manager", to_level=Threshold.SPECIALIST, early_help_lead=world.users["partner_practitioner"])
    assert error.value.message_dict["early_help_lead"] == ["Name an early-help lead only when stepping the level down"]


def test_the_decision_is_on_the_chronology_with_its_reasons(world):
    decision = change(world, early_help_lead=world.users["partner_practitioner"])
    entry = ChronologyEntry.objects.get(kind=EntryKind.LEVEL_OF_NEED)
    assert (entry.child, entry.source_id, entry.agency, entry.author) == (world.case.child, decision.pk, world.health, world.users["lead_manager"])
    assert entry.summary == (
        "Level of need stepped down from Targeted Early Help to Universal Plus. Reasons: Attendance is back to 97% and home conditions are good"
    )
    assert "Early-help lead: " in entry.action_taken and "Review by 5 January 2027." in entry.action_taken
    assert entry.significance == Significance.ROUTINE


def test_the_team_is_told_without_the_child_in_the_message(world):
    change(world)
    told = Notification.objects.filter(subject=f"Level of need stepped down on case {world.case.pk}")
    # The lead professional and the team agencies' managers and DSLs; not the person who decided.
    assert set(told.values_list("recipient__username", flat=True)) == {"lead_practitioner", "partner_dsl"}
    assert str(world.case.child) not in told.first().body


def test_one_audit_row_for_the_decision(world):
    before = set(AccessEvent.objects.values_list("pk", flat=True))
    decision = change(world)
    rows = AccessEvent.objects.exclude(pk__in=before)
    assert [(row.action, row.object_type, row.object_id) for row in rows] == [(AuditAction.CREATE, "level_of_need_decision", str(decision.pk))]


# --- Step up to specialist/statutory: children's social care takes the case ------------------------------


def test_a_step_up_to_specialist_with_nobody_from_csc_goes_to_the_front_door(world):
    decision = change(world, user="csc_manager", to_level=Threshold.SPECIALIST, reasons="Section 47 threshold met", review_on=None)
    item = FrontDoorItem.objects.get(case=world.case)
    assert item.kind == "request_for_support"
    assert item.detail.startswith("Level of need stepped up to Specialist / Statutory by ")
    assert "Reasons: Section 47 threshold met" in item.detail
    assert any("front door" in told for told in decision.told)
    assert ChronologyEntry.objects.get(kind=EntryKind.LEVEL_OF_NEED).significance == Significance.SIGNIFICANT


def test_a_step_up_of_a_case_csc_leads_asks_its_lead_to_allocate(world):
    csc_case = make_case(world.csc, team=[world.school], lead_professional=world.users["csc_practitioner"])
    change(world, user="csc_manager", case=csc_case, to_level=Threshold.SPECIALIST, review_on=None)
    assert not FrontDoorItem.objects.filter(case=csc_case).exists()
    assert Notification.objects.filter(
        recipient=world.users["csc_practitioner"], subject=f"Case {csc_case.pk} stepped up to Specialist / Statutory: allocate"
    ).exists()


def test_a_step_up_of_a_csc_case_nobody_leads_asks_its_managers(world):
    from tests.factories import make_user

    other_manager = make_user(world.csc, "manager", "csc_manager_2")
    csc_case = make_case(world.csc)
    change(world, user="csc_manager", case=csc_case, to_level=Threshold.SPECIALIST, review_on=None)
    assert Notification.objects.filter(recipient=other_manager, subject__endswith=": allocate").exists()


# --- Who may decide -----------------------------------------------------------------------------------


@pytest.mark.parametrize("user", ["partner_dsl", "lead_practitioner", "csc_practitioner"])
def test_others_are_refused_with_the_reason_and_one_audit_row(world, user):
    before = AccessEvent.objects.count()
    with pytest.raises(PermissionDenied, match="change the level of need"):
        change(world, user=user)
    assert AccessEvent.objects.count() == before + 1
    assert AccessEvent.objects.latest("pk").action == AuditAction.DENIED
    assert not LevelOfNeedDecision.objects.exists()


def test_only_csc_steps_up_to_specialist(world):
    with pytest.raises(PermissionDenied) as error:
        change(world, to_level=Threshold.SPECIALIST, review_on=None)
    assert str(error.value) == LEVEL_OF_NEED_STATUTORY_REFUSED
    assert Case.objects.get(pk=world.case.pk).threshold == Threshold.TARGETED_EARLY_HELP


def test_only_csc_steps_down_from_specialist(world):
    statutory = make_case(world.health, team=[world.school], threshold=Threshold.SPECIALIST)
    with pytest.raises(PermissionDenied) as error:
        change(world, case=statutory)
    assert str(error.value) == LEVEL_OF_NEED_REFUSED
    decision = change(world, user="csc_manager", case=statutory)
    assert decision.to_level == Threshold.UNIVERSAL_PLUS


def test_a_stale_decision_does_not_overwrite_a_newer_one(world):
    stale = Case.objects.get(pk=world.case.pk)
    change(world)
    with pytest.raises(ValidationError, match="changed by someone else"):
        level_of_need_change(
            actor=world.users["csc_manager"], case=stale, to_level=Threshold.UNIVERSAL, reasons="Universal only", review_on=TODAY + timedelta(days=9)
        )
    assert LevelOfNeedDecision.objects.count() == 1


# --- Recorded once -------------------------------------------------------------------------------------


def test_a_decision_cannot_be_changed_or_deleted_through_the_models(world):
    decision = change(world)
    decision.reasons = "Rewritten"
    with pytest.raises(ImmutableRecordError):
        decision.save()
    with pytest.raises(ImmutableRecordError):
        decision.delete()
    with pytest.raises(ImmutableRecordError):
        LevelOfNeedDecision.objects.filter(pk=decision.pk).update(reasons="Rewritten")
    with pytest.raises(ImmutableRecordError):
        LevelOfNeedDecision.objects.filter(pk=decision.pk).delete()


@pytest.mark.parametrize("statement", ["UPDATE need_levelofneeddecision SET reasons = 'Rewritten'", "DELETE FROM need_levelofneeddecision"])
def test_the_database_refuses_update_and_delete(world, statement):
    change(world)
    with pytest.raises(Exception, match="recorded once"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert LevelOfNeedDecision.objects.get().reasons.startswith("Attendance")
