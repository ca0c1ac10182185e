"""Property test: the row-level restricted-entry rule equals `chronology_entries_visible_to` (issue 18).

`restricted_entry_readable` restates, as a condition on the entry row, which restricted entries a user
may read, so `record_hidden_from` and `household_entries_counted_for` no longer list every restricted
entry the agency may read in the partnership (`pk__in`). Hypothesis draws random partnerships:
households of children, cases led by random agencies with random teams, explicit grants, restricted
and open entries recorded by random agencies and shared with random others, and users of every agency
kind and role. For each user, the new conditions must select exactly the rows the old `pk__in`
formulations over `chronology_entries_visible_to` select.
"""

from datetime import date

import pytest
from django.apps import apps
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agencies.access import (
    can_see_case_work,
    case_grant,
    cases_visible_to,
    children_visible_to,
    chronology_entries_visible_to,
    household_entries_counted_for,
    record_hidden_from,
    restricted_entries_hidden_from,
)
from agencies.models import AgencyKind, Role
from cases.models import Case, Child, Family
from cases.services import case_open, team_add
from chronologies.models import ChronologyEntry, EntryKind
from tests.factories import make_agency, make_user

AGENCY_KINDS = [AgencyKind.CHILDRENS_SOCIAL_CARE, AgencyKind.SCHOOL, AgencyKind.POLICE, AgencyKind.COMMUNITY_HEALTH]
ROLES = [Role.PRACTITIONER, Role.MANAGER, Role.DSL, Role.STRATEGY_MEMBER, Role.AUDITOR]

partnerships = st.fixed_dictionaries(
    {
        # (household 0-1, lead agency or None for a child with no case, team agencies)
        "children": st.lists(
            st.tuples(st.integers(0, 1), st.one_of(st.none(), st.integers(0, 3)), st.sets(st.integers(0, 3), max_size=2)),
            min_size=1,
            max_size=5,
        ),
        # (child, recording agency, restricted, agencies it is shared with)
        "entries": st.lists(
            st.tuples(st.integers(0, 4), st.integers(0, 3), st.booleans(), st.sets(st.integers(0, 3), max_size=2)),
            max_size=10,
        ),
        "users": st.lists(st.tuples(st.integers(0, 3), st.sampled_from(ROLES)), min_size=1, max_size=5),
        "agency_grants": st.lists(st.tuples(st.integers(0, 3), st.integers(0, 4)), max_size=2),  # (agency, child's case)
        "user_grants": st.lists(st.tuples(st.integers(0, 4), st.integers(0, 4)), max_size=2),  # (user, child's case)
    }
)


def old_record_hidden_from(user):
    """`record_hidden_from` as it was before issue 18: restricted entries excluded by `pk__in` the visible ones."""
    readable_restricted = chronology_entries_visible_to(user).filter(restricted=True).values("pk")
    hidden_entry = ChronologyEntry.objects.filter(child_id=OuterRef("child_id"), restricted=True).exclude(pk__in=readable_restricted)
    run_model = apps.get_model("tools.AssessmentRun")
    hidden_run = run_model.objects.filter(case__child_id=OuterRef("child_id")).exclude(case__in=cases_visible_to(user).values("pk"))
    hidden_sibling = (
        Child.objects.filter(family_id=OuterRef("child__family_id")).exclude(pk=OuterRef("child_id")).exclude(pk__in=children_visible_to(user).values("pk"))
    )
    hidden_sibling_entry = ChronologyEntry.objects.filter(child__family_id=OuterRef("child__family_id"), restricted=True).exclude(pk__in=readable_restricted)
    hidden_sibling_run = run_model.objects.filter(case__child__family_id=OuterRef("child__family_id")).exclude(case__in=cases_visible_to(user).values("pk"))
    return Exists(hidden_entry) | Exists(hidden_run) | Exists(hidden_sibling) | Exists(hidden_sibling_entry) | Exists(hidden_sibling_run)


def pks(queryset):
    return set(queryset.values_list("pk", flat=True))


@pytest.mark.django_db
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(partnership=partnerships)
def test_row_level_restricted_rule_selects_what_chronology_entries_visible_to_selects(partnership):
    with transaction.atomic():
        agencies = [make_agency(kind) for kind in AGENCY_KINDS]
        admin = make_user(agencies[0], Role.PARTNERSHIP_ADMIN)
        families = [Family.objects.create(name=f"Property household {n}") for n in range(2)]
        children, cases = [], []
        for index, (household, lead, team) in enumerate(partnership["children"]):
            child = Child.objects.create(given_name=f"C{index}", family_name="Prop", date_of_birth=date(2015, 1, 1), family=families[household])
            children.append(child)
            if lead is None:
                cases.append(None)
                continue
            case = case_open(child=child, lead_agency=agencies[lead], opened_on=date(2026, 1, 1), threshold="specialist")
            for member in team:
                team_add(case=case, agency=agencies[member], reason="property")
            cases.append(case)
        users = [make_user(agencies[a], role) for a, role in partnership["users"]]
        for a, c in partnership["agency_grants"]:
            if c < len(cases) and cases[c] is not None:
                case_grant(granted_by=admin, case=cases[c], agency=agencies[a], reason="property")
        for u, c in partnership["user_grants"]:
            if u < len(users) and c < len(cases) and cases[c] is not None:
                case_grant(granted_by=admin, case=cases[c], user=users[u], reason="property")
        for number, (c, recorder, restricted, shared) in enumerate(partnership["entries"]):
            if c >= len(children):
                continue
            entry = ChronologyEntry.objects.create(
                child=children[c],
                agency=agencies[recorder],
                occurred_on=date(2026, 2, 1),
                kind=EntryKind.HOME_VISIT,
                summary=f"Entry {number}",
                impact_on_child="Property.",
                restricted=restricted,
            )
            entry.shared_with.set([agencies[a] for a in shared])

        everything = ChronologyEntry.objects.all()
        family_ids = {family.pk for family in families}
        for user in users:
            visible = pks(chronology_entries_visible_to(user))
            restricted = pks(everything.filter(restricted=True))
            assert pks(restricted_entries_hidden_from(user, everything)) == restricted - visible
            readable_restricted = chronology_entries_visible_to(user).filter(restricted=True).values("pk")
            old_counted = everything.filter(child__family_id__in=family_ids).filter(Q(restricted=False) | Q(pk__in=readable_restricted))
            if not can_see_case_work(user):
                old_counted = everything.none()
            assert pks(household_entries_counted_for(user, family_ids)) == pks(old_counted)
            assert pks(Case.objects.filter(record_hidden_from(user))) == pks(Case.objects.filter(old_record_hidden_from(user)))
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_a_hand_checked_example():
    """Police records a restricted entry shared with health: school on the team may not read it, health and CSC may."""
    csc, school, police, health = (make_agency(kind) for kind in AGENCY_KINDS)
    child = Child.objects.create(given_name="Hand", family_name="Checked", date_of_birth=date(2015, 1, 1))
    case = case_open(child=child, lead_agency=csc, opened_on=date(2026, 1, 1), threshold="specialist")
    for agency in (school, police, health):
        team_add(case=case, agency=agency, reason="property")
    entry = ChronologyEntry.objects.create(
        child=child, agency=police, occurred_on=date(2026, 2, 1), kind=EntryKind.HOME_VISIT, summary="Intelligence", impact_on_child="Risk.", restricted=True
    )
    entry.shared_with.set([health])
    readers = {agency.kind: make_user(agency, Role.PRACTITIONER) for agency in (csc, school, police, health)}
    hidden = {kind: pks(restricted_entries_hidden_from(user, ChronologyEntry.objects.all())) for kind, user in readers.items()}
    assert hidden == {AgencyKind.CHILDRENS_SOCIAL_CARE: set(), AgencyKind.SCHOOL: {entry.pk}, AgencyKind.POLICE: set(), AgencyKind.COMMUNITY_HEALTH: set()}
    assert Case.objects.filter(record_hidden_from(readers[AgencyKind.SCHOOL])).filter(pk=case.pk).exists()
    assert not Case.objects.filter(record_hidden_from(readers[AgencyKind.COMMUNITY_HEALTH])).filter(pk=case.pk).exists()
    auditor = make_user(school, Role.AUDITOR)
    assert pks(restricted_entries_hidden_from(auditor, ChronologyEntry.objects.all())) == {entry.pk}
