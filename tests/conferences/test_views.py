"""Conference pages through HTTP: scheduling, the attendance table, decisions, lists and the attendance report."""

import re
from datetime import date

import pytest
from django.urls import reverse

from conferences.models import Attendance, Conference, ConferenceKind
from tests.factories import make_case, make_child

from .builders import held_review, make_conference, record

PRESENT = Attendance.IN_PERSON


def date_boxes(html, name):
    """The values in a GOV.UK date input's day, month and year boxes (`<name>_day`, `_month`, `_year`)."""
    values = []
    for part in ("day", "month", "year"):
        match = re.search(rf'<input[^>]*name="{re.escape(name)}_{part}"[^>]*>', html)
        assert match, f"no {part} box for {name}"
        value = re.search(r'value="([^"]*)"', match.group(0))
        values.append(value.group(1) if value else "")
    return tuple(values)


@pytest.fixture
def manager(world, client_for):
    return client_for(world.users["csc_manager"])


def schedule_data(world, **changes):
    """The scheduling form as a person fills it: the three suggested agencies invited as offered."""
    data = {
        "kind": "review_cp",
        "held_on": "2026-12-01",
        "start_time": "10:00",
        "format": "in_person",
        "chair": world.users["csc_manager"].pk,
        "agencies-TOTAL_FORMS": 3,
        "agencies-INITIAL_FORMS": 3,
        "agencies-MIN_NUM_FORMS": 0,
        "agencies-MAX_NUM_FORMS": 1000,
    }
    for index, agency in enumerate([world.csc, world.health, world.school]):
        data |= {
            f"agencies-{index}-agency": agency.pk,
            f"agencies-{index}-invite": "on",
            f"agencies-{index}-is_key_agency": "on",
            f"agencies-{index}-report_requested": "on",
        }
    return data | changes


def test_the_scheduling_page_suggests_the_team_and_childrens_social_care_as_key_agencies(world, manager):
    make_conference(
        world.case,
        actor=world.users["csc_manager"],
        chair=world.users["csc_manager"],
        held_on=date(2026, 11, 10),
        kind=ConferenceKind.STRATEGY_DISCUSSION,
        invitations=[world.csc],
    )
    html = manager.get(reverse("conferences:conference_schedule", args=[world.case.pk])).content.decode()
    suggested = [world.csc, world.health, world.school]
    for index, agency in enumerate(suggested):
        assert f'name="agencies-{index}-agency" value="{agency.pk}"' in html
        assert f'name="agencies-{index}-is_key_agency" type="checkbox" checked' in html
    assert 'name="agencies-3-is_key_agency" type="checkbox">' in html  # County Police: offered, not suggested
    assert f'<option value="{world.users["csc_manager"].pk}" selected>' in html
    # the latest strategy discussion, for an initial conference, in the GOV.UK day/month/year boxes
    assert date_boxes(html, "strategy_discussion_on") == ("10", "11", "2026")


def test_scheduling_errors_keep_what_was_typed_and_say_what_to_fix(world, manager):
    data = schedule_data(
        world,
        kind="initial_cp",
        held_on="",
        **{"agencies-2-invite": "", "agencies-1-invitee_name": "Dr Priya Shah", "agencies-1-invitee_email": "not-an-email"},
    )
    response = manager.post(reverse("conferences:conference_schedule", args=[world.case.pk]), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    for message in (
        "Enter the date of the conference",
        "Enter the date of the strategy discussion",
        "Invite Riverside School to make it a key agency or ask it for a report",
        "Community Health Trust: Enter an email address like name@example.org",
    ):
        assert message in html
    assert 'value="Dr Priya Shah"' in html and 'value="not-an-email"' in html
    assert 'value="initial_cp" checked' in html
    assert not Conference.objects.exists()


def test_scheduling_a_conference_for_a_sibling_group(world, manager):
    sister = make_child(given_name="Amy", family=world.case.child.family)
    sisters_case = make_case(world.health, child=sister)
    data = schedule_data(world, sibling_cases=[sisters_case.pk], **{"agencies-0-invitee_name": "Sam Chair"})
    response = manager.post(reverse("conferences:conference_schedule", args=[world.case.pk]), data)
    conference = Conference.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("conferences:conference_detail", args=[conference.pk])
    assert set(conference.links.values_list("case_id", flat=True)) == {world.case.pk, sisters_case.pk}
    assert conference.invitations.get(agency=world.csc).invitee_name == "Sam Chair"
    assert conference.report_due_on == date(2026, 11, 24)


def test_a_practitioner_outside_childrens_social_care_is_not_offered_scheduling(world, client_for):
    html = client_for(world.users["lead_practitioner"]).get(reverse("conferences:case_conferences", args=[world.case.pk])).content.decode()
    assert "Schedule a conference" not in html


def attendance_data(conference, values):
    """The attendance table posted: `values` maps an agency to (attendance, report date, impact)."""
    invitations = list(conference.invitations.select_related("agency").order_by("-is_key_agency", "agency__name"))
    data = {
        "attendance-TOTAL_FORMS": len(invitations),
        "attendance-INITIAL_FORMS": len(invitations),
        "attendance-MIN_NUM_FORMS": 0,
        "attendance-MAX_NUM_FORMS": 1000,
    }
    for index, invitation in enumerate(invitations):
        attendance, received, impact = values[invitation.agency]
        data |= {
            f"attendance-{index}-id": invitation.pk,
            f"attendance-{index}-attendance": attendance,
            f"attendance-{index}-report_received_on": received,
            f"attendance-{index}-absence_impact": impact,
        }
    return data


def test_the_attendance_table_says_which_row_to_fix_and_keeps_the_rest(world, manager):
    conference = held_review(world)
    data = attendance_data(
        conference,
        {
            world.csc: (PRESENT, "2026-11-09", ""),
            world.health: ("", "2026-11-30", ""),
            world.school: (Attendance.APOLOGIES, "", ""),
        },
    )
    response = manager.post(reverse("conferences:conference_attendance", args=[conference.pk]), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Community Health Trust: Choose how the agency attended" in html
    assert "Community Health Trust: The date the report was received must be today or in the past" in html
    assert "Describe the impact of Riverside School&#x27;s absence on the conference" in html
    # the dates typed are kept, in the GOV.UK day/month/year boxes
    rows = [invitation.agency for invitation in conference.invitations.order_by("-is_key_agency", "agency__name")]
    assert date_boxes(html, f"attendance-{rows.index(world.csc)}-report_received_on") == ("9", "11", "2026")
    assert date_boxes(html, f"attendance-{rows.index(world.health)}-report_received_on") == ("30", "11", "2026")
    assert not conference.invitations.exclude(attendance="").exists()


def test_recording_the_attendance_table_shows_quorum_and_late_reports(world, manager):
    conference = held_review(world)  # held Tuesday 17 November; reports due Tuesday 10th
    data = attendance_data(
        conference,
        {
            world.csc: (PRESENT, "2026-11-09", ""),
            world.health: (Attendance.VIRTUAL, "2026-11-12", ""),
            world.school: (Attendance.REPORT_ONLY, "2026-11-10", "The school's view of attendance was read out only."),
        },
    )
    response = manager.post(reverse("conferences:conference_attendance", args=[conference.pk]), data)
    assert response.status_code == 302
    html = manager.get(response["Location"]).content.decode()
    assert "Not quorate: 2 of the 3 agencies needed took part" in html
    assert "Received 12 Nov 2026" in html and "Late" in html
    assert "The school&#x27;s view of attendance was read out only." in html


def test_the_conference_page_shows_only_the_children_the_user_can_see(world, client_for):
    brother = make_child(given_name="Ben", family=world.case.child.family)
    brothers_case = make_case(world.police, child=brother)
    conference = make_conference(
        world.case,
        actor=world.users["csc_manager"],
        chair=world.users["csc_manager"],
        held_on=date(2026, 11, 17),
        siblings=[brothers_case],
        invitations=[world.csc, world.health],
    )
    school_view = client_for(world.users["partner_practitioner"]).get(reverse("conferences:conference_detail", args=[conference.pk])).content.decode()
    csc_view = client_for(world.users["csc_practitioner"]).get(reverse("conferences:conference_detail", args=[conference.pk])).content.decode()
    assert str(world.case.child) in school_view and str(brother) not in school_view
    assert str(brother) in csc_view


def test_decisions_say_what_to_fix(world, client_for):
    conference = held_review(world)
    link = conference.links.get()
    data = {
        "decisions-TOTAL_FORMS": 1,
        "decisions-INITIAL_FORMS": 1,
        "decisions-MIN_NUM_FORMS": 0,
        "decisions-MAX_NUM_FORMS": 1000,
        "decisions-0-id": link.pk,
        "decisions-0-decision": "plan_continued",
        "decisions-0-cp_category": "",
        "decisions-0-decision_notes": "Progress is slow",
    }
    # Children's social care records decisions (issue 22, finding 2): the school's DSL now gets 403 (tests/access/test_authority.py).
    response = client_for(world.users["csc_manager"]).post(reverse("conferences:conference_decisions", args=[conference.pk]), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert f"{world.case.child}: Choose the category of the child protection plan" in html
    assert "Progress is slow" in html


def test_the_decision_page_offers_the_decisions_of_the_kind_of_conference(world, manager):
    conference = held_review(world)
    html = manager.get(reverse("conferences:conference_decisions", args=[conference.pk])).content.decode()
    assert "Child protection plan continued" in html and "Child protection plan started" not in html


def test_the_upcoming_list_names_the_children_and_filters_to_my_conferences(world, manager):
    mine = make_conference(world.case, actor=world.users["csc_manager"], chair=world.users["csc_manager"], held_on=date(2026, 11, 30), invitations=[world.csc])
    make_conference(world.case, actor=world.users["csc_manager"], chair=world.users["csc_practitioner"], held_on=date(2026, 12, 2), invitations=[world.csc])
    held_review(world)  # last week: not upcoming
    everything = manager.get(reverse("conferences:upcoming")).content.decode()
    only_mine = manager.get(reverse("conferences:upcoming"), {"mine": "1"}).content.decode()
    assert everything.count("Review child protection conference</a>") == 2
    assert str(world.case.child) in everything
    assert only_mine.count("Review child protection conference</a>") == 1
    assert reverse("conferences:conference_detail", args=[mine.pk]) in only_mine


def test_the_attendance_report_shows_figures_and_no_child(world, client_for):
    conference = held_review(world, held_on=date(2026, 10, 6))
    record(conference, world.users["csc_manager"], {world.csc: PRESENT, world.health: PRESENT, world.school: Attendance.DID_NOT_ATTEND})
    html = client_for(world.users["strategy"]).get(reverse("conferences:attendance_report")).content.decode()
    assert "1 October 2026 to 24 November 2026" in html
    assert "Riverside School" in html
    assert str(world.case.child) not in html and world.case.child.family_name not in html


def test_the_attendance_report_refuses_a_period_that_ends_before_it_starts(world, client_for):
    response = client_for(world.users["strategy"]).get(reverse("conferences:attendance_report"), {"start": "2026-10-01", "end": "2026-09-30"})
    assert "The last day must be on or after the first day" in response.content.decode()
