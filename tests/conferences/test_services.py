"""Scheduling, attendance and decisions: the business rules, the audit rows and the chronology hook."""

from datetime import date, time

import pytest
from django.core.exceptions import ValidationError

from agencies.models import AgencyKind
from audit.models import AccessEvent, AuditAction
from cases.models import TeamMembership
from conferences import services as conference_services
from conferences.models import Attendance, ConferenceDecision, ConferenceKind
from conferences.services import AttendanceEntry, DecisionEntry, conference_record_attendance, conference_record_decisions
from tests.factories import make_agency, make_case, make_child

from .builders import held_review, make_conference, record

ALL_PRESENT = Attendance.IN_PERSON


def schedule(world, **kwargs):
    defaults = {
        "actor": world.users["csc_manager"],
        "chair": world.users["csc_manager"],
        "held_on": date(2026, 11, 23),
        "invitations": [world.csc, world.health, world.school],
    }
    return make_conference(world.case, **(defaults | kwargs))


def present(world):
    return {world.csc: ALL_PRESENT, world.health: ALL_PRESENT, world.school: ALL_PRESENT}


def test_an_initial_conference_stores_its_report_deadline_and_timescale(world):
    conference = schedule(world, kind=ConferenceKind.INITIAL, strategy_discussion_on=date(2026, 11, 2))
    assert conference.report_due_on == date(2026, 11, 18)  # 3 working days before Monday 23rd
    assert conference.initial_due_on == date(2026, 11, 23)  # 15 working days after Monday 2nd
    assert not conference.is_outside_timescale


def test_an_initial_conference_a_day_late_is_outside_timescale(world):
    conference = schedule(world, kind=ConferenceKind.INITIAL, strategy_discussion_on=date(2026, 11, 2), held_on=date(2026, 11, 24))
    assert conference.is_outside_timescale


def test_deadlines_follow_the_settings(world, settings):
    settings.CONFERENCE_REPORT_DAYS_REVIEW = 2
    settings.CONFERENCE_INITIAL_WITHIN_WORKING_DAYS = 10
    review = schedule(world)
    initial = schedule(world, kind=ConferenceKind.INITIAL, strategy_discussion_on=date(2026, 11, 2), held_on=date(2026, 11, 17))
    assert review.report_due_on == date(2026, 11, 19)
    assert initial.initial_due_on == date(2026, 11, 16)
    assert initial.is_outside_timescale


def test_other_meetings_want_reports_by_the_day_itself(world):
    assert schedule(world, kind=ConferenceKind.CORE_GROUP).report_due_on == date(2026, 11, 23)


def test_an_initial_conference_needs_the_date_of_the_strategy_discussion(world):
    with pytest.raises(ValidationError) as error:
        schedule(world, kind=ConferenceKind.INITIAL)
    assert error.value.message_dict["strategy_discussion_on"] == ["Enter the date of the strategy discussion"]


def test_the_chair_comes_from_childrens_social_care(world):
    with pytest.raises(ValidationError) as error:
        schedule(world, chair=world.users["lead_manager"])
    assert error.value.message_dict["chair"] == ["Choose a chair from children's social care"]


def test_a_sibling_group_is_one_conference_with_a_row_per_child(world):
    sister = make_child(given_name="Amy", family=world.case.child.family)
    sisters_case = make_case(world.health, child=sister)
    conference = schedule(world, siblings=[sisters_case])
    assert set(conference.links.values_list("case_id", flat=True)) == {world.case.pk, sisters_case.pk}


def test_a_child_of_another_household_cannot_share_the_conference(world):
    other = make_case(world.health)
    with pytest.raises(ValidationError) as error:
        schedule(world, siblings=[other])
    assert error.value.message_dict["sibling_cases"] == ["Only the child's brothers and sisters can share the conference"]


def test_scheduling_writes_one_audit_row_when_no_one_joins_the_team(world):
    last = AccessEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    conference = schedule(world, invitations=[world.health, world.school])
    [event] = AccessEvent.objects.filter(pk__gt=last)
    assert (event.action, event.object_type, event.object_id) == (AuditAction.CREATE, "conference", str(conference.pk))


def test_an_invited_agency_joins_the_team_around_the_child_and_that_is_audited_too(world):
    schedule(world, invitations=[world.csc, world.police])
    assert TeamMembership.objects.filter(case=world.case, agency=world.police).exists()
    joined = AccessEvent.objects.filter(action=AuditAction.UPDATE, object_type="case", detail__startswith="County Police joined the team")
    assert joined.count() == 1


def test_attendance_is_recorded_for_the_whole_table_at_once(world):
    conference = held_review(world)
    school = conference.invitations.get(agency=world.school)
    with pytest.raises(ValidationError) as error:
        conference_record_attendance(
            actor=world.users["csc_manager"], conference=conference, entries=[AttendanceEntry(invitation_id=school.pk, attendance=ALL_PRESENT)]
        )
    assert error.value.messages == ["Record the attendance of every invited agency"]


def test_attendance_waits_for_the_conference_to_take_place(world):
    conference = schedule(world, held_on=date(2026, 11, 25))
    with pytest.raises(ValidationError) as error:
        record(conference, world.users["csc_manager"], present(world))
    assert error.value.messages == ["This conference has not taken place yet"]


def test_an_absent_key_agency_needs_the_impact_of_its_absence(world):
    conference = held_review(world)
    with pytest.raises(ValidationError) as error:
        record(conference, world.users["csc_manager"], present(world) | {world.school: Attendance.APOLOGIES}, impact="")
    assert error.value.message_dict["absence_impact"] == ["Describe the impact of Riverside School's absence on the conference"]


def test_recording_attendance_marks_the_conference_recorded_with_one_audit_row(world):
    conference = held_review(world)
    before = AccessEvent.objects.count()
    record(conference, world.users["csc_manager"], present(world))
    conference.refresh_from_db()
    assert conference.attendance_recorded_at is not None
    assert AccessEvent.objects.count() == before + 1
    assert AccessEvent.objects.first().detail.startswith("attendance recorded: ")


def test_only_child_protection_conferences_decide_on_a_plan(world):
    conference = held_review(world, kind=ConferenceKind.CORE_GROUP)
    with pytest.raises(ValidationError) as error:
        conference_record_decisions(
            actor=world.users["csc_manager"],
            conference=conference,
            decisions=[DecisionEntry(case_id=world.case.pk, decision=ConferenceDecision.PLAN_CONTINUED, cp_category="neglect")],
        )
    assert error.value.messages == ["A core group does not decide on a plan"]


def test_a_decision_can_only_be_recorded_for_a_child_the_manager_can_see(world):
    """The school's DSL sees this child, not the sibling whose team the school is not in."""
    brother = make_child(given_name="Ben", family=world.case.child.family)
    brothers_case = make_case(world.police, child=brother)
    conference = schedule(world, siblings=[brothers_case], invitations=[world.csc, world.health])
    entry = DecisionEntry(case_id=brothers_case.pk, decision=ConferenceDecision.PLAN_ENDED)
    with pytest.raises(ValidationError) as error:
        conference_record_decisions(actor=world.users["partner_dsl"], conference=conference, decisions=[entry])
    assert error.value.message_dict["case"] == ["Choose a child this conference covers"]


def test_decisions_are_recorded_per_child_with_the_category(world):
    conference = held_review(world)
    conference_record_decisions(
        actor=world.users["csc_manager"],
        conference=conference,
        decisions=[
            DecisionEntry(
                case_id=world.case.pk, decision=ConferenceDecision.CATEGORY_CHANGED, cp_category="emotional", notes="Emotional harm now the main concern"
            )
        ],
    )
    link = conference.links.get()
    assert (link.decision, link.cp_category, link.cin_category_code, link.decided_by) == ("category_changed", "emotional", "EMO", world.users["csc_manager"])


def test_the_chronology_hook_runs_after_attendance_and_after_decisions(world, monkeypatch):
    calls = []
    monkeypatch.setattr(conference_services, "_conference_recorded", lambda conference, **kwargs: calls.append(conference.pk))
    conference = held_review(world)
    record(conference, world.users["csc_manager"], present(world))
    conference_record_decisions(
        actor=world.users["csc_manager"],
        conference=conference,
        decisions=[DecisionEntry(case_id=world.case.pk, decision=ConferenceDecision.PLAN_ENDED)],
    )
    assert calls == [conference.pk, conference.pk]


def test_the_chronology_gets_one_event_per_child_naming_agencies_and_the_decision_not_the_child(world):
    sister = make_child(given_name="Amy", family=world.case.child.family)
    sisters_case = make_case(world.health, child=sister)
    gp = make_agency(AgencyKind.GP_ICB, name="Riverside Surgery")
    conference = schedule(world, siblings=[sisters_case], invitations=[world.csc, world.health, world.school, gp])
    record(conference, world.users["csc_manager"], present(world) | {gp: Attendance.DID_NOT_ATTEND})
    conference_record_decisions(
        actor=world.users["csc_manager"],
        conference=conference,
        decisions=[
            DecisionEntry(case_id=world.case.pk, decision=ConferenceDecision.PLAN_CONTINUED, cp_category="neglect"),
            DecisionEntry(case_id=sisters_case.pk, decision=ConferenceDecision.PLAN_ENDED),
        ],
    )
    events = conference_services._conference_recorded(conference)
    assert [(e.case_id, e.child_id, e.occurred_on, e.kind, e.agency_id) for e in events] == [
        (world.case.pk, world.case.child_id, date(2026, 11, 23), "conference", world.csc.pk),
        (sisters_case.pk, sister.pk, date(2026, 11, 23), "conference", world.csc.pk),
    ]
    assert events[0].key == f"conference:{conference.pk}:case:{world.case.pk}"
    assert events[0].summary == (
        "Review child protection conference (virtual). Decision: child protection plan continued, category neglect. "
        "Took part: Children's Social Care, Community Health Trust, Riverside School. Absent: Riverside Surgery (did not attend)."
    )
    assert world.case.child.given_name not in events[0].summary and sister.given_name not in events[1].summary


def test_start_time_is_kept(world):
    assert schedule(world, start_time=time(14, 30)).start_time == time(14, 30)
