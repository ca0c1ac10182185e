"""The access matrix for case states: a CLOSED case and a RESTRICTED record, every user kind.

The main matrix (test_matrix.py) walks every route on an open case. Here the same kinds of user meet
`world.case` after it has closed, and a restricted chronology entry. What the rules say:

* A closed case stays readable by everyone who could read it (the team, children's social care,
  the grantee): it is the record of what happened.
* Nothing new is added to a closed case: starting a plan, recording the child's voice, reporting
  an action's progress and changing the lead are refused with a clear message (the form comes back
  with "This case is closed..."; the API answers 400 with the same message).
* A new concern is never refused for being late: it goes to the child's open case, or to a new case
  led by the closed case's lead agency, and the closed case's lead professional is told.
* Management oversight and referrals stay possible: a manager may review a closure, and a referral
  is about the child, not the episode.
* A restricted entry is read only by the recording agency, children's social care and agencies
  named on it; everyone else gets 404, as if it did not exist.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import CaseStatus
from cases.services import CLOSED_CASE, case_close
from chronologies.models import EntryKind
from concerns.models import Concern
from notifications.models import Notification
from plans.models import Plan, PlanAction
from plans.services import plan_end
from tests.chronologies.builders import make_entry
from tests.conftest import USER_KINDS
from tests.factories import make_action, make_plan
from voice.models import ChildVoice

from .matrix import CASE_LEAD_OVERSEERS, CASE_VISIBLE, api, page
from .routes_cases import LEADS, SCHOOL, SHARING_FIELDS, _visible_api, visible_only

# Issue 22 finding 2: the lead agency's managers and DSLs and children's social care's oversee and change the lead; a partner's DSL does not.
VISIBLE_OVERSEERS = CASE_LEAD_OVERSEERS


@dataclass(frozen=True)
class Cell:
    expected: dict
    kwargs: Callable
    data: Callable = lambda world, ids: {}
    encoding: str = "form"
    # Checked for users whose request was allowed: what happened (or did not) to the records.
    outcome: Callable = lambda world, ids, response: None


def _closed(world):
    """Close `world.case` with an ended plan and one school-owned action on it; return their ids."""
    plan = make_plan(world.case, started_on=date(2026, 2, 1))
    action = make_action(plan, owner_agency=world.school)
    plan_end(actor=world.users["csc_manager"], plan=plan, ended_on=date(2026, 3, 1), end_reason="Outcomes met")
    case_close(actor=world.users["lead_manager"], case=world.case, closed_on=timezone.localdate(), closure_reason="Needs met")
    return {"plan": plan, "action": action}


def case_id(world, ids):
    return {"case_id": world.case.pk}


def case_pk(world, ids):
    return {"pk": world.case.pk}


def _refused_with_the_closed_message(world, ids, response):
    body = response.content.decode()
    assert CLOSED_CASE.split(":")[0] in body, body[:400]


def _nothing_new(model, filters):
    def check(world, ids, response):
        _refused_with_the_closed_message(world, ids, response)
        assert not model.objects.filter(**filters(world, ids)).exists()

    return check


def _concern_went_to_an_open_case(world, ids, response):
    concern = Concern.objects.get()
    assert concern.case_id != world.case.pk and concern.case.status == CaseStatus.OPEN
    assert concern.case.child_id == world.case.child_id and concern.case.lead_agency_id == world.health.pk
    lead = world.users["lead_practitioner"]
    told = Notification.objects.filter(recipient=lead, subject=f"New concern after case {world.case.pk} closed").exists()
    assert told == (concern.recorded_by != lead)


def _shown_closed(world, ids, response):
    assert response.json()["status"] == "closed"


CONCERN_FORM = {
    "observed_on": "2026-11-20",
    "neglect_types": ["nutritional"],
    "description": "Hungry again at school",
    "impact_on_child": "Cannot concentrate",
    **SHARING_FIELDS,
}

CLOSED = {
    ("cases:case_detail", "GET"): Cell(page(CASE_VISIBLE, denied=404), case_id),
    ("api:case-detail", "GET"): Cell(api(CASE_VISIBLE), case_pk, outcome=_shown_closed),
    ("api:case-plans", "GET"): Cell(api(CASE_VISIBLE), case_pk),
    ("api:case-concerns", "GET"): Cell(api(CASE_VISIBLE), case_pk),
    ("cases:case_concern_new", "POST"): Cell(
        page(CASE_VISIBLE, allowed_status=302, denied=404), case_id, data=lambda w, ids: CONCERN_FORM, outcome=_concern_went_to_an_open_case
    ),
    ("api:concern-list", "POST"): Cell(
        api(CASE_VISIBLE, allowed_status=201),
        lambda w, ids: {},
        data=lambda w, ids: {**CONCERN_FORM, "child": w.case.child_id},
        encoding="json",
        outcome=_concern_went_to_an_open_case,
    ),
    ("cases:plan_new", "POST"): Cell(
        visible_only(LEADS),
        case_id,
        data=lambda w, ids: {"kind": "child_in_need", "started_on": "2026-11-02"},
        outcome=_nothing_new(Plan, lambda w, ids: {"kind": "child_in_need"}),
    ),
    ("cases:voice_new", "POST"): Cell(
        page(CASE_VISIBLE, denied=404),
        case_id,
        data=lambda w, ids: {"recorded_on": "2026-11-02", "speaker": "child", "what_was_said": "I'm hungry", "method": "words"},
        outcome=_nothing_new(ChildVoice, lambda w, ids: {}),
    ),
    ("cases:action_update", "POST"): Cell(
        visible_only(LEADS | SCHOOL),
        lambda w, ids: {"case_id": w.case.pk, "action_id": ids["action"].pk},
        data=lambda w, ids: {"status": "in_progress", "evidence": "", "version": 1},
        outcome=_nothing_new(PlanAction, lambda w, ids: {"status": "in_progress"}),
    ),
    ("api:case-action", "PATCH"): Cell(
        {**_visible_api(LEADS | SCHOOL), **dict.fromkeys(LEADS | SCHOOL, 400)},
        lambda w, ids: {"pk": w.case.pk, "action_id": ids["action"].pk},
        data=lambda w, ids: {"version": 1, "status": "in_progress"},
        encoding="json",
        outcome=_nothing_new(PlanAction, lambda w, ids: {"status": "in_progress"}),
    ),
    ("cases:reassign_lead", "POST"): Cell(
        visible_only(VISIBLE_OVERSEERS),
        case_id,
        data=lambda w, ids: {"lead_professional": w.users["lead_manager"].pk, "reason": "Cover", "version": w.case.version},
        outcome=_refused_with_the_closed_message,
    ),
    ("cases:oversight_new", "POST"): Cell(
        visible_only(VISIBLE_OVERSEERS) | dict.fromkeys(VISIBLE_OVERSEERS, 302),
        case_id,
        data=lambda w, ids: {"recorded_on": "2026-11-02", "decision": "Closure agreed", "reasons": "Needs met", "next_review_on": "2027-02-01"},
    ),
}
# Allowed users get the status above; the `outcome` check applies to those cells only.
ALLOWED = {
    "cases:case_concern_new": CASE_VISIBLE,
    "api:concern-list": CASE_VISIBLE,
    "cases:plan_new": LEADS,
    "cases:voice_new": CASE_VISIBLE,
    "cases:action_update": LEADS | SCHOOL,
    "api:case-action": LEADS | SCHOOL,
    "cases:reassign_lead": VISIBLE_OVERSEERS,
    "api:case-detail": CASE_VISIBLE,
}
CELLS = [(name, method, kind) for (name, method) in CLOSED for kind in USER_KINDS]


@pytest.mark.parametrize(("name", "method", "kind"), CELLS, ids=[f"closed-{n}-{m}-{k}" for n, m, k in CELLS])
def test_closed_case_matrix(world, client_for, name, method, kind):
    ids = _closed(world)
    world.case.refresh_from_db()
    cell = CLOSED[(name, method)]
    client = client_for(world.users[kind])
    url = reverse(name, kwargs=cell.kwargs(world, ids))
    data = cell.data(world, ids)
    if method == "GET":
        response = client.get(url)
    elif cell.encoding == "json":
        response = client.generic(method, url, json.dumps(data), content_type="application/json")
    else:
        response = client.post(url, data)
    assert response.status_code == cell.expected[kind], f"{kind} {method} {url}: {response.status_code}, expected {cell.expected[kind]}"
    if kind in ALLOWED.get(name, ()):
        cell.outcome(world, ids, response)


def test_every_case_state_cell_covers_every_kind_of_user():
    assert all(set(cell.expected) == set(USER_KINDS) for cell in CLOSED.values())


# --- A restricted record -----------------------------------------------------------------------------

# The police entry is recorded by `granted` (police, sees the case by grant); children's social care
# reads every restricted entry; the team (health lead, school) sees the case but not this entry.
RESTRICTED_READERS = frozenset({"granted", "csc_practitioner", "csc_manager"})


@pytest.mark.parametrize("kind", USER_KINDS)
def test_restricted_entry_matrix(world, client_for, kind):
    entry = make_entry(world.case.child, world.users["granted"], kind=EntryKind.POLICE_CALL_OUT, summary="Intelligence: adult with a record", restricted=True)
    response = client_for(world.users[kind]).get(reverse("api:chronology-entry-detail", kwargs={"pk": entry.pk}))
    assert response.status_code == api(RESTRICTED_READERS)[kind]


@pytest.mark.parametrize("kind", sorted(CASE_VISIBLE))
def test_a_restricted_entry_is_absent_from_the_chronology_page_of_those_not_allowed(world, client_for, kind):
    make_entry(world.case.child, world.users["granted"], kind=EntryKind.POLICE_CALL_OUT, summary="Intelligence: adult with a record", restricted=True)
    html = client_for(world.users[kind]).get(reverse("chronologies:child_chronology", kwargs={"child_id": world.case.child_id})).content.decode()
    assert ("Intelligence: adult with a record" in html) == (kind in RESTRICTED_READERS)
