"""Quorum and the decision rules of a conference's children."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from agencies.models import AgencyKind
from conferences.models import Attendance, ConferenceDecision
from tests.factories import make_agency

from .builders import held_review, record

IN_PERSON, VIRTUAL, REPORT_ONLY, APOLOGIES = Attendance.IN_PERSON, Attendance.VIRTUAL, Attendance.REPORT_ONLY, Attendance.APOLOGIES


@pytest.fixture
def four_agencies(world):
    """A review with children's social care, health, the school and a GP practice invited."""
    gp = make_agency(AgencyKind.GP_ICB, name="Riverside Surgery")
    return held_review(world, agencies=[world.csc, world.health, world.school, gp]), gp


def quorum_after(conference, actor, attendance):
    record(conference, actor, attendance)
    conference.refresh_from_db()
    return conference.quorum


def test_no_quorum_before_attendance_is_recorded(world, four_agencies):
    conference, _ = four_agencies
    assert conference.quorum is None


def test_three_agencies_present_with_childrens_social_care_are_quorate(world, four_agencies):
    conference, gp = four_agencies
    quorum = quorum_after(conference, world.users["csc_manager"], {world.csc: IN_PERSON, world.health: VIRTUAL, world.school: IN_PERSON, gp: APOLOGIES})
    assert quorum.is_quorate
    assert str(quorum) == "Quorate: 3 agencies took part"


def test_a_report_alone_does_not_count_towards_quorum(world, four_agencies):
    conference, gp = four_agencies
    quorum = quorum_after(conference, world.users["csc_manager"], {world.csc: IN_PERSON, world.health: VIRTUAL, world.school: REPORT_ONLY, gp: APOLOGIES})
    assert not quorum.is_quorate
    assert str(quorum) == "Not quorate: 2 of the 3 agencies needed took part"


def test_three_agencies_without_childrens_social_care_are_not_quorate(world, four_agencies):
    conference, gp = four_agencies
    quorum = quorum_after(conference, world.users["csc_manager"], {world.csc: APOLOGIES, world.health: VIRTUAL, world.school: IN_PERSON, gp: IN_PERSON})
    assert (quorum.present, quorum.is_quorate) == (3, False)
    assert str(quorum) == "Not quorate: children's social care did not take part"


def test_the_quorum_size_comes_from_settings(world, four_agencies, settings):
    settings.CONFERENCE_QUORUM_AGENCIES = 4
    conference, gp = four_agencies
    quorum = quorum_after(conference, world.users["csc_manager"], {world.csc: IN_PERSON, world.health: VIRTUAL, world.school: IN_PERSON, gp: APOLOGIES})
    assert not quorum.is_quorate


def test_a_decision_must_fit_the_kind_of_conference(world):
    link = held_review(world).links.get()
    link.decision = ConferenceDecision.PLAN_STARTED
    with pytest.raises(ValidationError) as error:
        link.full_clean()
    assert error.value.message_dict["decision"] == ["A review child protection conference cannot decide this"]


def test_a_category_goes_with_a_plan_and_only_with_a_plan(world):
    link = held_review(world).links.get()
    link.decision = ConferenceDecision.PLAN_CONTINUED
    with pytest.raises(ValidationError) as missing:
        link.full_clean()
    link.decision, link.cp_category = ConferenceDecision.PLAN_ENDED, "neglect"
    with pytest.raises(ValidationError) as extra:
        link.full_clean()
    assert missing.value.message_dict["cp_category"] == ["Choose the category of the child protection plan"]
    assert extra.value.message_dict["cp_category"] == ["Only choose a category when the child is on a plan after the conference"]


def test_the_census_code_of_the_category(world):
    link = held_review(world).links.get()
    link.cp_category = "sexual"
    assert link.cin_category_code == "SAB"


def test_a_report_is_on_time_up_to_and_including_its_deadline(world):
    conference = held_review(world, held_on=date(2026, 11, 23))  # review: due 5 working days before, Monday 16th
    invitation = conference.invitations.get(agency=world.school)
    assert conference.report_due_on == date(2026, 11, 16)
    invitation.report_received_on = date(2026, 11, 16)
    assert invitation.report_on_time is True
    invitation.report_received_on = date(2026, 11, 17)
    assert invitation.report_on_time is False
