"""The manager queue: whose cases, in what order, filters and counts, and a query count that does not grow."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AccessEvent
from cases.models import Threshold
from cases.services import family_create
from drift.rules import (
    drift_acknowledge,
    drift_flags_for_cases,
    drift_queue,
    flags_for_case,
)
from tests.factories import make_action, make_case, make_child, make_plan
from tests.tools.builders import all_grades, final_run

from .builders import oversight_on, voice_on
from .conftest import TODAY

pytestmark = pytest.mark.django_db


def _case(world, *, locality="North", lead=None, threshold=Threshold.TARGETED_EARLY_HELP):
    child = make_child(family=family_create(name="A household", locality=locality))
    return make_case(lead or world.health, child=child, team=[world.school], threshold=threshold)


def test_cases_with_a_red_flag_come_first_oldest_red_first(world):
    user = world.users["lead_manager"]
    oversight_on(world, date(2026, 11, 20), manager="lead_manager")
    voice_on(world, date(2026, 11, 20))  # world.case: no flags
    newer_red, older_red = _case(world), _case(world)
    for case in (newer_red, older_red):
        voice_on_case(world, case)
    make_plan(newer_red, started_on=date(2025, 11, 1))  # cp_plan_duration red since 1 Nov 2026
    make_plan(older_red, started_on=date(2025, 10, 1))  # red since 1 Oct 2026
    queue = drift_queue(user=user)
    assert [row.case for row in queue.rows] == [older_red, newer_red]
    assert world.case not in [row.case for row in queue.rows]
    assert queue.cases_checked == 3


def test_an_acknowledged_flag_does_not_put_a_case_at_the_top(world):
    user = world.users["lead_manager"]
    acknowledged, amber_only = _case(world), _case(world)
    for case in (acknowledged, amber_only):
        voice_on_case(world, case)
        oversight_on_case(world, case)
    make_plan(acknowledged, started_on=date(2025, 1, 1))  # red, then acknowledged
    make_plan(amber_only, kind="child_in_need", started_on=date(2026, 1, 1))  # amber
    for case in (acknowledged, amber_only):
        final_run(case, world.users["lead_practitioner"], values=all_grades(3), on=TODAY)
    red = next(f for f in flags_for_case(user=user, case=acknowledged) if f.severity == "red")
    drift_acknowledge(actor=user, case=acknowledged, flag=red, reason="Care proceedings are being prepared", review_on=date(2026, 12, 8))
    order = [row.case for row in drift_queue(user=user).rows if row.case in (acknowledged, amber_only)]
    assert order == [amber_only, acknowledged]


def voice_on_case(world, case):
    from voice.models import VoiceMethod
    from voice.services import child_voice_record

    child_voice_record(actor=world.users["lead_practitioner"], case=case, recorded_on=TODAY, what_was_said="Fine", method=VoiceMethod.WORDS)


def oversight_on_case(world, case):
    from oversight.services import oversight_record

    oversight_record(actor=world.users["lead_manager"], case=case, recorded_on=TODAY, decision="Carry on", reasons="Steady", next_review_on=date(2027, 1, 1))


def test_filters_by_rule_team_and_locality_and_counts_per_rule(world):
    user = world.users["csc_manager"]
    north = _case(world, locality="North", threshold=Threshold.SPECIALIST)
    south = _case(world, locality="South", threshold=Threshold.SPECIALIST, lead=world.csc)
    make_plan(south, started_on=date(2025, 1, 1))
    everything = drift_queue(user=user)
    assert {row.case for row in everything.rows} == {north, south}  # statutory cases, whoever leads
    assert everything.counts["cp_plan_duration"] == 1 and everything.counts["no_oversight"] == 2
    assert [row.case for row in drift_queue(user=user, code="cp_plan_duration").rows] == [south]
    assert [row.case for row in drift_queue(user=user, team=world.health.pk).rows] == [north]
    by_locality = drift_queue(user=user, locality="South")
    assert [row.case for row in by_locality.rows] == [south] and by_locality.counts["no_oversight"] == 1
    assert everything.localities == ["North", "South"]


def _queries(user, case_ids):
    with CaptureQueriesContext(connection) as context:
        drift_flags_for_cases(user=user, case_ids=case_ids, today=TODAY)
    return len(context.captured_queries)


def _busy_case(world, number):
    """A case with something for every bulk read: plans, actions, runs, voices, oversight."""
    case = _case(world, threshold=Threshold.SPECIALIST)
    plan = make_plan(case, started_on=date(2025, 6, number % 28 + 1))
    make_action(plan, world.school, due_on=date(2026, 10, 1))
    final_run(case, world.users["csc_manager"], values=all_grades(3), on=date(2026, 7, 1))
    voice_on_case(world, case)
    return case


def test_the_number_of_queries_does_not_grow_with_the_number_of_cases(world):
    user = world.users["csc_manager"]
    one = [_busy_case(world, 0).pk]
    thirty = one + [_busy_case(world, number).pk for number in range(1, 30)]
    assert len(drift_flags_for_cases(user=user, case_ids=thirty, today=TODAY)) == 30
    assert _queries(user, thirty) == _queries(user, one)


def test_the_queue_page_shows_flags_and_audits_one_read(world, client_for):
    make_plan(world.case, started_on=date(2025, 10, 4))
    client = client_for(world.users["lead_manager"])
    before = AccessEvent.objects.count()
    response = client.get(reverse("drift:queue"), {"rule": "cp_plan_duration"})
    assert response.status_code == 200
    assert "Child protection plan for neglect open 13 months (since 4 Oct 2025)" in response.content.decode()
    events = list(AccessEvent.objects.order_by("pk")[before:])
    # The queue's read, then one row per child it listed (issue 22: "who looked at this child" includes lists).
    assert [(e.action, e.object_type, e.child_id) for e in events] == [("view", "drift_queue", None), ("view", "child_listed", world.case.child_id)]


def test_an_unknown_rule_in_the_query_shows_every_rule(world, client_for):
    response = client_for(world.users["lead_manager"]).get(reverse("drift:queue"), {"rule": "nonsense", "team": "x"})
    assert response.status_code == 200
    assert response.context["rule"] == "" and response.context["team"] is None
