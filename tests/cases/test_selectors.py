"""Reads: scoped to what the user may see, bounded queries (repeat referrals: tests/referrals/test_selectors.py)."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agencies.models import Role
from cases.models import Relationship
from cases.selectors import agency_cases, case_page, family_view, my_cases
from concerns.selectors import concerns_for_case_page
from concerns.services import concern_amend
from households.services import ChildRelationship, adult_add
from oversight.selectors import oversights_for_case_page
from oversight.services import oversight_record
from plans.models import PlanKind
from plans.selectors import plans_for_case_page
from tests.factories import make_action, make_agency, make_case, make_child, make_concern, make_plan, make_user
from voice.selectors import voices_for_case_page
from voice.services import child_voice_record

from .conftest import TODAY

pytestmark = pytest.mark.django_db


# --- The case page -------------------------------------------------------------------------------


def add_case_work(world, plan, count, *, first=0):
    """`count` more concerns (each amended), ended plans, actions on `plan`, voices and oversights."""
    lead, manager = world.users["lead_practitioner"], world.users["lead_manager"]
    for number in range(first, first + count):
        concern = make_concern(world.case, lead, agencies_told=[world.school])
        concern_amend(actor=lead, concern=concern, reason="Typo", **{**_content(concern), "description": "Corrected"})
        child_voice_record(actor=lead, case=world.case, recorded_on=TODAY, what_was_said="Hungry", method="words")
        oversight_record(actor=manager, case=world.case, recorded_on=TODAY, decision="Go on", reasons="-", next_review_on=date(2026, 12, 24))
        started_on = date(2025, 1, 1) + timedelta(days=number)
        make_plan(world.case, kind=PlanKind.CHILD_IN_NEED, started_on=started_on, ended_on=started_on)
        make_action(plan, world.school, due_on=date(2026, 11, 1))


def _content(concern):
    return {
        "observed_on": concern.observed_on,
        "neglect_types": concern.neglect_types,
        "description": concern.description,
        "impact_on_child": concern.impact_on_child,
    }


def queries_for_case_page(world):
    user = world.users["lead_practitioner"]
    case_page(user=user, case=world.case)  # warm caches (content types) that are not per page
    with CaptureQueriesContext(connection) as queries:
        page = case_page(user=user, case=world.case)
        plans = plans_for_case_page(user=user, case=page.case, today=page.today)  # the page's plans (registered by plans/)
        concerns = concerns_for_case_page(user=user, case=page.case, today=page.today)  # its concerns (registered by concerns/)
        voices = voices_for_case_page(user=user, case=page.case, today=page.today)  # the child's voice (registered by voice/)
        oversights = oversights_for_case_page(user=user, case=page.case, today=page.today)  # oversight reviews (registered by oversight/)
        _touch_everything(page, plans, concerns, voices, oversights)
    return len(queries)


def _touch_everything(page, plans, concerns, voices, oversights):
    for plan in plans.plans:
        [(action.overdue, action.owner_agency.name) for action in plan.actions.all()]
    for concern in concerns.concerns:
        concern.latest_version.agency.name, concern.recorded_by.username, list(concern.agencies_told.all())
    for adult in page.adults:
        [link.child.given_name for link in adult.child_links.all()]
    [(voice.agency.name, voice.recorded_by.username) for voice in voices]
    [oversight.manager.username for oversight in oversights]
    [member.agency.name for member in page.team]
    page.case.child.family.name, page.case.lead_agency.name, page.case.lead_professional.username


def test_the_case_page_costs_the_same_queries_for_1_or_50_of_everything(world, household):
    plan = make_plan(world.case, started_on=date(2026, 2, 1))
    add_case_work(world, plan, 1)
    with_one = queries_for_case_page(world)
    add_case_work(world, plan, 49, first=1)
    assert queries_for_case_page(world) == with_one


@pytest.fixture
def household(world):
    """The world's child with a baby sibling whose only case (with police) the health lead cannot see, and their mother."""
    child = world.case.child
    sibling = make_child(given_name="Baby", family_name=child.family_name, date_of_birth=date(2025, 3, 1), family=child.family)
    make_case(world.police, child=sibling)
    mother = adult_add(
        actor=None,
        family=child.family,
        given_name="Jo",
        family_name=child.family_name,
        relationships=[ChildRelationship(child=child, relationship=Relationship.MOTHER), ChildRelationship(child=sibling, relationship=Relationship.MOTHER)],
    )
    return child, sibling, mother


def test_siblings_and_adults_name_only_children_the_user_may_see(world, household):
    child, sibling, mother = household
    page = case_page(user=world.users["lead_practitioner"], case=world.case)
    assert page.siblings == []
    assert [(adult, [link.child for link in adult.child_links.all()]) for adult in page.adults] == [(mother, [child])]


def test_childrens_social_care_sees_the_whole_household(world, household):
    child, sibling, mother = household
    view = family_view(user=world.users["csc_practitioner"], family_id=child.family_id)
    assert (view.children, view.adults) == ([child, sibling], [mother])


def test_a_household_whose_children_are_all_hidden_is_not_shown(world, household):
    child, _, _ = household
    assert family_view(user=world.users["strategy"], family_id=child.family_id) is None
    assert family_view(user=make_user(make_agency(), Role.PRACTITIONER), family_id=child.family_id) is None


# --- Work lists ----------------------------------------------------------------------------------


def test_my_cases_are_the_open_cases_i_lead(world):
    make_case(world.health)
    assert list(my_cases(user=world.users["lead_practitioner"])) == [world.case]


def test_a_manager_oversees_the_cases_their_agency_leads(world):
    make_case(world.police)
    assert list(agency_cases(user=world.users["lead_manager"])) == [world.case]


def test_a_childrens_social_care_manager_oversees_every_statutory_case(world):
    statutory = make_case(world.police, threshold="specialist")
    led_by_csc = make_case(world.csc)
    assert set(agency_cases(user=world.users["csc_manager"])) == {statutory, led_by_csc}


def test_practitioners_oversee_no_cases(world):
    assert not agency_cases(user=world.users["lead_practitioner"]).exists()
