"""Authority is access (issue 22 finding 2; issue 15 item 1): who leads, oversees and decides.

`world.case` is led by community health; the school is a partner in the team. A partner agency's
designated safeguarding lead sees the case but may not take it over, record management oversight on
it, acknowledge its drift flags or record a conference's decisions. Every refusal answers 403 with the
reason on the page and writes exactly one audit row.
"""

import html
import json
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from agencies import access
from agencies.models import AgencyKind, Role
from audit.models import AccessEvent, AuditAction
from cases.models import Threshold
from drift.models import DriftAcknowledgement
from oversight.models import Oversight
from plans.models import PlanKind
from tests.conferences.builders import held_review
from tests.factories import make_case, make_plan, make_user

pytestmark = pytest.mark.django_db

OVERSEE_REASON = "oversee this case"
CHANGE_LEAD_REASON = "change who leads this case"
DECISION_REASON = "Conference decisions are recorded by children"


@pytest.fixture
def statutory_case(world):
    """A children's social care case at the specialist/statutory level, with the school in the team."""
    return make_case(world.csc, team=[world.school], threshold=Threshold.SPECIALIST, lead_professional=world.users["csc_practitioner"])


def _refused_once(client, method, url, data=None):
    """The response and the audit rows the request wrote."""
    before = AccessEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    response = client.get(url) if method == "GET" else client.post(url, data or {})
    rows = list(AccessEvent.objects.filter(id__gt=before))
    return response, rows


def _assert_refused(response, rows, reason):
    assert response.status_code == 403
    assert reason in html.unescape(response.content.decode())
    assert [row.action for row in rows] == [AuditAction.DENIED]
    assert reason in rows[0].detail


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_partner_dsl_cannot_make_their_agency_lead_of_a_statutory_case(world, client_for, statutory_case, method):
    dsl = world.users["partner_dsl"]
    data = {"lead_professional": dsl.pk, "reason": "I will lead", "version": statutory_case.version}
    response, rows = _refused_once(client_for(dsl), method, reverse("cases:reassign_lead", args=[statutory_case.pk]), data)
    _assert_refused(response, rows, CHANGE_LEAD_REASON)
    statutory_case.refresh_from_db()
    assert statutory_case.lead_agency == world.csc


def test_after_a_refused_takeover_the_partner_still_reads_no_lead_only_field(world, client_for, statutory_case):
    client = client_for(world.users["partner_dsl"])
    client.post(
        reverse("cases:reassign_lead", args=[statutory_case.pk]),
        {"lead_professional": world.users["partner_dsl"].pk, "reason": "I will lead", "version": statutory_case.version},
    )
    child = client.get(reverse("api:child-detail", args=[statutory_case.child_id])).json()
    assert not {"ethnicity", "disability", "gender"} & set(child)


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_partner_dsl_cannot_record_management_oversight_on_another_agencys_case(world, client_for, method):
    data = {"recorded_on": "2026-11-02", "decision": "Carry on", "reasons": "Fine", "next_review_on": "2027-02-01"}
    response, rows = _refused_once(client_for(world.users["partner_dsl"]), method, reverse("cases:oversight_new", args=[world.case.pk]), data)
    _assert_refused(response, rows, OVERSEE_REASON)
    assert not Oversight.objects.exists()


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_partner_dsl_cannot_acknowledge_a_drift_flag_on_another_agencys_case(world, client_for, method):
    data = {"reason": "Fine for now", "review_on": (timezone.localdate() + timedelta(days=14)).isoformat()}
    url = reverse("drift:acknowledge", args=[world.case.pk, "no_oversight"])
    response, rows = _refused_once(client_for(world.users["partner_dsl"]), method, url, data)
    _assert_refused(response, rows, OVERSEE_REASON)
    assert not DriftAcknowledgement.objects.exists()


@pytest.mark.parametrize("kind", ["partner_dsl", "lead_manager"])
def test_only_childrens_social_care_records_conference_decisions(world, client_for, kind):
    conference = held_review(world)
    response, rows = _refused_once(client_for(world.users[kind]), "GET", reverse("conferences:conference_decisions", args=[conference.pk]))
    _assert_refused(response, rows, DECISION_REASON)
    api = client_for(world.users[kind]).post(
        reverse("api:conference-decisions", args=[conference.pk]),
        json.dumps({"decisions": [{"case": world.case.pk, "decision": "plan_continued", "cp_category": "neglect"}]}),
        content_type="application/json",
    )
    assert api.status_code == 403
    assert DECISION_REASON in api.json()["detail"]
    assert not conference.links.exclude(decision="").exists()


def test_the_conference_chair_from_childrens_social_care_records_decisions(world, client_for):
    conference = held_review(world)
    conference.chair = world.users["csc_practitioner"]
    conference.save()
    assert client_for(world.users["csc_practitioner"]).get(reverse("conferences:conference_decisions", args=[conference.pk])).status_code == 200


def test_the_lead_agencys_manager_may_hand_a_statutory_case_only_to_childrens_social_care(world, client_for):
    make_plan(world.case, kind=PlanKind.CHILD_IN_NEED, started_on=date(2026, 2, 1))
    client = client_for(world.users["lead_manager"])
    url = reverse("cases:reassign_lead", args=[world.case.pk])
    refused = client.post(url, {"lead_professional": world.users["partner_dsl"].pk, "reason": "School", "version": world.case.version})
    assert refused.status_code == 200
    world.case.refresh_from_db()
    assert world.case.lead_agency == world.health
    moved = client.post(url, {"lead_professional": world.users["csc_practitioner"].pk, "reason": "Statutory now", "version": world.case.version})
    assert moved.status_code == 302
    world.case.refresh_from_db()
    assert world.case.lead_agency == world.csc


# --- The rules themselves (agencies/access.py), one truth table each ----------------------------------


def test_who_oversees_a_case(world):
    expected = {
        "lead_manager": True,
        "csc_manager": True,
        "partner_dsl": False,
        "lead_practitioner": False,
        "csc_practitioner": False,
        "granted": False,
        "outsider": False,
        "strategy": False,
        "admin": False,
        "auditor": False,
    }
    assert {kind: access.can_oversee(world.users[kind], world.case) for kind in expected} == expected
    assert {kind: access.can_change_lead(world.users[kind], world.case) for kind in expected} == expected


def test_statutory_work_is_the_specialist_level_or_a_statutory_plan(world):
    assert not access.is_statutory_case(world.case)
    make_plan(world.case, kind=PlanKind.EARLY_HELP, started_on=date(2026, 2, 1))
    assert not access.is_statutory_case(world.case)
    for kind in (PlanKind.CHILD_IN_NEED, PlanKind.CHILD_PROTECTION, PlanKind.LOOKED_AFTER, PlanKind.PRE_PROCEEDINGS):
        case = make_case(world.health)
        make_plan(case, kind=kind, started_on=date(2026, 2, 1))
        assert access.is_statutory_case(case), kind
    ended = make_case(world.health)
    make_plan(ended, kind=PlanKind.CHILD_PROTECTION, started_on=date(2026, 2, 1), ended_on=date(2026, 3, 1))
    assert not access.is_statutory_case(ended)
    specialist = make_case(world.health, threshold=Threshold.SPECIALIST)
    assert access.is_statutory_case(specialist)


def test_which_agency_may_lead(world, statutory_case):
    assert access.can_agency_lead(world.csc, statutory_case)
    assert not access.can_agency_lead(world.school, statutory_case)
    assert access.can_agency_lead(world.school, world.case) and access.can_agency_lead(world.police, world.case)


def test_who_records_conference_decisions(world):
    conference = held_review(world)
    other_csc_dsl = make_user(world.csc, Role.DSL)
    expected = {"csc_manager": True, "csc_practitioner": False, "lead_manager": False, "partner_dsl": False, "strategy": False, "admin": False}
    assert {kind: access.can_record_conference_decision(world.users[kind], conference) for kind in expected} == expected
    assert access.can_record_conference_decision(other_csc_dsl, conference)
    assert world.csc.kind == AgencyKind.CHILDRENS_SOCIAL_CARE


def test_the_access_layers_statutory_values_are_the_cases_apps():
    """agencies/access.py cannot import cases/ (it sits below it), so it names the values; they must stay the same."""
    assert access.STATUTORY_THRESHOLD == Threshold.SPECIALIST
    assert set(access.STATUTORY_PLAN_KINDS) == {PlanKind.CHILD_IN_NEED, PlanKind.CHILD_PROTECTION, PlanKind.LOOKED_AFTER, PlanKind.PRE_PROCEEDINGS}
