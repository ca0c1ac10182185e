"""A plan carries its case's child (`Plan.child`): set when the plan is made, never another child's."""

import pytest
from django.db import IntegrityError, connection, transaction

from cases.models import Case
from plans.models import Plan, PlanKind
from plans.services import plan_start
from tests.factories import make_case, make_child, make_plan

from .conftest import TODAY

pytestmark = pytest.mark.django_db

needs_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="the key over (case, child) is PostgreSQL's (plans/migrations/0003)")


def test_a_started_plan_carries_its_case_child(world):
    plan = plan_start(actor=world.users["csc_manager"], case=world.case, kind=PlanKind.CHILD_IN_NEED, started_on=TODAY)
    plan.refresh_from_db()
    assert plan.child_id == world.case.child_id


def test_a_plan_made_directly_takes_the_child_from_its_case_whatever_it_was_given(world):
    other = make_child(given_name="Other")
    plan = Plan.objects.create(case=world.case, child=other, kind=PlanKind.EARLY_HELP, started_on=TODAY)
    assert Plan.objects.get(pk=plan.pk).child_id == world.case.child_id


def immediately(cursor):
    cursor.execute("SET CONSTRAINTS plan_child_is_its_case_child IMMEDIATE")


@needs_postgresql
def test_the_database_refuses_a_plan_naming_another_child_than_its_case(world):
    plan = make_plan(world.case)
    other = make_child(given_name="Other")
    with pytest.raises(IntegrityError, match="plan_child_is_its_case_child"), transaction.atomic(), connection.cursor() as cursor:
        immediately(cursor)
        Plan.objects.filter(pk=plan.pk).update(child=other)


@needs_postgresql
def test_the_database_refuses_to_move_a_case_with_plans_to_another_child(world):
    make_plan(world.case)
    other = make_child(given_name="Other")
    with pytest.raises(IntegrityError, match="plan_child_is_its_case_child"), transaction.atomic(), connection.cursor() as cursor:
        immediately(cursor)
        Case.objects.filter(pk=world.case.pk).update(child=other)


def test_a_case_without_plans_may_still_be_corrected_to_another_child(world):
    case = make_case(world.csc)
    other = make_child(given_name="Other")
    Case.objects.filter(pk=case.pk).update(child=other)
    assert Case.objects.get(pk=case.pk).child_id == other.pk
