"""Overseers of every agency in the team see the red flags of its cases, not only the lead agency's (issue 14)."""

from datetime import date

import pytest

from drift.partner_flags import partner_red_flags
from tests.factories import make_case

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def test_a_partner_dsl_sees_the_red_flags_of_a_case_led_by_another_agency(world):
    # world.case, led by community health with the school in its team, opened 5 January 2026: the child not seen is red.
    [row] = partner_red_flags(user=world.users["partner_dsl"], today=TODAY)
    assert row.case == world.case and {flag.severity for flag in row.flags} == {"red"}
    assert "child_not_seen" in {flag.code for flag in row.flags}


def test_the_lead_agencys_own_cases_are_in_its_own_queue_not_here(world):
    assert partner_red_flags(user=world.users["lead_manager"], today=TODAY) == []


def test_cases_of_teams_the_agency_is_not_in_are_not_shown(world):
    make_case(world.police, opened_on=date(2026, 1, 5))
    assert [row.case for row in partner_red_flags(user=world.users["partner_dsl"], today=TODAY)] == [world.case]


def test_the_page_is_for_managers_and_dsls(world, client_for):
    assert client_for(world.users["partner_dsl"]).get("/drift/partner-red-flags/").status_code == 200
    assert client_for(world.users["partner_practitioner"]).get("/drift/partner-red-flags/").status_code == 403
