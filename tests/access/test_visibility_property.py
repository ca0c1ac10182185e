"""Property test: the case list equals what an independent oracle says each user may see.

Hypothesis draws random partnerships: cases led by random agencies, random teams, random explicit
grants to users and to agencies. The oracle restates the rule of docs/domain.md ("Access rules") in plain Python; the access
layer (SQL) and the API list must agree with it for every user.
"""

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agencies.access import case_grant, cases_visible_to
from agencies.models import AgencyKind, Role
from cases.models import Child, Family
from cases.services import case_open, team_add
from tests.conftest import sign_in_verified
from tests.factories import make_agency, make_user

AGENCY_KINDS = [AgencyKind.CHILDRENS_SOCIAL_CARE, AgencyKind.SCHOOL, AgencyKind.POLICE, AgencyKind.COMMUNITY_HEALTH]
ROLES = [Role.PRACTITIONER, Role.MANAGER, Role.DSL, Role.STRATEGY_MEMBER, Role.AUDITOR]

partnerships = st.fixed_dictionaries(
    {
        "cases": st.lists(
            st.tuples(st.integers(0, 3), st.sets(st.integers(0, 3), max_size=3)),  # (lead agency, team agencies)
            min_size=1,
            max_size=5,
        ),
        "users": st.lists(st.tuples(st.integers(0, 3), st.sampled_from(ROLES)), min_size=1, max_size=5),
        "user_grants": st.lists(st.tuples(st.integers(0, 4), st.integers(0, 4)), max_size=3),  # (user, case)
        "agency_grants": st.lists(st.tuples(st.integers(0, 3), st.integers(0, 4)), max_size=2),  # (agency, case)
    }
)


def oracle(user_agency, role, kind, case_specs, user_grants, agency_grants, user_index):
    """docs/domain.md, "Access rules": team agency, children's social care, or an explicit grant; case-working roles only."""
    if role not in (Role.PRACTITIONER, Role.MANAGER, Role.DSL):
        return set()
    visible = set()
    for index, (lead, team) in enumerate(case_specs):
        in_team = user_agency == lead or user_agency in team
        granted = (user_index, index) in user_grants or (user_agency, index) in agency_grants
        if kind == AgencyKind.CHILDRENS_SOCIAL_CARE or in_team or granted:
            visible.add(index)
    return visible


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(partnership=partnerships)
def test_visible_cases_match_the_oracle(partnership):
    from django.db import transaction

    with transaction.atomic():
        agencies = [make_agency(kind) for kind in AGENCY_KINDS]
        admin = make_user(agencies[0], Role.PARTNERSHIP_ADMIN)
        family = Family.objects.create(name="Property household")
        cases = []
        for index, (lead, team) in enumerate(partnership["cases"]):
            child = Child.objects.create(given_name=f"C{index}", family_name="Prop", date_of_birth=date(2015, 1, 1), family=family)
            case = case_open(child=child, lead_agency=agencies[lead], opened_on=date(2026, 1, 1), threshold="specialist")
            for member in team:
                team_add(case=case, agency=agencies[member], reason="property")
            cases.append(case)
        users = [make_user(agencies[a], role) for a, role in partnership["users"]]
        user_grants = {(u, c) for u, c in partnership["user_grants"] if u < len(users) and c < len(cases)}
        agency_grants = {(a, c) for a, c in partnership["agency_grants"] if c < len(cases)}
        for u, c in user_grants:
            case_grant(granted_by=admin, case=cases[c], user=users[u], reason="property")
        for a, c in agency_grants:
            case_grant(granted_by=admin, case=cases[c], agency=agencies[a], reason="property")

        for index, (user, (agency_index, role)) in enumerate(zip(users, partnership["users"])):
            expected = {cases[i].pk for i in oracle(agency_index, role, AGENCY_KINDS[agency_index], partnership["cases"], user_grants, agency_grants, index)}
            assert set(cases_visible_to(user).filter(pk__in=[c.pk for c in cases]).values_list("pk", flat=True)) == expected
        transaction.set_rollback(True)


@pytest.mark.django_db
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(team=st.sets(st.integers(0, 3), max_size=3), lead=st.integers(0, 3), viewer=st.integers(0, 3))
def test_api_case_list_matches_the_oracle(team, lead, viewer):
    from django.db import transaction
    from django.test import Client

    with transaction.atomic():
        agencies = [make_agency(kind) for kind in AGENCY_KINDS]
        child = Child.objects.create(given_name="Api", family_name="Prop", date_of_birth=date(2015, 1, 1))
        case = case_open(child=child, lead_agency=agencies[lead], opened_on=date(2026, 1, 1), threshold="specialist")
        for member in team:
            team_add(case=case, agency=agencies[member], reason="property")
        user = make_user(agencies[viewer], Role.PRACTITIONER)
        listed = {row["id"] for row in sign_in_verified(Client(), user).get("/api/v1/cases/").json()["results"]}
        expected = {case.pk} if oracle(viewer, Role.PRACTITIONER, AGENCY_KINDS[viewer], [(lead, team)], set(), set(), 0) else set()
        assert listed & {case.pk} == expected
        transaction.set_rollback(True)


sibling_conferences = st.fixed_dictionaries(
    {
        # One case per child of a household: (lead agency, team agencies), all covered by one conference.
        "cases": st.lists(st.tuples(st.integers(0, 3), st.sets(st.integers(0, 3), max_size=2)), min_size=2, max_size=3),
        "inviter": st.tuples(st.integers(0, 3), st.sampled_from([Role.MANAGER, Role.DSL])),
        "invited": st.integers(1, 3),  # not children's social care (agency 0), who are invited when it is scheduled
    }
)


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(drawn=sibling_conferences)
def test_an_invitation_to_a_sibling_conference_opens_only_what_the_inviter_sees(drawn):
    """Issue 22, finding 1: the invited agency joins the teams of the cases the inviter can see, and no other.

    The oracle: before, the inviter sees the cases `oracle` says; after, the invited agency's team
    rows are those cases plus the ones it was already in, and every user's visibility follows.
    """
    from django.db import transaction

    from conferences.services import InvitationRequest, invitation_add
    from tests.conferences.builders import make_conference

    with transaction.atomic():
        agencies = [make_agency(kind) for kind in AGENCY_KINDS]
        csc_manager = make_user(agencies[0], Role.MANAGER)
        family = Family.objects.create(name="Sibling household")
        cases = []
        for index, (lead, team) in enumerate(drawn["cases"]):
            child = Child.objects.create(given_name=f"S{index}", family_name="Prop", date_of_birth=date(2015, 1, 1 + index), family=family)
            case = case_open(child=child, lead_agency=agencies[lead], opened_on=date(2026, 1, 1), threshold="specialist")
            for member in team:
                team_add(case=case, agency=agencies[member], reason="property")
            cases.append(case)
        conference = make_conference(cases[0], actor=csc_manager, chair=csc_manager, held_on=date(2026, 12, 1), siblings=cases[1:], invitations=[agencies[0]])
        inviter_agency, inviter_role = drawn["inviter"]
        inviter = make_user(agencies[inviter_agency], inviter_role)
        seen_by_inviter = oracle(inviter_agency, inviter_role, AGENCY_KINDS[inviter_agency], drawn["cases"], set(), set(), 0)

        invited = drawn["invited"]
        invitation_add(actor=inviter, conference=conference, invitation=InvitationRequest(agency=agencies[invited]))

        after = [(lead, set(team) | ({invited} if index in seen_by_inviter else set())) for index, (lead, team) in enumerate(drawn["cases"])]
        for viewer in range(len(agencies)):
            user = make_user(agencies[viewer], Role.PRACTITIONER)
            expected = {cases[i].pk for i in oracle(viewer, Role.PRACTITIONER, AGENCY_KINDS[viewer], after, set(), set(), 0)}
            assert set(cases_visible_to(user).filter(pk__in=[c.pk for c in cases]).values_list("pk", flat=True)) == expected
        transaction.set_rollback(True)


def test_the_oracle_itself_on_a_hand_checked_example():
    assert oracle(1, Role.PRACTITIONER, AGENCY_KINDS[1], [(2, {1}), (3, set())], set(), set(), 0) == {0}
    assert oracle(0, Role.PRACTITIONER, AGENCY_KINDS[0], [(2, set())], set(), set(), 0) == {0}
    assert oracle(1, Role.STRATEGY_MEMBER, AGENCY_KINDS[1], [(1, set())], set(), set(), 0) == set()
