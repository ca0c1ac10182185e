"""Issue 15, items 3 and 4: the reason for deciding without quorum; invitations that reach people.

Today is Tuesday 24 November 2026 (tests/conferences/conftest.py).
"""

import json
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from agencies.models import AgencyKind, Role
from conferences.calendar import escape_text, fold
from conferences.models import AbsenceFeedback, Attendance, ConferenceDecision, ConferenceFormat, ConferenceKind
from conferences.services import (
    INQUORATE_REASON_MISSING,
    DecisionEntry,
    InvitationRequest,
    conference_record_decisions,
    conference_schedule,
    invitation_add,
)
from notifications.models import Notification
from tests.factories import make_agency, make_case, make_child, make_user

from .builders import held_review, record

REASON = "The family moved out of the area tomorrow; the decision could not wait."


@pytest.fixture
def site(settings):
    settings.SITE_URL = "https://portal.example.org"
    return settings.SITE_URL


def school_away(world):
    """Children's social care and health took part, the school sent apologies: 2 of 3 agencies, not quorate."""
    return {world.csc: Attendance.IN_PERSON, world.health: Attendance.VIRTUAL, world.school: Attendance.APOLOGIES}


def all_present(world):
    return dict.fromkeys((world.csc, world.health, world.school), Attendance.IN_PERSON)


def plan_ended(world):
    return [DecisionEntry(case_id=world.case.pk, decision=ConferenceDecision.PLAN_ENDED)]


# --- Item 3: the reason for deciding although not quorate -----------------------------------------


def test_decisions_of_a_conference_that_is_not_quorate_are_refused_without_a_reason(world):
    conference = held_review(world)
    record(conference, world.users["csc_manager"], school_away(world))
    for reason in (None, "   "):
        with pytest.raises(ValidationError) as error:
            conference_record_decisions(actor=world.users["csc_manager"], conference=conference, decisions=plan_ended(world), inquorate_reason=reason)
        assert error.value.message_dict == {"inquorate_reason": [INQUORATE_REASON_MISSING]}
    assert conference.links.get().decision == ""


def test_with_the_reason_the_decisions_are_recorded_and_the_reason_kept(world):
    conference = held_review(world)
    record(conference, world.users["csc_manager"], school_away(world))
    conference_record_decisions(actor=world.users["csc_manager"], conference=conference, decisions=plan_ended(world), inquorate_reason=f"  {REASON} ")
    conference.refresh_from_db()
    assert (conference.inquorate_reason, conference.links.get().decision) == (REASON, ConferenceDecision.PLAN_ENDED)
    # A correction later keeps the reason already given.
    conference_record_decisions(actor=world.users["csc_manager"], conference=conference, decisions=plan_ended(world))
    conference.refresh_from_db()
    assert conference.inquorate_reason == REASON


def test_a_quorate_conference_needs_no_reason(world):
    conference = held_review(world)
    record(conference, world.users["csc_manager"], all_present(world))
    conference_record_decisions(actor=world.users["csc_manager"], conference=conference, decisions=plan_ended(world))
    conference.refresh_from_db()
    assert conference.inquorate_reason == ""


def decisions_post(conference, world, **extra):
    link = conference.links.get()
    return {
        "decisions-TOTAL_FORMS": 1,
        "decisions-INITIAL_FORMS": 1,
        "decisions-MIN_NUM_FORMS": 0,
        "decisions-MAX_NUM_FORMS": 1000,
        "decisions-0-id": link.pk,
        "decisions-0-decision": "plan_ended",
        "decisions-0-cp_category": "",
        "decisions-0-decision_notes": "Plan ended after review",
    } | extra


def test_the_decisions_page_asks_for_the_reason_only_when_not_quorate(world, client_for):
    manager = client_for(world.users["csc_manager"])
    quorate = held_review(world)
    record(quorate, world.users["csc_manager"], all_present(world))
    html = manager.get(reverse("conferences:conference_decisions", args=[quorate.pk])).content.decode()
    assert 'name="inquorate_reason"' not in html

    inquorate = held_review(world)
    record(inquorate, world.users["csc_manager"], school_away(world))
    url = reverse("conferences:conference_decisions", args=[inquorate.pk])
    html = manager.get(url).content.decode()
    assert 'name="inquorate_reason"' in html
    assert "Why decisions are made although the conference is not quorate" in html
    assert "Not quorate: 2 of the 3 agencies needed took part" in html

    # Refused without it: the error summary links to the field, the notes typed are kept.
    response = manager.post(url, decisions_post(inquorate, world, inquorate_reason=""))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_inquorate_reason"' in html and INQUORATE_REASON_MISSING in html
    assert "Plan ended after review" in html
    assert inquorate.links.get().decision == ""

    response = manager.post(url, decisions_post(inquorate, world, inquorate_reason=REASON))
    assert response.status_code == 302
    page = manager.get(reverse("conferences:conference_detail", args=[inquorate.pk])).content.decode()
    assert 'data-testid="inquorate-reason"' in page and REASON in page


def test_the_reason_is_in_the_api_read_only_and_required_there_too(world, client_for):
    api = client_for(world.users["csc_manager"])
    conference = held_review(world)
    record(conference, world.users["csc_manager"], school_away(world))
    url = reverse("api:conference-decisions", kwargs={"pk": conference.pk})
    decisions = [{"case": world.case.pk, "decision": "plan_ended"}]
    response = api.post(url, json.dumps({"decisions": decisions}), content_type="application/json")
    assert response.status_code == 400
    assert response.json()["inquorate_reason"] == [INQUORATE_REASON_MISSING]
    response = api.post(url, json.dumps({"decisions": decisions, "inquorate_reason": REASON}), content_type="application/json")
    assert response.status_code == 200 and response.json()["inquorate_reason"] == REASON
    detail = api.get(reverse("api:conference-detail", kwargs={"pk": conference.pk})).json()
    assert detail["inquorate_reason"] == REASON


def test_the_attendance_report_lists_decisions_made_without_quorum_by_reference(world, client_for):
    conference = held_review(world)
    record(conference, world.users["csc_manager"], school_away(world))
    conference_record_decisions(actor=world.users["csc_manager"], conference=conference, decisions=plan_ended(world), inquorate_reason=REASON)
    html = client_for(world.users["strategy"]).get(reverse("conferences:attendance_report"), {"start": "2026-11-01", "end": "2026-11-30"}).content.decode()
    assert f"(CONF-{conference.pk})" in html
    assert world.case.child.given_name not in html and REASON not in html, "the chair's free text stays on the conference page"


# --- Item 4: invitations by email, with a calendar file ---------------------------------------------


def schedule(world, *, invitations, held_on=date(2026, 12, 1), start_time=time(10, 0), location="Room 2, Civic Centre; Riverside", siblings=()):
    return conference_schedule(
        actor=world.users["csc_manager"],
        case=world.case,
        kind=ConferenceKind.REVIEW,
        held_on=held_on,
        start_time=start_time,
        format=ConferenceFormat.IN_PERSON,
        location=location,
        chair=world.users["csc_manager"],
        invitations=invitations,
        sibling_cases=list(siblings),
    )


def invitation_mail():
    return [message for message in mail.outbox if "Invitation:" in message.subject]


def ics_lines(message):
    [attachment] = message.attachments
    name, content, mimetype = attachment
    assert content.endswith("\r\n")
    unfolded = content.replace("\r\n ", "")
    lines = unfolded.split("\r\n")[:-1]
    assert all("\n" not in line and "\r" not in line for line in lines), "every line ends in CRLF"
    return name, mimetype, content, lines


def test_scheduling_emails_each_invitee_with_a_calendar_file(world, site, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        conference = schedule(
            world,
            invitations=[
                InvitationRequest(agency=world.csc, is_key_agency=True, invitee=world.users["csc_manager"]),
                InvitationRequest(agency=world.school, is_key_agency=True, invitee_name="Ms Jones", invitee_email="jones@school.example.org"),
                InvitationRequest(agency=world.health, report_requested=False),  # nobody named: its safeguarding leads
            ],
        )
    messages = {tuple(message.to): message for message in invitation_mail()}
    assert set(messages) == {("csc_manager@example.org",), ("jones@school.example.org",), ("lead_manager@example.org",)}
    school = messages[("jones@school.example.org",)]
    link = f"https://portal.example.org/conferences/{conference.pk}/"
    assert school.subject.endswith(f"Invitation: Review child protection conference, 1 December 2026 (reference CONF-{conference.pk})")
    assert "Date: 1 December 2026, 10:00 (UK time)" in school.body
    assert "Place: Room 2, Civic Centre; Riverside" in school.body
    assert "report by 24 November 2026" in school.body  # 5 working days before the review
    assert f"See the conference (sign in): {link}" in school.body
    assert "no report is asked" in messages[("lead_manager@example.org",)].body
    child = world.case.child
    for message in messages.values():
        assert child.given_name not in message.body + message.subject and child.family_name not in message.body + message.subject

    name, mimetype, content, lines = ics_lines(school)
    assert (name, mimetype) == (f"conference-CONF-{conference.pk}.ics", "text/calendar")
    invitation = conference.invitations.get(agency=world.school)
    assert lines[:5] == ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Neglect Portal//Conference invitations//EN", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    assert lines[-2:] == ["END:VEVENT", "END:VCALENDAR"]
    assert f"UID:conference-{conference.pk}-invitation-{invitation.pk}@portal.example.org" in lines
    assert "DTSTAMP:20261124T120000Z" in lines  # noon in London in November is noon UTC
    assert "DTSTART:20261201T100000Z" in lines and "DTEND:20261201T113000Z" in lines
    assert f"SUMMARY:Review child protection conference\\, reference CONF-{conference.pk}" in lines
    assert "LOCATION:Room 2\\, Civic Centre\\; Riverside" in lines
    assert f"URL:{link}" in lines
    assert child.given_name not in content and child.family_name not in content
    assert all(len(line.encode()) <= 75 for line in content.split("\r\n"))
    invitation.refresh_from_db()
    assert (invitation.emailed_to, invitation.emailed_at is not None) == ("jones@school.example.org", True)


def test_summer_times_are_converted_to_utc(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        schedule(
            world,
            held_on=date(2027, 6, 1),
            start_time=time(9, 30),
            invitations=[InvitationRequest(agency=world.school, invitee_email="dsl@school.example.org")],
        )
    [message] = invitation_mail()
    _, _, _, lines = ics_lines(message)
    assert "DTSTART:20270601T083000Z" in lines and "DTEND:20270601T100000Z" in lines


def test_inviting_an_agency_later_emails_it_once(world, django_capture_on_commit_callbacks):
    from conferences.tasks import conference_invitation_email

    conference = schedule(world, invitations=[InvitationRequest(agency=world.csc)])
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_add(
            actor=world.users["csc_manager"],
            conference=conference,
            invitation=InvitationRequest(agency=world.school, invitee_email="jones@school.example.org"),
        )
    assert [message.to for message in invitation_mail()] == [["jones@school.example.org"]]
    assert conference_invitation_email.apply(args=[invitation.pk]).get() == "already sent or being sent"
    assert len(invitation_mail()) == 1


def test_text_is_escaped_and_long_lines_folded():
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    folded = fold("DESCRIPTION:" + "é" * 60)
    pieces = folded.split("\r\n")
    assert all(len(piece.encode()) <= 75 for piece in pieces) and all(piece.startswith(" ") for piece in pieces[1:])
    assert folded.replace("\r\n ", "") == "DESCRIPTION:" + "é" * 60


def test_the_conference_page_says_whom_the_invitation_went_to(world, client_for, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        conference = schedule(world, invitations=[InvitationRequest(agency=world.school, invitee_email="jones@school.example.org")])
    html = client_for(world.users["csc_manager"]).get(reverse("conferences:conference_detail", args=[conference.pk])).content.decode()
    assert "Invitation emailed 24 Nov 2026 to jones@school.example.org" in html


# --- Item 4: absence feedback always reaches someone --------------------------------------------------


def core_group_with(world, agency, **invitation):
    """A core group held a week ago: children's social care, health and the school present; `agency` absent."""
    conference = conference_schedule(
        actor=world.users["csc_manager"],
        case=world.case,
        kind=ConferenceKind.CORE_GROUP,
        held_on=date(2026, 11, 17),
        start_time=time(10, 0),
        format=ConferenceFormat.VIRTUAL,
        chair=world.users["csc_manager"],
        invitations=[InvitationRequest(agency=a, is_key_agency=True) for a in (world.csc, world.health, world.school)]
        + [InvitationRequest(agency=agency, is_key_agency=True, **invitation)],
    )
    return conference


def record_absent(world, conference, agency, django_capture_on_commit_callbacks):
    received = date(2026, 11, 16)
    with django_capture_on_commit_callbacks(execute=True):
        record(
            conference,
            world.users["csc_manager"],
            all_present(world) | {agency: Attendance.DID_NOT_ATTEND},
            reports=dict.fromkeys((world.csc, world.health, world.school, agency), received),
        )
    return AbsenceFeedback.objects.get(conference=conference, agency=agency)


def feedback_notes(user):
    return list(Notification.objects.filter(recipient=user, subject__contains="was absent from"))


def test_feedback_goes_to_the_agencys_safeguarding_lead(world, client_for, django_capture_on_commit_callbacks):
    police_dsl = make_user(world.police, Role.DSL, "police_dsl", first_name="Pat", last_name="Lead")
    conference = core_group_with(world, world.police, invitee_email="pc@police.example.org")
    feedback = record_absent(world, conference, world.police, django_capture_on_commit_callbacks)
    assert feedback.outcome == "Told the agency's safeguarding leads: Pat Lead"
    assert len(feedback_notes(police_dsl)) == 1
    assert not [m for m in mail.outbox if m.to == ["pc@police.example.org"] and "absent" in m.subject]
    html = client_for(world.users["csc_manager"]).get(reverse("conferences:conference_detail", args=[conference.pk])).content.decode()
    assert 'data-testid="absence-feedback"' in html and "Told the agency&#x27;s safeguarding leads: Pat Lead" in html


def test_without_a_safeguarding_lead_the_invited_person_is_emailed(world, django_capture_on_commit_callbacks):
    gp = make_agency(AgencyKind.GP_ICB, name="Riverside Surgery")
    make_user(gp, Role.PRACTITIONER, "gp_practitioner")
    conference = core_group_with(world, gp, invitee_name="Dr Shah", invitee_email="shah@surgery.example.org")
    feedback = record_absent(world, conference, gp, django_capture_on_commit_callbacks)
    assert feedback.outcome == "No safeguarding lead could be told: emailed the invited person at shah@surgery.example.org"
    [message] = [m for m in mail.outbox if m.to == ["shah@surgery.example.org"] and "was absent from" in m.subject]
    assert f"Case {world.case.pk}: the conference met without your agency." in message.body
    assert world.case.child.given_name not in message.body
    assert feedback_notes(world.users["admin"]) == []


def test_without_a_lead_or_an_address_the_partnership_admins_are_told(world, client_for, django_capture_on_commit_callbacks):
    gp = make_agency(AgencyKind.GP_ICB, name="Riverside Surgery")
    conference = core_group_with(world, gp)
    feedback = record_absent(world, conference, gp, django_capture_on_commit_callbacks)
    assert feedback.outcome == "No safeguarding lead or invited person's email: told the partnership admins: admin"
    [note] = feedback_notes(world.users["admin"])
    assert "please pass this on" in note.body
    html = client_for(world.users["csc_manager"]).get(reverse("conferences:conference_detail", args=[conference.pk])).content.decode()
    assert "told the partnership admins: admin" in html


# --- Item 4: partners' own invitations, their reports on time or late ------------------------------------


def test_a_partner_sees_only_its_own_agencys_invitations_on_the_upcoming_page(world, client_for):
    sister = make_child(given_name="Amy", family=world.case.child.family)
    other_case = make_case(world.police, child=make_child(given_name="Zed"))
    conference = schedule(world, invitations=[InvitationRequest(agency=world.csc), InvitationRequest(agency=world.school, invitee_name="Ms Jones")])
    police_only = conference_schedule(
        actor=world.users["csc_manager"],
        case=other_case,
        kind=ConferenceKind.REVIEW,
        held_on=date(2026, 12, 2),
        start_time=time(10, 0),
        format=ConferenceFormat.VIRTUAL,
        chair=world.users["csc_manager"],
        invitations=[InvitationRequest(agency=world.police)],
    )
    assert sister  # a sibling without a case is not on the conference
    html = client_for(world.users["partner_practitioner"]).get(reverse("conferences:upcoming")).content.decode()
    school = conference.invitations.get(agency=world.school)
    assert f'data-testid="invitation-{school.pk}"' in html
    assert "Due by 24 November 2026" in html and "Record that we sent our report" in html
    assert 'data-testid="invitation-' + str(conference.invitations.get(agency=world.csc).pk) not in html
    assert f"/conferences/{police_only.pk}/" not in html and "Zed" not in html
    # The health lead sees the case, but the school's invitation is not theirs.
    html = client_for(world.users["lead_practitioner"]).get(reverse("conferences:upcoming")).content.decode()
    assert "Your agency is not invited to any conference from today." in html


def test_a_report_sent_by_the_deadline_is_on_time_and_one_after_it_late(world, client_for, time_machine):
    conference = schedule(
        world, invitations=[InvitationRequest(agency=world.csc), InvitationRequest(agency=world.school), InvitationRequest(agency=world.health)]
    )
    school = conference.invitations.get(agency=world.school)
    health = conference.invitations.get(agency=world.health)
    response = client_for(world.users["partner_dsl"]).post(reverse("conferences:invitation_report", args=[school.pk]))
    assert response.status_code == 302
    school.refresh_from_db()
    assert (school.report_received_on, school.report_on_time) == (date(2026, 11, 24), True)

    time_machine.move_to(datetime(2026, 11, 25, 12, 0, tzinfo=ZoneInfo("Europe/London")), tick=False)
    response = client_for(world.users["lead_practitioner"]).post(reverse("conferences:invitation_report", args=[health.pk]))
    health.refresh_from_db()
    assert (health.report_received_on, health.report_on_time) == (date(2026, 11, 25), False)

    html = client_for(world.users["csc_manager"]).get(reverse("conferences:conference_detail", args=[conference.pk])).content.decode()
    assert "Received 24 Nov 2026" in html and "On time" in html
    assert "Received 25 Nov 2026" in html and "Late" in html

    # Recorded once: a second press is refused on the page, with the reason.
    response = client_for(world.users["partner_dsl"]).post(reverse("conferences:invitation_report", args=[school.pk]))
    assert response.status_code == 400
    assert "report was already recorded on 24 November 2026" in response.content.decode()


def test_another_agencys_invitation_answers_404(world, client_for):
    conference = schedule(world, invitations=[InvitationRequest(agency=world.csc), InvitationRequest(agency=world.school)])
    school = conference.invitations.get(agency=world.school)
    response = client_for(world.users["lead_manager"]).post(reverse("conferences:invitation_report", args=[school.pk]))
    assert response.status_code == 404
    school.refresh_from_db()
    assert school.report_received_on is None


def test_the_attendance_report_counts_late_reports(world, client_for):
    conference = held_review(world, held_on=date(2026, 11, 23))  # reports due Monday 16 November
    record(
        conference,
        world.users["csc_manager"],
        all_present(world),
        reports={world.csc: date(2026, 11, 16), world.health: date(2026, 11, 17), world.school: date(2026, 11, 20)},
    )
    from conferences.selectors import attendance_by_agency

    rows = {row.agency_name: (row.reports_on_time, row.reports_late) for row in attendance_by_agency(start=date(2026, 11, 1), end=date(2026, 11, 30))}
    assert rows == {"Children's Social Care": (1, 0), "Community Health Trust": (0, 1), "Riverside School": (0, 1)}
    html = client_for(world.users["strategy"]).get(reverse("conferences:attendance_report"), {"start": "2026-11-01", "end": "2026-11-30"}).content.decode()
    assert '<th scope="col" class="govuk-table__header govuk-table__header--numeric">Late</th>' in html
