"""The partnership's learning review, replayed in the sibling shape (issue 14, "Done means").

The school worried about Ellie (14): head lice and poor hygiene. Housing, who cannot see either
child's record, worried about Noah (3): dirty, unhygienic conditions at home. Same household, no
Early Help Assessment. Before issue 14 no rule added the two up. Now a family-wide flag shows on both
cases (naming, to each reader, only what they may see), the front door gets an item for the
household, and a named person is told.
"""

from datetime import date

import pytest

from agencies.models import AgencyKind, Role
from cases.selectors import ChildIdentifiers
from cases.services import family_create
from concerns.services import concern_record, concern_record_for_identifiers
from drift.rules import flags_for_case
from frontdoor.models import FlagNotice, FrontDoorItem, ItemKind
from frontdoor.refresh import front_door_flags_refresh, household_open_case_ids
from notifications.models import Notification
from tests.factories import SHARING, make_agency, make_case, make_child, make_user
from tests.tools.builders import final_run, published

pytestmark = pytest.mark.django_db

FAMILY_FLAG = "family_concerns"


@pytest.fixture
def brook(world):
    """Ellie's case is led by the school (no lead professional yet); Noah's by community health, Leah Lead his lead professional."""
    family = family_create(name="Brook household", address="12 Example Road", postcode="ZZ1 1AA")
    ellie = make_child("Ellie", "Brook", date(2012, 5, 14), family=family)
    noah = make_child("Noah", "Brook", date(2023, 2, 2), family=family)
    school_case = make_case(world.school, child=ellie, opened_on=date(2026, 9, 1))
    health_case = make_case(world.health, child=noah, opened_on=date(2026, 9, 1), lead_professional=world.users["lead_practitioner"])
    housing = make_agency(AgencyKind.HOUSING, name="County Housing")
    officer = make_user(housing, Role.PRACTITIONER, "housing_officer", first_name="Hal", last_name="Housing")
    return family, school_case, health_case, officer


@pytest.fixture
def the_review(world, brook):
    family, school_case, health_case, officer = brook
    teacher = world.users["partner_practitioner"]
    concern_record(
        actor=teacher,
        case=school_case,
        observed_on=date(2026, 10, 20),
        neglect_types=["physical"],
        sharing=SHARING,
        description="Head lice again. Poor hygiene: her clothes smelt unwashed.",
        impact_on_child="Other children avoid her.",
    )
    concern_record(
        actor=teacher,
        case=school_case,
        observed_on=date(2026, 11, 10),
        neglect_types=["physical"],
        sharing=SHARING,
        description="Head lice still untreated and hygiene poor.",
        impact_on_child="Scratching, cannot concentrate.",
    )
    noah = health_case.child
    concern_record_for_identifiers(
        actor=officer,
        identifiers=ChildIdentifiers(given_name="Noah", family_name="Brook", date_of_birth=noah.date_of_birth),
        observed_on=date(2026, 11, 16),
        neglect_types=["physical"],
        sharing=SHARING,
        description="Dirty, unhygienic conditions around the 3-year-old: rubbish on the floor, no heating.",
        impact_on_child="Noah was cold and grubby.",
    )
    return brook


def _flag(user, case):
    return next((flag for flag in flags_for_case(user=user, case=case) if flag.code == FAMILY_FLAG), None)


def test_no_rule_about_one_child_fires(world, the_review):
    _family, school_case, health_case, _officer = the_review
    for case in (school_case, health_case):
        assert "cumulative_concerns" not in {flag.code for flag in flags_for_case(user=world.users["csc_manager"], case=case)}


def test_a_family_wide_flag_shows_on_both_cases(world, the_review):
    _family, school_case, health_case, _officer = the_review
    for case in (school_case, health_case):
        flag = _flag(world.users["csc_manager"], case)
        assert flag.severity == "red" and flag.since == date(2026, 11, 16)
        assert flag.reason.startswith("3 concerns or significant events about 2 children of the household, from 2 agencies, in the last 6 months.")
        assert "Recurring across the children: physical neglect and hygiene." in flag.reason
        assert "No Early Help Assessment for the household since 24 May 2026." in flag.reason


def test_the_school_sees_the_flag_naming_only_what_it_may_see(world, the_review):
    _family, school_case, _health_case, _officer = the_review
    flag = _flag(world.users["partner_dsl"], school_case)
    assert (
        "You can see 2 of them (about Ellie Brook; recorded by Riverside School); 1 more is about another child of the household whose record you cannot see."
        in flag.reason
    )
    assert "Noah" not in flag.reason and "County Housing" not in flag.reason
    assert len(flag.evidence) == 2


def test_the_younger_childs_lead_sees_it_without_the_older_childs_details(world, the_review):
    _family, _school_case, health_case, _officer = the_review
    flag = _flag(world.users["lead_practitioner"], health_case)
    assert "about Noah Brook; recorded by County Housing" in flag.reason and "Ellie" not in flag.reason and "Riverside" not in flag.reason


def test_the_front_door_gets_one_item_for_the_household_and_a_named_person_is_told(world, the_review):
    family, school_case, health_case, _officer = the_review
    result = front_door_flags_refresh(case_ids=household_open_case_ids([school_case.child_id]))
    item = FrontDoorItem.objects.get(kind=ItemKind.FAMILY_FLAG)
    assert (item.family, item.case, item.flag_code, item.due_on) == (family, None, FAMILY_FLAG, date(2026, 11, 27))
    # Noah's lead professional by name; Ellie's case has none, so the school's designated safeguarding lead.
    assert Notification.objects.filter(recipient=world.users["lead_practitioner"], subject__startswith=f"Red flag on case {health_case.pk}").exists()
    assert Notification.objects.filter(recipient=world.users["partner_dsl"], subject__startswith=f"Red flag on case {school_case.pk}").exists()
    assert Notification.objects.filter(recipient=world.users["csc_manager"], link=f"/front-door/items/{item.pk}/").exists()
    # Each case's other red flags (neither child seen for six weeks) are told and queued too; the household's flag once.
    # (The school's concerns on Ellie's case, which has no lead professional, were already with the front door.)
    assert FlagNotice.objects.filter(code=FAMILY_FLAG).count() == 2
    assert result["items"] == FrontDoorItem.objects.exclude(kind=ItemKind.NO_LEAD_CONCERN).count() == 3
    assert FrontDoorItem.objects.filter(kind=ItemKind.NO_LEAD_CONCERN, case=school_case).count() == 1


def test_looking_again_tells_nobody_twice(world, the_review):
    _family, school_case, _health_case, _officer = the_review
    case_ids = household_open_case_ids([school_case.child_id])
    front_door_flags_refresh(case_ids=case_ids)
    before = Notification.objects.count()
    assert front_door_flags_refresh(case_ids=case_ids) == {"told": 0, "items": 0}
    assert Notification.objects.count() == before
    assert FlagNotice.objects.filter(code=FAMILY_FLAG).count() == 2


def test_an_early_help_assessment_for_either_child_answers_the_flag(world, the_review):
    published("eha")
    _family, school_case, health_case, _officer = the_review
    eha = published("eha")
    final_run(health_case, world.users["lead_practitioner"], "eha", values={area.id: "Written answer" for area in eha.parsed.areas}, on=date(2026, 11, 20))
    assert _flag(world.users["csc_manager"], school_case) is None


def test_the_housing_concern_reached_the_younger_childs_lead_professional(world, the_review):
    _family, _school_case, health_case, _officer = the_review
    assert Notification.objects.filter(recipient=world.users["lead_practitioner"], subject=f"New concern on case {health_case.pk}").exists()


def test_one_child_alone_is_not_a_family_pattern(world, brook):
    _family, school_case, _health_case, _officer = brook
    for day in (date(2026, 10, 20), date(2026, 11, 1)):
        concern_record(
            actor=world.users["partner_practitioner"],
            case=school_case,
            observed_on=day,
            neglect_types=["physical"],
            sharing=SHARING,
            description="Head lice.",
            impact_on_child="Itchy.",
        )
    assert _flag(world.users["csc_manager"], school_case) is None


def test_a_decided_flag_is_not_queued_again_while_it_lasts(world, the_review):
    from frontdoor.services import front_door_decide

    _family, school_case, _health_case, _officer = the_review
    case_ids = household_open_case_ids([school_case.child_id])
    front_door_flags_refresh(case_ids=case_ids)
    item = FrontDoorItem.objects.get(kind=ItemKind.FAMILY_FLAG)
    front_door_decide(actor=world.users["csc_manager"], item=item, outcome="cin_assessment", threshold="specialist", reasons="Assess both children")
    front_door_flags_refresh(case_ids=case_ids)
    assert FrontDoorItem.objects.filter(kind=ItemKind.FAMILY_FLAG).count() == 1
