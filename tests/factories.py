"""Test data built through the same services the product uses."""
import itertools
from datetime import date

from agencies.models import AgencyKind, Role
from agencies.services import agency_create, user_create
from cases.models import Threshold
from cases.services import case_open, child_create, family_create, team_add

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
