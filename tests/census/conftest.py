"""Synthetic histories for the census tests, built through the product's services."""

from datetime import date, time

import pytest

from cases.services import case_close
from cases.validators import upn_check_letter
from census.export import schema_path
from census.models import ReferralCensus
from conferences.models import Conference, ConferenceChild, ConferenceKind
from plans.models import CPCategory, PlanKind
from referrals.models import ReferralOutcome
from referrals.services import referral_record
from tests.conftest import require_or_skip
from tests.factories import make_case, make_child, make_plan

SCHEMA = schema_path()


def upn(digits):
    return upn_check_letter(digits) + digits


@pytest.fixture
def schema():
    if not SCHEMA.exists():
        require_or_skip(f"The DfE CIN schema is not at {SCHEMA}")
    return SCHEMA


def refer(world, child, on, *, case=None, agency=None, outcome="", outcome_on=None, is_neglect=True, **census):
    referral = referral_record(
        actor=world.users["csc_practitioner"],
        child=child,
        case=case,
        referring_agency=agency or world.school,
        referred_on=on,
        is_neglect=is_neglect,
        reasons="Hungry and unkempt",
        outcome=outcome,
        outcome_on=outcome_on,
    )
    if census:
        ReferralCensus.objects.create(referral=referral, **census)
    return referral


def conference(world, kind, held_on, cases, *, decision="", category="", strategy_on=None):
    chair = world.users["csc_manager"]
    meeting = Conference.objects.create(
        kind=kind,
        held_on=held_on,
        start_time=time(10),
        format="in_person",
        chair=chair,
        chair_agency=world.csc,
        strategy_discussion_on=strategy_on if kind == ConferenceKind.INITIAL else None,
        report_due_on=held_on,
        initial_due_on=held_on if kind == ConferenceKind.INITIAL else None,
        scheduled_by=chair,
    )
    for case in cases:
        ConferenceChild.objects.create(conference=meeting, case=case, decision=decision, cp_category=category)
    return meeting


@pytest.fixture
def valid_histories(world):
    """Varied histories across census year 2026 (1 April 2025 - 31 March 2026), each one complete
    enough for the DfE rules: the export of these must have zero ERROR-type issues."""
    made = {}
    coded = {"primary_need": "N1"}
    # 1. Assessed, CIN plan, closed in year with a reason.
    child = make_child("Ava", date_of_birth=date(2014, 3, 2), upn=upn("931000000012"), ethnicity="WBRI", sex="F")
    case = make_case(world.csc, child=child, opened_on=date(2025, 5, 1))
    refer(
        world,
        child,
        date(2025, 5, 1),
        case=case,
        outcome=ReferralOutcome.STATUTORY_ASSESSMENT,
        outcome_on=date(2025, 5, 2),
        assessment_authorised_on=date(2025, 6, 10),
        assessment_factors=["16A", "4B"],
        closure_reason="RC7",
        **coded,
    )
    make_plan(case, kind=PlanKind.CHILD_IN_NEED, started_on=date(2025, 6, 12), ended_on=date(2025, 12, 1))
    case_close(actor=world.users["csc_manager"], case=case, closed_on=date(2025, 12, 2), closure_reason="Needs met")
    made["closed"] = child
    # 2. Repeat CP plans with a category change at review; S47 from the referral, ICPC each time.
    child = make_child("Ben", date_of_birth=date(2019, 8, 9), sex="M", ethnicity="MWBC")
    case = make_case(world.csc, child=child, opened_on=date(2024, 1, 10))
    refer(world, child, date(2024, 1, 10), case=case, outcome=ReferralOutcome.STRATEGY_DISCUSSION_S47, outcome_on=date(2024, 1, 11), **coded)
    conference(world, ConferenceKind.INITIAL, date(2024, 2, 1), [case], decision="plan_started", category=CPCategory.NEGLECT, strategy_on=date(2024, 1, 11))
    make_plan(case, cp_category=CPCategory.NEGLECT, started_on=date(2024, 2, 1), ended_on=date(2024, 11, 1))
    conference(world, ConferenceKind.INITIAL, date(2025, 7, 1), [case], decision="plan_started", category=CPCategory.NEGLECT, strategy_on=date(2025, 6, 20))
    make_plan(case, cp_category=CPCategory.MULTIPLE, started_on=date(2025, 7, 1))
    conference(world, ConferenceKind.REVIEW, date(2025, 10, 1), [case], decision="category_changed", category=CPCategory.MULTIPLE)
    made["repeat_cp"] = child
    # 3. Unborn baby and a sibling: one initial conference for both (a sibling group), plans for both.
    family_child = make_child("Cara", date_of_birth=date(2021, 1, 5), sex="F")
    unborn = make_child("Baby", family_name=family_child.family_name, family=family_child.family, date_of_birth=date(2026, 5, 20), is_unborn=True, sex="U")
    cases = []
    for each in (family_child, unborn):
        sibling_case = make_case(world.csc, child=each, opened_on=date(2026, 1, 5))
        refer(
            world,
            each,
            date(2026, 1, 5),
            case=sibling_case,
            agency=world.health,
            outcome=ReferralOutcome.STRATEGY_DISCUSSION_S47,
            outcome_on=date(2026, 1, 6),
            **coded,
        )
        cases.append(sibling_case)
    conference(world, ConferenceKind.INITIAL, date(2026, 2, 2), cases, decision="plan_started", category=CPCategory.NEGLECT, strategy_on=date(2026, 1, 6))
    for each in cases:
        make_plan(each, cp_category=CPCategory.NEGLECT, started_on=date(2026, 2, 2))
    made["sibling"], made["unborn"] = family_child, unborn
    # 4. Referral closed at the front door (no further action).
    child = make_child("Dan", date_of_birth=date(2012, 1, 1), upn=upn("931000000022"))
    refer(world, child, date(2025, 9, 1), agency=world.police, outcome=ReferralOutcome.NO_FURTHER_ACTION, outcome_on=date(2025, 9, 3), closure_reason="RC8")
    made["nfa"] = child
    # 6. Closed before the census year: not in the return.
    child = make_child("Finn", date_of_birth=date(2015, 2, 2), upn=upn("931000000042"))
    case = make_case(world.csc, child=child, opened_on=date(2024, 5, 1))
    refer(world, child, date(2024, 5, 1), case=case, closure_reason="RC7", **coded)
    case_close(actor=world.users["csc_manager"], case=case, closed_on=date(2025, 2, 1), closure_reason="Needs met")
    made["before_year"] = child
    return made


@pytest.fixture
def histories(world, valid_histories):
    """The valid histories and one with gaps the data-quality list must name."""
    made = dict(valid_histories)
    # 5. A CP plan with no initial conference recorded (a data-quality problem), no census coding.
    child = make_child("Eve", date_of_birth=date(2016, 4, 4), upn=upn("931000000032"))
    case = make_case(world.csc, child=child, opened_on=date(2025, 11, 1))
    refer(world, child, date(2025, 11, 1), case=case)
    make_plan(case, cp_category=CPCategory.EMOTIONAL, started_on=date(2025, 11, 20))
    made["no_icpc"] = child
    return made
