"""Plan services: the rules of starting and ending plans and of their actions."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from plans.models import ActionStatus, PlanKind
from plans.services import plan_action_update, plan_end, plan_start
from tests.factories import make_action, make_plan

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def test_a_child_protection_plan_cannot_start_without_a_category(world):
    with pytest.raises(ValidationError) as error:
        plan_start(actor=None, case=world.case, kind=PlanKind.CHILD_PROTECTION, started_on=TODAY)
    assert error.value.message_dict["cp_category"] == ["Choose the category of the child protection plan"]


def test_a_case_has_one_open_plan_of_a_kind(world):
    make_plan(world.case)
    with pytest.raises(ValidationError, match="already has an open plan of this kind"):
        make_plan(world.case, started_on=date(2026, 3, 1))


def test_a_plan_cannot_end_before_it_started(world):
    plan = make_plan(world.case, started_on=date(2026, 2, 1))
    with pytest.raises(ValidationError) as error:
        plan_end(actor=None, plan=plan, ended_on=date(2026, 1, 31), end_reason="Stepped down")
    assert error.value.message_dict["ended_on"] == ["The end date must be on or after the start date"]


def test_a_plan_can_end_on_the_day_it_started(world):
    plan = make_plan(world.case, started_on=date(2026, 2, 1))
    assert plan_end(actor=None, plan=plan, ended_on=date(2026, 2, 1), end_reason="Transferred").ended_on == date(2026, 2, 1)


def test_a_plan_ends_once(world):
    plan = make_plan(world.case, ended_on=date(2026, 5, 1))
    with pytest.raises(ValidationError, match="already ended"):
        plan_end(actor=None, plan=plan, ended_on=date(2026, 6, 1), end_reason="Again")


def test_ending_a_plan_needs_a_reason(world):
    plan = make_plan(world.case)
    with pytest.raises(ValidationError) as error:
        plan_end(actor=None, plan=plan, ended_on=TODAY, end_reason="")
    assert error.value.message_dict["end_reason"] == ["Say why the plan is ending"]


def test_an_action_goes_only_to_an_agency_in_the_team(world):
    with pytest.raises(ValidationError) as error:
        make_action(make_plan(world.case), world.police)
    assert "owner_agency" in error.value.message_dict


def test_an_ended_plan_takes_no_new_actions(world):
    plan = make_plan(world.case, ended_on=date(2026, 5, 1))
    with pytest.raises(ValidationError, match="ended"):
        make_action(plan, world.school)


def test_an_action_is_done_only_with_evidence(world):
    action = make_action(make_plan(world.case), world.school)
    with pytest.raises(ValidationError) as error:
        plan_action_update(actor=None, action=action, status=ActionStatus.DONE, evidence="")
    assert "evidence" in error.value.message_dict
