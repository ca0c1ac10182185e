"""Issue 15: drift after a step down with no early-help lead; a finalised assessment's child's voice; lead changes on the chronology."""

from datetime import date, timedelta

import pytest

from cases.models import Threshold
from cases.services import case_reassign_lead
from chronologies.models import ChronologyEntry, EntryKind
from need.services import level_of_need_change
from tests.tools.builders import all_grades, draft_run, final_run

from .builders import flag
from .conftest import TODAY

pytestmark = pytest.mark.django_db


def _step_down(world, **kwargs):
    return level_of_need_change(
        actor=world.users["lead_manager"],
        case=world.case,
        to_level=Threshold.UNIVERSAL_PLUS,
        reasons="Attendance and home conditions have improved for three months",
        review_on=TODAY + timedelta(days=42),
        **kwargs,
    )


# --- step_down_no_lead -------------------------------------------------------------------------------


def test_a_step_down_with_no_early_help_lead_is_flagged_after_5_working_days(world):
    _step_down(world)  # Tuesday 24 November 2026: 5 working days on is Tuesday 1 December
    assert flag(world, "step_down_no_lead", today=date(2026, 12, 1)) is None
    found = flag(world, "step_down_no_lead", today=date(2026, 12, 2))
    assert (found.severity, found.since) == ("amber", date(2026, 12, 2))
    assert found.reason.startswith("Level of need stepped down to Universal Plus on 24 Nov 2026 with no early-help lead named")


def test_the_working_days_come_from_settings(world, settings):
    settings.DRIFT_STEP_DOWN_NO_LEAD_WORKING_DAYS = 1
    _step_down(world)
    assert flag(world, "step_down_no_lead", today=date(2026, 11, 26)) is not None


def test_naming_the_early_help_lead_at_the_step_down_answers_it(world):
    _step_down(world, early_help_lead=world.users["partner_practitioner"])
    assert flag(world, "step_down_no_lead", today=date(2026, 12, 10)) is None


def test_naming_a_lead_professional_after_the_step_down_answers_it(world):
    _step_down(world)
    case_reassign_lead(actor=world.users["lead_manager"], case=world.case, lead_professional=world.users["partner_practitioner"], reason="Early help at school")
    assert flag(world, "step_down_no_lead", today=date(2026, 12, 10)) is None


def test_a_later_step_up_replaces_the_step_down(world):
    _step_down(world)
    level_of_need_change(actor=world.users["lead_manager"], case=world.case, to_level=Threshold.TARGETED_EARLY_HELP, reasons="New concerns from school")
    assert flag(world, "step_down_no_lead", today=date(2026, 12, 10)) is None


def test_a_step_up_is_never_flagged(world):
    level_of_need_change(actor=world.users["csc_manager"], case=world.case, to_level=Threshold.SPECIALIST, reasons="Section 47 enquiry")
    assert flag(world, "step_down_no_lead", today=date(2026, 12, 10)) is None


# --- child_not_seen: a finalised assessment recording the child's voice -----------------------------------


def test_a_final_assessment_recording_the_childs_voice_clears_child_not_seen(world):
    assert flag(world, "child_not_seen") is not None
    final_run(world.case, world.users["lead_practitioner"], values=all_grades(3), on=date(2026, 11, 10))
    assert flag(world, "child_not_seen") is None


def test_a_draft_assessment_does_not_count_as_seeing_the_child(world):
    draft_run(world.case, world.users["lead_practitioner"], values=all_grades(3), on=date(2026, 11, 10))
    assert flag(world, "child_not_seen") is not None


def test_an_old_assessment_voice_is_still_too_long_ago(world):
    final_run(world.case, world.users["lead_practitioner"], values=all_grades(3), on=date(2026, 10, 1))
    found = flag(world, "child_not_seen")
    assert found.reason.startswith("No child's voice or home visit recorded since 1 Oct 2026")


# --- the chronology shows lead professional changes ----------------------------------------------------


def test_a_lead_professional_change_is_on_the_chronology_with_its_reason(world):
    case_reassign_lead(actor=world.users["lead_manager"], case=world.case, lead_professional=world.users["lead_manager"], reason="Leah is on long-term leave")
    entry = ChronologyEntry.objects.get(child=world.case.child, kind=EntryKind.LEAD_PROFESSIONAL_CHANGED)
    assert entry.summary.startswith("The family now works with")
    assert "of Community Health Trust as lead professional. Why: Leah is on long-term leave" in entry.summary
    assert (entry.author, entry.agency, entry.occurred_on) == (world.users["lead_manager"], world.health, TODAY)
