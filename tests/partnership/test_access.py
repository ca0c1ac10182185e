"""The access rules for action plans (agencies/access.py, "Agency action plans"), for every kind of user."""

import pytest

from agencies import access
from tests.conftest import USER_KINDS

READERS = {"strategy", "admin"}


@pytest.mark.parametrize("kind", USER_KINDS)
def test_only_strategy_members_and_admins_read_the_plans(world, kind):
    assert access.can_read_action_plans(world.users[kind]) == (kind in READERS)


@pytest.mark.parametrize("kind", USER_KINDS)
def test_a_strategy_member_edits_their_own_agencys_plan_and_admins_every_plan(world, kind):
    user = world.users[kind]
    own, other, overarching = world.public_health.pk, world.police.pk, None
    expected = {"strategy": (True, False, False), "admin": (True, True, True)}.get(kind, (False, False, False))
    assert tuple(access.can_edit_action_plan_of(user, agency_id) for agency_id in (own, other, overarching)) == expected
