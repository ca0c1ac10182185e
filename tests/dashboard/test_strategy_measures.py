"""The measures issue 16 added for the three strategies, each against a small county counted by hand.

Quarter under test: 2025-26-Q4 (1 January to 31 March 2026), as in tests/dashboard/conftest.py, but
with its own children so that the older county's figures stay as they are. Rows are made with the
ORM (services refuse dates in the future of the real clock).
"""

from datetime import UTC, date, datetime, time

import pytest

from cases.models import Case, Child, Family
from census.models import CensusAssessment, ChildCensus, ReferralCensus
from chronologies.models import ChronologyEntry, EntryKind
from concerns.models import Concern
from dashboard.selectors import compute_measures
from neglect_portal.quarters import parse_quarter
from plans.models import CPCategory, Plan, PlanKind
from referrals.models import Referral
from tests.tools.builders import published
from tools.models import AssessmentRun, RunStatus

pytestmark = pytest.mark.django_db

Q4 = parse_quarter("2025-26-Q4")
CP, CIN, LAC, EH = PlanKind.CHILD_PROTECTION, PlanKind.CHILD_IN_NEED, PlanKind.LOOKED_AFTER, PlanKind.EARLY_HELP
NEGLECT, PHYSICAL = CPCategory.NEGLECT, CPCategory.PHYSICAL


class Builder:
    def __init__(self, world):
        self.world = world
        self.recorder = world.users["csc_practitioner"]
        self.children = {}

    def child(self, name, born=date(2015, 6, 1), *, locality=None, ethnicity="NOBT", disability=False, unborn=False):
        family = Family.objects.create(name=f"{name} household", locality=locality) if locality is not None else None
        kid = Child.objects.create(
            given_name=name, family_name="Strategy", date_of_birth=born, family=family, ethnicity=ethnicity, disability=disability, is_unborn=unborn
        )
        Case.objects.create(child=kid, lead_agency=self.world.csc, opened_on=date(2020, 1, 1))
        self.children[name] = kid
        return kid

    def plan(self, kid, kind, started, ended=None, category=NEGLECT):
        return Plan.objects.create(
            case=kid.cases.get(), kind=kind, cp_category=category if kind == CP else "", started_on=started, ended_on=ended, end_reason="x" if ended else ""
        )

    def referral(self, kid, on, *, neglect=True, need="", factors=(), assessed=()):
        referral = Referral.objects.create(
            child=kid, referred_on=on, referring_agency=self.world.school, is_neglect=neglect, reasons="r", recorded_by=self.recorder
        )
        if need or factors:
            ReferralCensus.objects.create(referral=referral, primary_need=need, assessment_factors=list(factors))
        if assessed:
            CensusAssessment.objects.create(referral=referral, started_on=on, factors=list(assessed))
        return referral

    def concern(self, kid, on, *, neglect=True):
        return Concern.objects.create(
            case=kid.cases.get(),
            child=kid,
            agency=self.world.health,
            recorded_by=self.recorder,
            observed_on=on,
            neglect_physical=neglect,
            suggested_threshold="" if neglect else "universal",
            description="d",
            impact_on_child="i",
            action_taken="a",
        )

    def gcp2(self, kid, on, grades, health):
        """A final GCP2 run with area grades (the stored scores) and the health sub-area's grade (the answers)."""
        return AssessmentRun.objects.create(
            definition=published("gcp2"),
            case=kid.cases.get(),
            assessor=self.world.users["lead_practitioner"],
            agency=self.world.health,
            assessed_on=on,
            status=RunStatus.FINAL,
            finalised_at=datetime.combine(on, time(12), UTC),
            scores={"areas": grades, "overall": None},
            answers={"physical_care": {"health": {"value": health, "evidence": "e"}}},
        )

    def attendance(self, kid, on, percent):
        return ChronologyEntry.objects.create(
            child=kid,
            occurred_on=on,
            kind=EntryKind.SCHOOL_ATTENDANCE,
            summary="Attendance",
            impact_on_child="i",
            agency=self.world.school,
            attendance_percentage=percent,
        )


def grades(physical, safety=2, emotional=2, developmental=2):
    return {"physical_care": physical, "safety": safety, "emotional_care": emotional, "developmental_care": developmental}


@pytest.fixture
def county(world, settings):
    settings.PARTNERSHIP_UNDER_18_POPULATION = 10_000
    b = Builder(world)
    # Repeat plans: neglect, physical, neglect again (R1) is a repeat by the default rule, not by Buckinghamshire's;
    # neglect then neglect (R2) is by both; R3's first plan is its first.
    r1 = b.child("R1", locality="north", ethnicity="WBRI")
    b.plan(r1, CP, date(2022, 1, 10), date(2022, 9, 1))
    b.plan(r1, CP, date(2023, 1, 10), date(2023, 9, 1), category=PHYSICAL)
    b.plan(r1, CP, date(2026, 1, 5))
    r2 = b.child("R2", locality="north", ethnicity="BAFR", disability=True)
    b.plan(r2, CP, date(2024, 1, 10), date(2024, 9, 1))
    b.plan(r2, CP, date(2026, 2, 1))
    b.plan(b.child("R3", born=date(2025, 12, 1), locality="south", ethnicity="AIND"), CP, date(2026, 3, 1))  # a baby: under 1
    # Lengths of neglect plans ended in the quarter: 100, 200 and 301 days; the median is 200.
    b.plan(b.child("L1", born=date(2009, 1, 1), locality="central"), CP, date(2025, 10, 1), date(2026, 1, 9))  # 100 days
    b.plan(b.child("L2"), CP, date(2025, 7, 1), date(2026, 1, 17))  # 200 days
    b.plan(b.child("L3"), CP, date(2025, 5, 1), date(2026, 2, 26))  # 301 days
    b.plan(b.child("L4"), CP, date(2025, 5, 1), date(2026, 2, 26), category=PHYSICAL)  # not neglect
    b.child("U", born=date(2026, 6, 1), unborn=True)
    b.plan(b.children["U"], CP, date(2026, 3, 20))  # pre-birth plan: unborn
    # Child in Need plans: the census codes of the episode's referral decide; uncoded referrals fall back on the flag.
    c1 = b.child("C1")
    b.referral(c1, date(2025, 11, 1), neglect=False, need="N1", factors=["16A", "4B"])  # coded neglect though not flagged
    b.plan(c1, CIN, date(2025, 11, 10))
    c2 = b.child("C2")
    b.referral(c2, date(2025, 11, 1), neglect=True, need="N4", factors=["4B"])  # coded, not neglect: the flag does not count
    b.plan(c2, CIN, date(2025, 11, 10))
    c3 = b.child("C3")
    b.referral(c3, date(2025, 11, 1), neglect=True)  # not coded: the flag counts
    b.plan(c3, CIN, date(2025, 11, 10))
    c4 = b.child("C4")
    b.referral(c4, date(2025, 11, 1), neglect=False, need="N1", assessed=["16A"])  # the factor on the census assessment
    b.plan(c4, CIN, date(2025, 11, 10))
    c5 = b.child("C5")
    b.referral(c5, date(2025, 6, 1), neglect=True)  # an earlier referral for neglect...
    b.referral(c5, date(2025, 11, 1), neglect=False, need="N5", factors=["21"])  # ...but the episode's referral is coded otherwise
    b.plan(c5, CIN, date(2025, 11, 10))
    # Early help for neglect: E1 by a concern naming neglect, E2 by a referral for neglect; E3's concern names none.
    e1 = b.child("E1", locality="south")
    b.concern(e1, date(2025, 12, 1))
    b.plan(e1, EH, date(2025, 12, 5), date(2026, 2, 1))
    b.plan(e1, CIN, date(2026, 2, 20))  # 19 days after early help ended: escalated
    e2 = b.child("E2", locality="south")
    b.referral(e2, date(2025, 11, 20), neglect=True, need="N1", factors=["16A"])
    b.plan(e2, EH, date(2025, 12, 1), date(2026, 3, 1))  # ended, not escalated
    e3 = b.child("E3")
    b.concern(e3, date(2025, 12, 1), neglect=False)
    b.plan(e3, EH, date(2025, 12, 5))  # not for neglect
    e4 = b.child("E4", locality="north")
    b.concern(e4, date(2025, 12, 1))
    b.plan(e4, EH, date(2026, 1, 5))  # open at the quarter's end, for neglect
    e5 = b.child("E5")
    b.concern(e5, date(2025, 8, 1))
    b.plan(e5, EH, date(2025, 9, 1), date(2026, 1, 10))
    b.plan(e5, CIN, date(2026, 2, 15))  # 36 days after: not escalation by the 30-day rule
    # Graded Care Profile 2 over a neglect plan (R2's, from 1 February): better in one area, worse in none.
    b.gcp2(r2, date(2026, 1, 20), grades(4), health=4)  # before the plan: not counted
    b.gcp2(r2, date(2026, 2, 5), grades(4), health=4)
    b.gcp2(r2, date(2026, 3, 20), grades(3), health=3)
    b.gcp2(r1, date(2026, 1, 20), grades(3, safety=2), health=3)  # better in one, worse in another: not improved
    b.gcp2(r1, date(2026, 3, 20), grades(2, safety=3), health=3)  # health the same: not improved
    b.gcp2(r1, date(2026, 4, 2), grades(1, safety=1), health=1)  # after the quarter
    b.gcp2(b.children["R3"], date(2026, 3, 10), grades(3), health=2)  # one run only: not compared
    # Attendance of children on neglect plans: R1 85 (absent), R2 95, C1 70 (absent), C3 92; C2 is not on a neglect plan.
    for name, percent in (("R1", 85), ("R2", 95), ("C1", 70), ("C3", 92), ("C2", 50)):
        b.attendance(b.children[name], date(2026, 3, 1), percent)
    # Referrals in the quarter: four for neglect, two not.
    for name in ("Q1", "Q2", "Q3"):
        b.referral(b.child(name), date(2026, 2, 1))
    b.referral(b.child("Q4"), date(2026, 2, 1), neglect=False)
    b.referral(b.child("Q5"), date(2026, 3, 31), neglect=False)
    b.referral(b.child("Q6"), date(2026, 3, 31), neglect=True)
    return b


@pytest.fixture
def q4(county):
    return compute_measures(quarter=Q4)


def test_buckinghamshire_repeat_counts_only_a_previous_plan_for_neglect(q4):
    # Started in the quarter: R1 (1 Jan), R2 (1 Feb), R3 (1 Mar), U (20 Mar). Repeats: R1 and R2; after a neglect plan: R2 only.
    assert (q4["cp_neglect_repeat_pct"], q4["cp_neglect_repeat_after_neglect_pct"]) == (50.0, 25.0)
    assert q4["basis"]["cp_neglect_repeat_after_neglect_pct"] == {"n": 1, "d": 4}


def test_median_length_of_neglect_plans_ended_in_the_quarter(q4):
    assert q4["cp_neglect_length_median_days"] == 200.0  # 100, 200, 301; the plan for physical abuse is not counted
    assert q4["basis"]["cp_neglect_length_median_days"] == {"base": 3}


def test_cin_plans_are_for_neglect_by_the_census_codes_of_the_episodes_referral(q4):
    # Open at the end: C1 (N1 + 16A), C3 (uncoded, flagged), C4 (16A on the census assessment). C2 and C5 are coded otherwise;
    # E1's and E5's plans follow early help with no referral and no earlier neglect plan, so they are not for neglect.
    assert q4["basis"]["cin_neglect_6m_plus_pct"] == {"n": 0, "d": 3}


def test_neglect_referrals_as_a_share_of_all_referrals(q4):
    # In the quarter: Q1 Q2 Q3 Q6 for neglect, Q4 Q5 not: 4 of 6.
    assert (q4["neglect_referrals"], q4["neglect_referrals_share_pct"]) == (4, 66.7)


def test_early_help_for_neglect_and_its_escalation(q4):
    assert q4["early_help_neglect_children"] == 1  # E4; E3's early help is not for neglect
    # Ended in the quarter, for neglect: E1 (escalated 19 days after), E2 (not), E5 (a plan 36 days after: not within 30).
    assert (q4["early_help_neglect_escalated_pct"], q4["basis"]["early_help_neglect_escalated_pct"]) == (33.3, {"n": 1, "d": 3})


def test_persistent_absence_is_latest_attendance_below_90_percent(q4):
    # On neglect plans with attendance in the quarter: R1 85, R2 95, C1 70, C3 92 -> R1 and C1.
    assert (q4["persistent_absence_neglect_pct"], q4["school_attendance_neglect_pct"]) == (50.0, 85.5)
    assert q4["basis"]["school_attendance_neglect_pct"] == {"base": 4}


def test_gcp2_care_and_health_improved_over_the_plan(q4):
    # Compared (two runs since the plan started, by the quarter's end): R1 and R2. R2 better in physical care and no worse: improved;
    # R1 better in one area and worse in another: not. Health: R2 4 -> 3 improved; R1 3 -> 3 not.
    assert (q4["gcp2_improved_pct"], q4["gcp2_health_improved_pct"]) == (50.0, 50.0)
    assert q4["basis"]["gcp2_improved_pct"] == {"n": 1, "d": 2}


def test_neglect_rate_per_10k(q4):
    # Open CP plans for neglect on 31 March: R1 R2 R3 U (L1-L3 ended in the quarter).
    assert (q4["cp_neglect_children"], q4["cp_neglect_rate_per_10k"]) == (4, 4.0)


def test_breakdowns_by_locality_age_band_ethnicity_and_disability(q4):
    by = q4["breakdowns"]["cp_neglect_children"]
    assert by["locality"] == {"north": 2, "central": 0, "south": 1, "not_recorded": 1}
    assert by["age_band"] == {"unborn": 1, "under_1": 1, "1_to_4": 0, "5_to_9": 0, "10_to_15": 2, "16_plus": 0}
    assert by["ethnicity"] == {"white": 1, "mixed": 0, "asian": 1, "black": 1, "other": 0, "not_known": 1}
    assert by["disability"] == {"disabled": 1, "not_disabled": 3}
    for dimension in by.values():
        assert sum(dimension.values()) == q4["cp_neglect_children"]  # each dimension is a partition


def test_disability_from_the_census_codes_too(county):
    child = county.children["R1"]
    ChildCensus.objects.create(child=child, disabilities=["MOB"])
    assert compute_measures(quarter=Q4)["breakdowns"]["cp_neglect_children"]["disability"] == {"disabled": 2, "not_disabled": 2}


def test_age_bands_at_the_quarters_end(county):
    # L1, born 1 January 2009, is 17 on 31 March 2026 but her plan ended: a new one makes her count, in 16 and over.
    county.plan(county.children["L1"], CP, date(2026, 3, 1))
    assert compute_measures(quarter=Q4)["breakdowns"]["cp_neglect_children"]["age_band"]["16_plus"] == 1
