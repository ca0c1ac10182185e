"""The action-plan API: plans with current RAG and history; quarterly updates with 400 field errors and 409 conflicts."""

import pytest
from rest_framework.test import APIClient

from audit.models import AccessEvent, AuditAction
from partnership.models import Rag

from .conftest import make_row, make_update


def _client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def strategy(plans):
    return _client(plans.strategy)


@pytest.fixture
def row(plans):
    row = make_row(plans.own, plans.strategy)
    make_update(row, "2025-26-Q3", Rag.RED, "No trainers yet")
    make_update(row, "2025-26-Q4", Rag.AMBER, "One trainer found")
    return row


def _url(row):
    return f"/api/v1/action-plan-rows/{row.pk}/updates/"


def test_the_list_gives_each_plan_its_current_rag_counts(strategy, row, plans):
    plans_by_title = {plan["title"]: plan for plan in strategy.get("/api/v1/action-plans/").json()}
    assert plans_by_title["Public Health neglect action plan"]["counts"] == {"red": 0, "amber": 1, "green": 0, "complete": 0}
    assert plans_by_title["Overarching neglect strategy plan"]["is_overarching"] is True


def test_a_plan_gives_each_row_its_current_status_and_history_newest_first(strategy, row, plans):
    body = strategy.get(f"/api/v1/action-plans/{plans.own.pk}/").json()
    (only,) = body["rows"]
    assert (only["current_rag"], only["current_quarter"], only["current_progress"], only["version"]) == ("amber", "2025-26-Q4", "One trainer found", 1)
    assert [(u["quarter"], u["rag"]) for u in only["history"]] == [("2025-26-Q4", "amber"), ("2025-26-Q3", "red")]


def test_a_strategy_member_posts_an_update_for_their_own_agencys_row(strategy, row):
    before = AccessEvent.objects.filter(action=AuditAction.UPDATE).count()
    response = strategy.post(_url(row), {"quarter": "2026-27-Q1", "rag": "green", "progress": "Both trainers in post", "version": 1}, format="json")
    assert response.status_code == 201
    assert (response.json()["current_rag"], response.json()["version"], len(response.json()["history"])) == ("green", 2, 3)
    assert AccessEvent.objects.filter(action=AuditAction.UPDATE).count() - before == 1


def test_bad_input_answers_400_with_an_error_per_field(strategy, row):
    response = strategy.post(_url(row), {"quarter": "2026-27-Q3", "rag": "purple", "progress": ""}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"rag", "progress", "version"}
    assert row.updates.count() == 2


def test_a_quarter_that_has_not_started_answers_400_on_the_quarter(strategy, row):
    response = strategy.post(_url(row), {"quarter": "2026-27-Q3", "rag": "red", "progress": "Planned", "version": 1}, format="json")
    assert response.status_code == 400 and "has not started yet" in response.json()["quarter"][0]


def test_a_stale_version_answers_409_with_the_current_one(strategy, row, plans):
    _client(plans.admin).post(_url(row), {"quarter": "2026-27-Q1", "rag": "green", "progress": "Done", "version": 1}, format="json")
    response = strategy.post(_url(row), {"quarter": "2026-27-Q1", "rag": "red", "progress": "Stalled", "version": 1}, format="json")
    assert response.status_code == 409 and response.json()["current_version"] == 2
    assert row.updates.count() == 3


def test_another_agencys_row_is_readable_but_not_updatable(strategy, plans):
    other = make_row(plans.other, plans.admin)
    make_update(other, "2025-26-Q4", Rag.GREEN)
    assert strategy.get(f"/api/v1/action-plan-rows/{other.pk}/").status_code == 200
    response = strategy.post(_url(other), {"quarter": "2026-27-Q1", "rag": "red", "progress": "x", "version": 1}, format="json")
    assert response.status_code == 403 and other.updates.count() == 1


def test_a_row_that_does_not_exist_answers_404_to_a_reader(strategy):
    assert strategy.get("/api/v1/action-plan-rows/999999/").status_code == 404
