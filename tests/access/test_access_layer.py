"""The access rules, tested directly on the access layer."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from agencies import access
from agencies.models import AgencyKind, Role
from audit.models import AccessEvent, AuditAction
from cases.services import team_add
from tests.factories import make_agency, make_case, make_user


def visible_ids(user):
    return set(access.cases_visible_to(user).values_list("pk", flat=True))


def test_team_agency_sees_the_case_and_outsider_does_not(world):
    assert world.case.pk in visible_ids(world.users["partner_practitioner"])
    assert world.case.pk not in visible_ids(world.users["outsider"])


def test_childrens_social_care_sees_every_case(world):
    other = make_case(world.police)
    assert {world.case.pk, other.pk} <= visible_ids(world.users["csc_practitioner"])


def test_explicit_grant_to_a_user_is_honoured_for_that_user_only(world):
    assert world.case.pk in visible_ids(world.users["granted"])
    assert world.case.pk not in visible_ids(world.users["outsider"])


def test_grant_to_an_agency_reaches_its_users(world):
    probation = make_agency(AgencyKind.PROBATION)
    officer = make_user(probation)
    access.case_grant(granted_by=world.users["admin"], case=world.case, agency=probation, reason="MAPPA")
    assert world.case.pk in visible_ids(officer)


def test_one_user_object_sees_what_changes_after_its_first_question(world):
    """The visible-cases conditions are built once per user object: teams, grants and roles changed since still count."""
    police = make_agency(AgencyKind.POLICE)
    officer = make_user(police)
    assert world.case.pk not in visible_ids(officer)
    team_add(case=world.case, agency=police, reason="Joined the team")
    assert world.case.pk in visible_ids(officer), "a team joined after the first question"
    other = make_case(make_agency(AgencyKind.HOUSING))
    access.case_grant(granted_by=world.users["admin"], case=other, user=officer, reason="Section 47 enquiry")
    assert other.pk in visible_ids(officer), "a grant made after the first question"
    officer.membership.role = Role.STRATEGY_MEMBER
    assert visible_ids(officer) == set(), "a role without case work, on the same object"
    officer.membership.role = Role.PRACTITIONER
    officer.membership.agency = make_agency(AgencyKind.SCHOOL)
    assert world.case.pk not in visible_ids(officer), "another agency's teams, on the same object"
    assert other.pk in visible_ids(officer), "the personal grant stays with the person"


@pytest.mark.parametrize("kind", ["strategy", "admin", "auditor", "superuser", "inactive"])
def test_roles_without_case_work_see_nothing(world, kind):
    assert visible_ids(world.users[kind]) == set()


def test_strategy_member_sees_nothing_even_when_granted(world):
    strategy = world.users["strategy"]
    access.case_grant(granted_by=world.users["admin"], case=world.case, user=strategy, reason="mistake")
    assert visible_ids(strategy) == set()


def test_only_partnership_admins_grant(world):
    with pytest.raises(PermissionDenied):
        access.case_grant(granted_by=world.users["lead_manager"], case=world.case, user=world.users["outsider"], reason="x")
    assert world.case.pk not in visible_ids(world.users["outsider"])


def test_model_level_permission_does_not_leak_every_row(world):
    """guardian's accept_global_perms default would list every case to a holder of cases.view_case."""
    from django.contrib.auth.models import Permission

    outsider = world.users["outsider"]
    outsider.user_permissions.add(Permission.objects.get(codename="view_case"))
    assert world.case.pk not in visible_ids(outsider)


def test_deactivated_agency_loses_access(world):
    world.school.is_active = False
    world.school.save()
    assert visible_ids(world.users["partner_practitioner"]) == set()


def test_access_case_not_visible_is_404_and_audited(world):
    with pytest.raises(Http404):
        access.access_case(world.users["outsider"], world.case.pk, action="view")
    denial = AccessEvent.objects.filter(action=AuditAction.DENIED, username="outsider").get()
    assert denial.object_id == str(world.case.pk)


def test_access_case_unknown_id_looks_the_same_as_not_visible(world):
    with pytest.raises(Http404) as unknown:
        access.access_case(world.users["outsider"], 999_999, action="view")
    with pytest.raises(Http404) as hidden:
        access.access_case(world.users["outsider"], world.case.pk, action="view")
    assert str(unknown.value) == str(hidden.value)


def test_visible_case_with_insufficient_role_is_403(world):
    with pytest.raises(PermissionDenied):
        access.access_case(world.users["partner_practitioner"], world.case.pk, action="oversee")


def test_manager_may_oversee(world):
    assert access.access_case(world.users["lead_manager"], world.case.pk, action="oversee") == world.case


def test_allowed_read_writes_one_view_event(world):
    before = AccessEvent.objects.count()
    access.access_case(world.users["lead_practitioner"], world.case.pk, action="view")
    assert AccessEvent.objects.count() == before + 1
    event = AccessEvent.objects.first()
    assert (event.action, event.username, event.child_id, event.role) == ("view", "lead_practitioner", world.case.child_id, Role.PRACTITIONER)


def test_children_visible_follow_cases(world):
    assert set(access.children_visible_to(world.users["partner_practitioner"]).values_list("pk", flat=True)) == {world.case.child_id}
    assert not access.children_visible_to(world.users["outsider"]).exists()


def test_unknown_action_is_a_programming_error(world):
    with pytest.raises(ValueError):
        access.access_case(world.users["lead_manager"], world.case.pk, action="delete")
