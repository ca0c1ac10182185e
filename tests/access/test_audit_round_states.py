"""The access matrix for a case audit round's states (issue 17): before it starts, in progress, closed, and past its last day.

The main matrix (test_matrix.py) meets the auditors' pages with the round in progress. Here every kind of
user meets the sampled case's audit page, and `world.case`'s own page, in each state. What the rules say
(agencies/access.py, "Multi-agency case audits"):

* The audit page answers the round's auditors only while the round is in progress: 404 before it starts,
  after it closes and after its last day (the grant has ended), for them as for everyone else.
* The round's grant is the police auditor's (`outsider`) only way into `world.case`: the case page opens to
  them when the round starts and answers 404 again when it closes or its last day passes.
* Auditors whose agency is in the team (the school's DSL, the health manager) keep reading the case as
  before; the police officer with an admin grant (`granted`) is outside the round throughout: the round
  neither gives nor takes anything from them.
"""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessEvent, AuditAction
from quality.models import SampledCase
from tests.conftest import USER_KINDS
from tests.quality.builders import audit_round

from .matrix import CASE_VISIBLE, page

AUDITORS = frozenset({"outsider", "partner_dsl", "lead_manager"})
CASE_READERS_WITH_THE_ROUND = CASE_VISIBLE | {"outsider"}

STATES = {
    # state: (audit page, case page)
    "setup": (page(frozenset(), denied=404), page(CASE_VISIBLE, denied=404)),
    "in_progress": (page(AUDITORS, denied=404), page(CASE_READERS_WITH_THE_ROUND, denied=404)),
    "closed": (page(frozenset(), denied=404), page(CASE_VISIBLE, denied=404)),
    "past_last_day": (page(frozenset(), denied=404), page(CASE_VISIBLE, denied=404)),
}
CELLS = [(state, kind) for state in STATES for kind in USER_KINDS]


def _round_in(world, state):
    if state == "past_last_day":
        return audit_round(world, state="in_progress", ends_in_days=3)
    return audit_round(world, state=state)


@pytest.mark.parametrize(("state", "kind"), CELLS, ids=[f"{state}-{kind}" for state, kind in CELLS])
def test_audit_and_case_pages_by_round_state(world, client_for, state, kind):
    round_ = _round_in(world, state)
    sampled = SampledCase.objects.get(audit_round=round_)
    audit_expected, case_expected = STATES[state]
    moment = timezone.now() + timedelta(days=4) if state == "past_last_day" else timezone.now()
    with time_machine.travel(moment, tick=False):
        client = client_for(world.users[kind])  # signed in on the day, so the session is fresh
        audit_status = client.get(reverse("quality:audit_case", args=[sampled.pk])).status_code
        case_status = client.get(reverse("cases:case_detail", args=[world.case.pk])).status_code
    assert (audit_status, case_status) == (audit_expected[kind], case_expected[kind]), f"{kind} in a {state} round"


def test_an_auditor_refused_after_the_round_closes_leaves_one_denial_row(world, client_for):
    round_ = audit_round(world, state="closed")
    sampled = SampledCase.objects.get(audit_round=round_)
    outsider = world.users["outsider"]
    client = client_for(outsider)
    before = AccessEvent.objects.filter(user_id=outsider.pk).count()
    assert client.get(reverse("quality:audit_case", args=[sampled.pk])).status_code == 404
    rows = AccessEvent.objects.filter(user_id=outsider.pk).order_by("pk")[before:]
    assert [(row.action, row.object_type) for row in rows] == [(AuditAction.DENIED, "audit_case")]
