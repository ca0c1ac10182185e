"""Immediate feedback to absent key agencies: who is told, what, and exactly once (retries, repeats)."""

from datetime import date

import pytest
from django.core import mail

from agencies.models import AgencyKind, Role
from conferences import services as conference_services
from conferences.models import AbsenceFeedback, Attendance, ConferenceDecision, ConferenceKind
from conferences.services import DecisionEntry, conference_record_decisions
from conferences.tasks import conference_absence_feedback
from neglect_portal.celery import app
from notifications.models import Notification
from tests.factories import make_agency, make_user

from .builders import held_review, record

ABSENT_SCHOOL = Attendance.APOLOGIES


@pytest.fixture
def school_manager(world):
    return make_user(world.school, Role.MANAGER, "school_manager")


@pytest.fixture
def eager_retries():
    """Eager tasks that retry at once instead of raising Retry, as a worker would retry after its backoff."""
    app.conf.task_eager_propagates = False
    try:
        yield
    finally:
        app.conf.task_eager_propagates = True


def school_absent(world):
    return {world.csc: Attendance.IN_PERSON, world.health: Attendance.VIRTUAL, world.school: ABSENT_SCHOOL}


def all_present(world):
    return dict.fromkeys((world.csc, world.health, world.school), Attendance.IN_PERSON)


def reports_in(*agencies):
    """Reports received on 16 November 2026 (by the deadline of a review held on the 23rd)."""
    return {agency: date(2026, 11, 16) for agency in agencies}


def record_school_absent(world, conference):
    """The school sent apologies and no report; the other key agencies came with their reports."""
    return record(conference, world.users["csc_manager"], school_absent(world), reports=reports_in(world.csc, world.health))


def decide(world, conference, decision=ConferenceDecision.PLAN_ENDED, category=""):
    conference_record_decisions(
        actor=world.users["csc_manager"],
        conference=conference,
        decisions=[DecisionEntry(case_id=world.case.pk, decision=decision, cp_category=category)],
        inquorate_reason="The plan could not wait for another conference.",  # the school's absence leaves it not quorate
    )


ABSENT = "was absent from"


def feedback():
    """The absence feedback told (other notices, such as a red flag's or the ended plan's, are left out)."""
    return Notification.objects.filter(subject__contains=ABSENT)


def feedback_mail():
    return [message for message in mail.outbox if ABSENT in message.subject]


def told(user):
    return list(feedback().filter(recipient=user))


def test_the_schools_safeguarding_leads_hear_of_the_decision_made_without_them(world, school_manager, django_capture_on_commit_callbacks):
    conference = held_review(world, held_on=date(2026, 11, 23))
    with django_capture_on_commit_callbacks(execute=True):
        record_school_absent(world, conference)
    assert feedback().count() == 0, "a review's feedback waits for its decision"
    with django_capture_on_commit_callbacks(execute=True):
        decide(world, conference)
    [note] = told(world.users["partner_dsl"])
    assert len(told(school_manager)) == 1
    assert told(world.users["partner_practitioner"]) == []
    assert note.subject == "Riverside School was absent from a review child protection conference"
    assert note.body.splitlines()[:2] == [
        "Riverside School was a key agency for the review child protection conference on 23 November 2026 and did not take part (sent apologies) and sent no report.",
        f"Case {world.case.pk}: decided in your agency's absence: child protection plan ended.",
    ]
    assert note.link == f"/cases/{world.case.pk}/"
    assert sorted(message.to[0] for message in feedback_mail()) == ["partner_dsl@example.org", "school_manager@example.org"]
    child = world.case.child
    assert child.given_name not in feedback_mail()[0].body and child.family_name not in feedback_mail()[0].body


def test_a_core_group_tells_them_as_soon_as_attendance_is_recorded(world, django_capture_on_commit_callbacks):
    conference = held_review(world, kind=ConferenceKind.CORE_GROUP)
    with django_capture_on_commit_callbacks(execute=True):
        record_school_absent(world, conference)
    [note] = told(world.users["partner_dsl"])
    assert f"Case {world.case.pk}: the conference met without your agency." in note.body


def test_a_key_agency_that_came_without_its_report_is_told_too(world, django_capture_on_commit_callbacks):
    conference = held_review(world, kind=ConferenceKind.CORE_GROUP)
    with django_capture_on_commit_callbacks(execute=True):
        record(conference, world.users["csc_manager"], all_present(world), reports=reports_in(world.csc, world.health))
    [note] = told(world.users["partner_dsl"])
    assert "and sent no report." in note.body
    assert told(world.users["lead_manager"]) == []


def test_sent_once_when_the_mail_server_fails_once_and_the_email_is_retried(
    world, school_manager, monkeypatch, eager_retries, django_capture_on_commit_callbacks
):
    from django.core.mail import send_mail as real_send_mail

    attempts = []

    def flaky(**kwargs):
        # Only the absence feedback is counted: the plan the decision ends tells the team as well.
        if ABSENT in kwargs["subject"]:
            attempts.append(kwargs["recipient_list"])
            if len(attempts) == 1:
                raise ConnectionRefusedError("mail server down")
        return real_send_mail(**kwargs)

    monkeypatch.setattr("notifications.tasks.send_mail", flaky)
    conference = held_review(world)
    with django_capture_on_commit_callbacks(execute=True):
        record_school_absent(world, conference)
        decide(world, conference)
    assert len(attempts) == 3, "one refused, then one email to each lead"
    assert len(feedback_mail()) == 2
    assert feedback().count() == 2
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 0
    assert AbsenceFeedback.objects.get().sent_at is not None


def test_sent_once_when_the_feedback_task_itself_fails_and_is_retried(world, school_manager, monkeypatch, eager_retries, django_capture_on_commit_callbacks):
    real_create = conference_services.notification_create
    calls = []

    def failing_on_the_second_lead(**kwargs):
        calls.append(kwargs["recipient"])
        if len(calls) == 2:
            raise ConnectionResetError("database connection lost")
        return real_create(**kwargs)

    monkeypatch.setattr(conference_services, "notification_create", failing_on_the_second_lead)
    conference = held_review(world)
    with django_capture_on_commit_callbacks(execute=True):
        record_school_absent(world, conference)
        decide(world, conference)
    assert len(calls) == 4, "the first run is rolled back whole; the retry tells both leads"
    assert feedback().count() == 2
    assert len(feedback_mail()) == 2


def test_sent_once_when_the_task_runs_twice(world, django_capture_on_commit_callbacks):
    conference = held_review(world)
    with django_capture_on_commit_callbacks(execute=True):
        record_school_absent(world, conference)
        decide(world, conference)
    feedback = AbsenceFeedback.objects.get()
    assert conference_absence_feedback.apply(args=[feedback.pk]).get() == "already sent or being sent"
    with django_capture_on_commit_callbacks(execute=True):
        record_school_absent(world, conference)  # the table saved again
    assert len(told(world.users["partner_dsl"])) == 1
    assert len(feedback_mail()) == 1
    assert AbsenceFeedback.objects.get().outcome == "Told the agency's safeguarding leads: partner_dsl"


def test_nobody_is_told_when_the_absence_was_corrected_before_the_task_ran(world, django_capture_on_commit_callbacks):
    conference = held_review(world)
    with django_capture_on_commit_callbacks() as queued:
        record_school_absent(world, conference)
        decide(world, conference)
    record(conference, world.users["csc_manager"], all_present(world), reports=reports_in(world.csc, world.health, world.school))
    for callback in queued:
        callback()
    assert feedback().count() == 0
    assert AbsenceFeedback.objects.get().outcome == "no longer absent"


def test_an_agency_without_safeguarding_leads_is_reported_to_the_partnership_admins(world, django_capture_on_commit_callbacks):
    gp = make_agency(AgencyKind.GP_ICB, name="Riverside Surgery")
    make_user(gp, Role.PRACTITIONER, "gp_practitioner")
    conference = held_review(world, kind=ConferenceKind.CORE_GROUP, agencies=[world.csc, world.health, world.school, gp])
    with django_capture_on_commit_callbacks(execute=True):
        record(
            conference,
            world.users["csc_manager"],
            all_present(world) | {gp: Attendance.DID_NOT_ATTEND},
            reports=reports_in(world.csc, world.health, world.school),
        )
    # Nobody named from the surgery and no safeguarding lead: the partnership admins are told instead (never nobody).
    assert AbsenceFeedback.objects.get(agency=gp).outcome == "No safeguarding lead or invited person's email: told the partnership admins: admin"
    assert [note.recipient.username for note in feedback()] == ["admin"]
