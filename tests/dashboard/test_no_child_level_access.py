"""A strategy member sees the dashboard's aggregates and never a child: every child-level URL refuses them."""

import pytest
from django.urls import reverse

from tests.access.test_matrix import ROUTES

TOOL_RUN_PAGES = {"case_runs", "run_start", "run_detail", "run_details", "run_area", "run_voice", "run_finalise", "child_progress"}
# Aggregates by agency that name no child: strategy members read them (tests/access/routes_conferences.py).
NOT_CHILD_LEVEL = {("conferences:attendance_report", "GET")}
CHILD_LEVEL = sorted(
    key
    for key in ROUTES
    if key not in NOT_CHILD_LEVEL
    and (key[0].split(":")[0] in ("cases", "chronologies", "conferences") or (key[0].startswith("tools:") and key[0].split(":")[1] in TOOL_RUN_PAGES))
)


def test_the_walk_covers_every_area():
    assert {name.split(":")[0] for name, _ in CHILD_LEVEL} == {"cases", "chronologies", "conferences", "tools"}


@pytest.mark.parametrize(("name", "method"), CHILD_LEVEL, ids=[f"{n}-{m}" for n, m in CHILD_LEVEL])
def test_a_strategy_member_reaches_no_child_level_page(world, client_for, name, method):
    """Every case, chronology, tool run or progress and conference URL answers 403 or 404 to a strategy member."""
    row = ROUTES[(name, method)]
    client = client_for(world.users["strategy"])
    url = reverse(name, kwargs=row.kwargs(world))
    response = client.get(url) if method == "GET" else client.post(url, row.data(world))
    assert response.status_code in (403, 404), f"{method} {url}: {response.status_code}"
