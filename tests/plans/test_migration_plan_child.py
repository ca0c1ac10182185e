"""plans/migrations/0003 fills each existing plan's child from its case, then requires it."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from agencies.models import AgencyKind
from tests.factories import make_agency, make_case, make_child

BEFORE = [("plans", "0002_content_types_follow_the_models"), ("cases", "0020_referrals_oversight_and_voice_moved_to_their_own_apps")]
AFTER = [("plans", "0003_plans_carry_their_child")]


def migrated_to(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_existing_plans_get_their_case_child():
    try:
        apps = migrated_to(BEFORE)
        Plan = apps.get_model("plans", "Plan")  # as it was: no child
        agency = make_agency(AgencyKind.CHILDRENS_SOCIAL_CARE)  # agencies, children and cases are as they were
        children = [make_child(given_name=name) for name in ("Ann", "Ben")]
        plans = [Plan.objects.create(case_id=make_case(agency, child=child).pk, kind="child_in_need", started_on=date(2026, 2, 1)) for child in children]

        apps = migrated_to(AFTER)
        Plan = apps.get_model("plans", "Plan")
        assert {plan.pk: Plan.objects.get(pk=plan.pk).child_id for plan in plans} == {plan.pk: child.pk for plan, child in zip(plans, children, strict=True)}
    finally:
        migrated_to(MigrationExecutor(connection).loader.graph.leaf_nodes())
