"""A hand-built county for the dashboard: every figure in test_selectors.py is counted by hand from here.

Quarter under test: 2025-26-Q4 (1 January to 31 March 2026, the financial year's end), with
2025-26-Q3 (to 31 December 2025) for the calendar-year boundary. Rows are created with the ORM,
not the services, because the services refuse dates in the future of the real clock and the
measures must be checked on both sides of every boundary.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

import pytest

from cases.models import Case, Child
from chronologies.models import ChronologyEntry, EntryKind
from conferences.models import (
    Attendance,
    Conference,
    ConferenceFormat,
    ConferenceKind,
    Invitation,
)
from plans.models import CPCategory, Plan, PlanKind
from referrals.models import Referral, ReferralOutcome
from tools.models import AssessmentRun, DefinitionStatus, RunStatus, ToolDefinition

CP = PlanKind.CHILD_PROTECTION
CIN = PlanKind.CHILD_IN_NEED
LAC = PlanKind.LOOKED_AFTER
NEGLECT = CPCategory.NEGLECT


@dataclass
class County:
    world: object
    children: dict


@pytest.fixture
def county(world, settings):
    settings.PARTNERSHIP_UNDER_18_POPULATION = 7000
    recorder = world.users["csc_practitioner"]
    children = {}

    def child(name, born=date(2015, 6, 1)):
        kid = Child.objects.create(given_name=name, family_name="County", date_of_birth=born)
        Case.objects.create(child=kid, lead_agency=world.csc, opened_on=date(2020, 1, 1))
        children[name] = kid
        return kid

    def plan(kid, kind, started, ended=None, category=""):
        return Plan.objects.create(
            case=kid.cases.get(), kind=kind, cp_category=category if kind == CP else "", started_on=started, ended_on=ended, end_reason="x" if ended else ""
        )

    def referral(kid, on, neglect=True, outcome=""):
        return Referral.objects.create(
            child=kid,
            referred_on=on,
            referring_agency=world.school,
            is_neglect=neglect,
            reasons="r",
            recorded_by=recorder,
            outcome=outcome,
            outcome_on=on if outcome else None,
        )

    # Child protection plans.
    plan(child("A", born=date(2013, 3, 31)), CP, date(2025, 3, 31), category=NEGLECT)  # 12 months exactly at 31 March 2026; 13 that day
    plan(child("B", born=date(2013, 4, 1)), CP, date(2025, 4, 1), category=NEGLECT)  # a day short of 12 months; 12 years old
    plan(child("C", born=date(2005, 1, 1)), CP, date(2025, 6, 1), category=CPCategory.PHYSICAL)
    plan(child("D"), CP, date(2025, 5, 1), ended=date(2026, 3, 31), category=NEGLECT)  # ended on the last day: not open
    plan(child("E"), CP, date(2026, 4, 1), category=NEGLECT)  # starts the day after the quarter
    f = child("F")
    plan(f, CP, date(2023, 1, 1), ended=date(2023, 12, 1), category=NEGLECT)
    plan(f, CP, date(2026, 1, 1), category=NEGLECT)  # first day; a repeat
    plan(child("G"), CP, date(2026, 3, 31), category=NEGLECT)  # last day; not a repeat
    plan(child("H"), CP, date(2025, 12, 31), category=NEGLECT)  # the day before the quarter

    # Child in Need plans: for neglect when the child was referred for neglect by then.
    i = child("I", born=date(2010, 1, 1))
    referral(i, date(2025, 9, 1))
    plan(i, CIN, date(2025, 9, 30))  # 6 months exactly at 31 March
    j = child("J")
    referral(j, date(2025, 10, 1))
    plan(j, CIN, date(2025, 10, 1))  # referred the same day: for neglect; under 6 months
    k = child("K")
    referral(k, date(2025, 4, 1), neglect=False)
    plan(k, CIN, date(2025, 5, 1))  # not for neglect
    p = child("P")
    referral(p, date(2026, 2, 1))
    plan(p, PlanKind.EARLY_HELP, date(2025, 11, 1), ended=date(2026, 2, 9))
    plan(p, CIN, date(2026, 2, 10))

    # Entering care.
    m = child("M")
    plan(m, CP, date(2025, 6, 1), ended=date(2026, 1, 31), category=NEGLECT)
    plan(m, LAC, date(2026, 2, 1))
    plan(child("N"), LAC, date(2026, 3, 15))  # no neglect history
    o = child("O")
    referral(o, date(2025, 6, 1))
    plan(o, LAC, date(2025, 12, 31))  # Q3, not Q4

    # Referrals for neglect in Q4 (P's above is the fourth).
    q1 = child("Q1")
    referral(q1, date(2025, 1, 1), neglect=False)
    referral(q1, date(2026, 1, 1), outcome=ReferralOutcome.STATUTORY_ASSESSMENT)  # a year to the day after: a repeat
    q2 = child("Q2")
    referral(q2, date(2025, 3, 30))
    referral(q2, date(2026, 3, 31), outcome=ReferralOutcome.NO_FURTHER_ACTION)  # a year and a day after: not a repeat
    referral(child("Q3"), date(2026, 2, 15), outcome=ReferralOutcome.STRATEGY_DISCUSSION_S47)
    referral(child("Q4"), date(2026, 2, 1), neglect=False)
    referral(child("Q5"), date(2025, 12, 31))
    referral(child("Q6"), date(2026, 4, 1))

    # Tool runs.
    def definition(key):
        """The shipped definition (loaded by a migration), or a stand-in where none ships."""
        return ToolDefinition.objects.filter(key=key).order_by("version").first() or ToolDefinition.objects.create(
            key=key, version=1, name=key, owner="p", status=DefinitionStatus.PUBLISHED, structure={}
        )

    gcp2, ccdc, eha = definition("gcp2"), definition("ccdc"), definition("eha")

    def run(tool, kid, on, agency, final=True):
        assessor = world.users["lead_practitioner"]
        return AssessmentRun.objects.create(
            definition=tool,
            case=kid.cases.get(),
            assessor=assessor,
            agency=agency,
            assessed_on=on,
            status=RunStatus.FINAL if final else RunStatus.DRAFT,
            finalised_at=datetime.combine(on, time(12), UTC) if final else None,
        )

    run(eha, f, date(2026, 1, 1), world.health)  # the day F's plan starts: not before it
    run(eha, f, date(2025, 12, 1), world.health, final=False)  # a draft does not count
    run(eha, children["G"], date(2026, 3, 30), world.health)
    run(gcp2, children["A"], date(2026, 1, 1), world.health)
    run(gcp2, children["B"], date(2026, 3, 31), world.health)
    run(gcp2, children["C"], date(2025, 12, 31), world.health)
    run(ccdc, children["A"], date(2026, 2, 1), world.health, final=False)
    run(ccdc, children["B"], date(2026, 2, 1), world.school)

    # Conferences: one on the quarter's last day, one the day after.
    def conference(on, attendance):
        held = Conference.objects.create(
            kind=ConferenceKind.REVIEW,
            held_on=on,
            start_time=time(10),
            format=ConferenceFormat.VIRTUAL,
            chair=recorder,
            chair_agency=world.csc,
            report_due_on=on,
            scheduled_by=recorder,
        )
        for agency, attended in attendance.items():
            Invitation.objects.create(conference=held, agency=agency, attendance=attended)

    conference(date(2026, 3, 31), {world.health: Attendance.IN_PERSON, world.police: Attendance.APOLOGIES, world.school: ""})
    conference(date(2026, 4, 1), {world.health: Attendance.DID_NOT_ATTEND})

    # School attendance.
    def attendance(kid, on, percent, supersedes=None):
        return ChronologyEntry.objects.create(
            child=kid,
            occurred_on=on,
            kind=EntryKind.SCHOOL_ATTENDANCE,
            summary="Attendance",
            impact_on_child="i",
            agency=world.school,
            attendance_percentage=percent,
            supersedes=supersedes,
            original=supersedes,
            amendment_reason="Wrong date and figure" if supersedes else "",
        )

    a = children["A"]
    attendance(a, date(2025, 12, 31), 90)
    attendance(a, date(2026, 2, 1), 80)
    wrong = attendance(a, date(2026, 3, 31), 40)
    attendance(a, date(2026, 3, 30), 85, supersedes=wrong)  # the correction: 85 is A's latest
    attendance(children["B"], date(2025, 10, 1), 60)
    attendance(children["B"], date(2026, 1, 1), 70)
    attendance(i, date(2026, 3, 1), 95)
    attendance(children["C"], date(2026, 2, 1), 50)  # not on a neglect plan
    attendance(j, date(2026, 4, 1), 99)  # after the quarter
    return County(world=world, children=children)
