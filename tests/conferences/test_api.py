"""The conference API: created, listed and updated through the access layer; field errors answer 400."""

import json
from datetime import date

import pytest
from django.urls import reverse

from conferences.models import Conference
from tests.factories import make_case, make_child

from .builders import held_review, make_conference


@pytest.fixture
def api_as(world, client_for):
    def call(kind, method, url, data=None):
        client = client_for(world.users[kind])
        if method == "GET":
            return client.get(url, data or {})
        return client.generic(method, url, json.dumps(data or {}), content_type="application/json")

    return call


def new_conference(world, **changes):
    return {
        "case": world.case.pk,
        "kind": "initial_cp",
        "held_on": "2026-11-30",
        "start_time": "09:30",
        "format": "virtual",
        "chair": world.users["csc_manager"].pk,
        "strategy_discussion_on": "2026-11-16",
        "invitations": [{"agency": world.csc.pk, "is_key_agency": True}, {"agency": world.school.pk, "is_key_agency": True, "invitee_name": "Ms Jones"}],
    } | changes


def test_scheduling_through_the_api(world, api_as):
    response = api_as("csc_practitioner", "POST", reverse("api:conference-list"), new_conference(world))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["kind"], body["report_due_on"], body["initial_due_on"], body["outside_timescale"]) == ("initial_cp", "2026-11-25", "2026-12-07", False)
    assert [child["case"] for child in body["children"]] == [world.case.pk]
    assert [(i["agency"]["name"], i["invited_person"]) for i in body["invitations"]] == [("Children's Social Care", ""), ("Riverside School", "Ms Jones")]


def test_invalid_input_answers_400_with_field_errors(world, api_as):
    response = api_as(
        "csc_practitioner",
        "POST",
        reverse("api:conference-list"),
        new_conference(world, strategy_discussion_on=None, kind="initial_cp", format="carrier pigeon"),
    )
    assert response.status_code == 400
    assert set(response.json()) == {"format"}
    response = api_as("csc_practitioner", "POST", reverse("api:conference-list"), new_conference(world, strategy_discussion_on=None))
    assert response.status_code == 400
    assert response.json() == {"strategy_discussion_on": ["Enter the date of the strategy discussion"]}
    assert not Conference.objects.exists()


def test_a_case_the_caller_cannot_see_answers_404(world, api_as):
    other = make_case(world.police)
    response = api_as("partner_dsl", "POST", reverse("api:conference-list"), new_conference(world, case=other.pk))
    assert response.status_code == 404


def test_the_list_and_the_detail_show_only_children_the_caller_can_see(world, api_as):
    brother_case = make_case(world.police, child=make_child(given_name="Ben", family=world.case.child.family))
    shared = make_conference(
        world.case,
        actor=world.users["csc_manager"],
        chair=world.users["csc_manager"],
        held_on=date(2026, 11, 17),
        siblings=[brother_case],
        invitations=[world.csc],
    )
    make_conference(brother_case, actor=world.users["csc_manager"], chair=world.users["csc_manager"], held_on=date(2026, 11, 17), invitations=[world.csc])
    listed = api_as("partner_practitioner", "GET", reverse("api:conference-list")).json()["results"]
    assert [conference["id"] for conference in listed] == [shared.pk]
    assert [child["case"] for child in listed[0]["children"]] == [world.case.pk]
    detail = api_as("csc_practitioner", "GET", reverse("api:conference-detail", args=[shared.pk])).json()
    assert {child["case"] for child in detail["children"]} == {world.case.pk, brother_case.pk}


def test_filtering_by_a_case_the_caller_cannot_see_lists_nothing(world, api_as):
    brother_case = make_case(world.police, child=make_child(given_name="Ben", family=world.case.child.family))
    make_conference(
        world.case,
        actor=world.users["csc_manager"],
        chair=world.users["csc_manager"],
        held_on=date(2026, 11, 17),
        siblings=[brother_case],
        invitations=[world.csc],
    )
    assert api_as("partner_practitioner", "GET", reverse("api:conference-list"), {"case": brother_case.pk}).json()["results"] == []
    assert len(api_as("partner_practitioner", "GET", reverse("api:conference-list"), {"case": world.case.pk}).json()["results"]) == 1


def test_recording_attendance_for_one_invitation(world, api_as):
    invitation = held_review(world).invitations.get(agency=world.school)
    url = reverse("api:conference-invitation-detail", args=[invitation.pk])
    refused = api_as("csc_practitioner", "PATCH", url, {"attendance": "did_not_attend"})
    assert refused.status_code == 400
    assert refused.json() == {"absence_impact": ["Describe the impact of Riverside School's absence on the conference"]}
    saved = api_as("csc_practitioner", "PATCH", url, {"attendance": "did_not_attend", "absence_impact": "No view on school attendance"})
    assert saved.status_code == 200
    assert (saved.json()["attendance"], saved.json()["report_on_time"]) == ("did_not_attend", None)


def test_a_decision_that_does_not_fit_the_conference_answers_400(world, api_as):
    conference = held_review(world)
    response = api_as(
        "csc_manager",
        "POST",
        reverse("api:conference-decisions", args=[conference.pk]),
        {"decisions": [{"case": world.case.pk, "decision": "plan_started", "cp_category": "neglect"}]},
    )
    assert response.status_code == 400
    assert response.json() == {"decision": ["A review child protection conference cannot decide this"]}


def test_inviting_an_agency_twice_answers_400(world, api_as):
    conference = held_review(world)
    response = api_as("csc_manager", "POST", reverse("api:conference-invitation-list"), {"conference": conference.pk, "agency": world.school.pk})
    assert response.status_code == 400
    assert response.json() == {"agency": ["Riverside School is already invited"]}


def test_a_named_invitee_must_work_for_the_agency(world, api_as):
    conference = held_review(world, agencies=[world.csc])
    response = api_as(
        "csc_manager",
        "POST",
        reverse("api:conference-invitation-list"),
        {"conference": conference.pk, "agency": world.school.pk, "invitee": world.users["lead_manager"].pk},
    )
    assert response.status_code == 400
    assert response.json() == {"invitee": ["Choose someone who works for Riverside School."]}
    response = api_as(
        "csc_manager",
        "POST",
        reverse("api:conference-invitation-list"),
        {"conference": conference.pk, "agency": world.school.pk, "invitee": world.users["partner_dsl"].pk},
    )
    assert response.status_code == 201
    assert response.json()["invitee"] == world.users["partner_dsl"].pk
