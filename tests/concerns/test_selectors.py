"""Concern reads: the case page's concerns with their amendments, the user's recent concerns."""

from datetime import date

import pytest

from concerns.selectors import concerns_for_case_page, my_recent_concerns
from concerns.services import concern_amend
from tests.cases.test_selectors import _content
from tests.factories import make_concern

from .conftest import TODAY

pytestmark = pytest.mark.django_db


# --- Repeat plans --------------------------------------------------------------------------------


# --- Repeat referrals ----------------------------------------------------------------------------


def test_the_case_page_shows_a_concern_with_its_amendments(world):
    lead = world.users["lead_practitioner"]
    concern = make_concern(world.case, lead)
    amendment = concern_amend(actor=lead, concern=concern, reason="Wrong date", **{**_content(concern), "observed_on": date(2026, 11, 2)})
    shown = concerns_for_case_page(user=lead, case=world.case, today=TODAY).concerns
    assert [c.pk for c in shown] == [concern.pk]
    assert (shown[0].observed_on, list(shown[0].amendments.all()), shown[0].latest_version) == (date(2026, 11, 1), [amendment], amendment)


def test_my_recent_concerns_are_the_ones_i_recorded(world):
    mine = make_concern(world.case, world.users["partner_practitioner"])
    make_concern(world.case, world.users["lead_practitioner"])
    assert list(my_recent_concerns(user=world.users["partner_practitioner"])) == [mine]
