"""Invariants of plans and their actions: a child protection plan's category and census code, overdue actions."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from plans.models import ActionStatus, Plan, PlanAction, PlanKind
from plans.services import plan_action_update
from tests.factories import make_action, make_plan

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def test_a_child_protection_plan_stores_the_census_category_code(world):
    plan = make_plan(world.case, cp_category="emotional")
    plan.refresh_from_db()
    assert plan.cin_category_code == "EMO"


def test_a_child_protection_plan_needs_a_category():
    plan = Plan(kind=PlanKind.CHILD_PROTECTION, cp_category="", started_on=TODAY)
    with pytest.raises(ValidationError) as error:
        plan.clean()
    assert error.value.message_dict["cp_category"] == ["Choose the category of the child protection plan"]


def test_only_a_child_protection_plan_has_a_category():
    plan = Plan(kind=PlanKind.CHILD_IN_NEED, cp_category="neglect", started_on=TODAY)
    with pytest.raises(ValidationError) as error:
        plan.clean()
    assert error.value.message_dict["cp_category"] == ["Only a child protection plan has a category"]


@pytest.mark.parametrize(
    ("due_on", "status", "overdue"),
    [
        (TODAY - timedelta(days=1), ActionStatus.NOT_STARTED, True),
        (TODAY - timedelta(days=1), ActionStatus.IN_PROGRESS, True),
        (TODAY, ActionStatus.NOT_STARTED, False),
        (TODAY - timedelta(days=1), ActionStatus.DONE, False),
        (TODAY - timedelta(days=1), ActionStatus.DROPPED, False),
    ],
)
def test_an_action_is_overdue_when_unfinished_after_its_due_date(world, due_on, status, overdue):
    action = make_action(make_plan(world.case), world.health, due_on=due_on)
    action = plan_action_update(actor=None, action=action, status=status, evidence="Seen at home")
    annotated = PlanAction.objects.with_overdue_flag(TODAY).get(pk=action.pk)
    assert (action.is_overdue(TODAY), annotated.overdue) == (overdue, overdue)
