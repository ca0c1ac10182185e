"""Test data built through the same services the product uses."""

import itertools
from datetime import date

from agencies.models import AgencyKind, Role
from agencies.services import agency_create, user_create
from cases.models import Threshold
from cases.services import case_open, child_create, family_create, team_add
from concerns.services import concern_record
from plans.models import CPCategory, PlanKind
from plans.services import plan_action_add, plan_end, plan_start
from referrals.services import referral_record
from sharing.models import FamilyInformed, LawfulBasis, SharingCondition
from sharing.services import SharingDetails

PASSWORD = "correct-Horse-battery-9"
_counter = itertools.count(1)


def make_agency(kind=AgencyKind.SCHOOL, name=None, **kwargs):
    return agency_create(name=name or f"{kind} {next(_counter)}", kind=kind, **kwargs)


def make_user(agency, role=Role.PRACTITIONER, username=None, **kwargs):
    username = username or f"user{next(_counter)}"
    return user_create(username=username, email=f"{username}@example.org", agency=agency, role=role, password=PASSWORD, **kwargs)


def make_child(given_name="Test", family_name=None, date_of_birth=date(2015, 6, 1), family=None, **kwargs):
    family_name = family_name or f"Child{next(_counter)}"
    if family is None:
        family = family_create(name=f"{family_name} household")
    return child_create(given_name=given_name, family_name=family_name, date_of_birth=date_of_birth, family=family, **kwargs)


def make_case(lead_agency, child=None, team=(), lead_professional=None, opened_on=date(2026, 1, 5), threshold=Threshold.TARGETED_EARLY_HELP):
    case = case_open(child=child or make_child(), lead_agency=lead_agency, lead_professional=lead_professional, opened_on=opened_on, threshold=threshold)
    for agency in team:
        team_add(case=case, agency=agency, reason="In the team for the test")
    return case


# The information-sharing decision every recorded concern needs (sharing/services.py).
SHARING = SharingDetails(
    reason="The team needs to know to keep the child safe",
    lawful_basis=LawfulBasis.PUBLIC_TASK,
    condition=SharingCondition.SAFEGUARDING,
    family_informed=FamilyInformed.YES,
)


def make_concern(case, recorded_by, observed_on=date(2026, 11, 1), neglect_types=("physical",), **kwargs):
    fields = {"description": "Arrived at school hungry and in the same clothes all week.", "impact_on_child": "Cannot concentrate; tired.", "sharing": SHARING}
    return concern_record(actor=recorded_by, case=case, observed_on=observed_on, neglect_types=list(neglect_types), **{**fields, **kwargs})


def make_plan(case, kind=PlanKind.CHILD_PROTECTION, cp_category=CPCategory.NEGLECT, started_on=date(2026, 2, 1), ended_on=None, actor=None):
    if kind != PlanKind.CHILD_PROTECTION:
        cp_category = ""
    plan = plan_start(actor=actor, case=case, kind=kind, cp_category=cp_category, started_on=started_on)
    if ended_on is not None:
        plan = plan_end(actor=actor, plan=plan, ended_on=ended_on, end_reason="Outcomes met")
    return plan


def make_action(plan, owner_agency, due_on=date(2026, 12, 1), actor=None, what="Weekly home visit"):
    return plan_action_add(actor=actor, plan=plan, what=what, outcome_for_child="Has breakfast every day", owner_agency=owner_agency, due_on=due_on)


def make_referral(child, recorded_by, referred_on=date(2026, 6, 1), case=None, is_neglect=True):
    """A referral by the recorder's own agency."""
    return referral_record(
        actor=recorded_by,
        child=child,
        case=case,
        referring_agency=recorded_by.membership.agency,
        referred_on=referred_on,
        is_neglect=is_neglect,
        reasons="Repeated hunger at school",
    )
