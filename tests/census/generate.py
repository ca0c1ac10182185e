"""Seeded synthetic histories for census year 2026, built through the product's services.

`generate_histories(world, seed, count)` makes `count` children (and sibling groups) whose records a
careful social worker would have kept: each history is one of the patterns below with random dates,
categories, factors and needs, so the DfE rules see many shapes, reproducibly for a seed.
"""

import random
from datetime import date, timedelta

from cases.models import Ethnicity
from cases.services import case_close
from census import codes
from conferences.models import ConferenceKind
from plans.models import CPCategory, PlanKind
from referrals.models import ReferralOutcome
from tests.census.conftest import conference, refer, upn
from tests.factories import make_case, make_child, make_plan

YEAR_START, REFERENCE_DATE = date(2025, 4, 1), date(2026, 3, 31)
CATEGORIES = [CPCategory.NEGLECT, CPCategory.PHYSICAL, CPCategory.EMOTIONAL, CPCategory.SEXUAL, CPCategory.MULTIPLE]
FACTORS = [code for code in codes.ASSESSMENT_FACTORS if code not in ("21", "20")]
NEEDS = ["N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8"]
PATTERNS = ("front_door_nfa", "assessed_cin_plan_closed", "child_protection", "repeat_child_protection", "unborn_sibling_group")


class _Maker:
    def __init__(self, world, rng):
        self.world, self.rng, self.upns = world, rng, set()

    def day(self, start, end):
        return start + timedelta(days=self.rng.randint(0, max((end - start).days, 0)))

    def child(self, name, *, unborn_due=None, family=None):
        if unborn_due:
            return make_child(name, date_of_birth=unborn_due, is_unborn=True, sex="U", family=family, ethnicity=Ethnicity.NOBT)
        born = self.day(date(2008, 1, 1), date(2024, 12, 31))
        digits = None
        if (REFERENCE_DATE - born).days > 5 * 365:
            while digits is None or digits in self.upns:
                digits = "931" + "".join(self.rng.choice("0123456789") for _ in range(9))
            self.upns.add(digits)
        return make_child(
            name,
            date_of_birth=born,
            sex=self.rng.choice("MF"),
            ethnicity=self.rng.choice(Ethnicity.values),
            family=family,
            upn=upn(digits) if digits else "",
        )

    @staticmethod
    def weekday(day):
        """Conferences are held on working days (DfE rule 8875 rejects a weekend initial conference)."""
        return day + timedelta(days=max(0, 7 - day.weekday())) if day.weekday() >= 5 else day

    def coded(self):
        return {"primary_need": self.rng.choice(NEEDS)}

    def cp_episode(self, children, referred_on, *, previous_end=None):
        """Referral to section 47 to an initial conference for `children` (one meeting) to plans, with reviews."""
        rng = self.rng
        cases = []
        for child in children:
            case = make_case(self.world.csc, child=child, opened_on=referred_on)
            refer(
                self.world,
                child,
                referred_on,
                case=case,
                agency=rng.choice([self.world.school, self.world.health, self.world.police]),
                outcome=ReferralOutcome.STRATEGY_DISCUSSION_S47,
                outcome_on=referred_on + timedelta(days=1),
                **self.coded(),
            )
            cases.append(case)
        strategy_on = referred_on + timedelta(days=1)
        held = self.weekday(strategy_on + timedelta(days=rng.randint(8, 14)))
        category = rng.choice(CATEGORIES)
        conference(self.world, ConferenceKind.INITIAL, held, cases, decision="plan_started", category=category, strategy_on=strategy_on)
        plans = [make_plan(case, cp_category=category, started_on=held) for case in cases]
        review = held + timedelta(days=rng.randint(80, 90))
        while review <= REFERENCE_DATE - timedelta(days=1):
            change = rng.random() < 0.3
            category = rng.choice([c for c in CATEGORIES if c != category]) if change else category
            conference(self.world, ConferenceKind.REVIEW, review, cases, decision="category_changed" if change else "plan_continued", category=category)
            review += timedelta(days=rng.randint(170, 180))
        return cases, plans, held

    def front_door_nfa(self, name):
        child = self.child(name)
        referred_on = self.day(YEAR_START, REFERENCE_DATE - timedelta(days=5))
        outcome = self.rng.choice([ReferralOutcome.NO_FURTHER_ACTION, ReferralOutcome.EARLY_HELP])
        refer(
            self.world,
            child,
            referred_on,
            agency=self.world.police,
            outcome=outcome,
            outcome_on=referred_on + timedelta(days=2),
            closure_reason="RC8" if outcome == ReferralOutcome.NO_FURTHER_ACTION else "RC9",
        )
        return [child]

    def assessed_cin_plan_closed(self, name):
        rng = self.rng
        child = self.child(name)
        referred_on = self.day(YEAR_START, date(2025, 9, 30))
        case = make_case(self.world.csc, child=child, opened_on=referred_on)
        authorised = referred_on + timedelta(days=rng.randint(15, 40))
        refer(
            self.world,
            child,
            referred_on,
            case=case,
            agency=self.world.school,
            outcome=ReferralOutcome.STATUTORY_ASSESSMENT,
            outcome_on=referred_on + timedelta(days=1),
            assessment_authorised_on=authorised,
            assessment_factors=rng.sample(FACTORS, rng.randint(1, 3)),
            closure_reason="RC7",
            **self.coded(),
        )
        plan_start = authorised + timedelta(days=rng.randint(1, 10))
        plan_end = plan_start + timedelta(days=rng.randint(60, 150))
        make_plan(case, kind=PlanKind.CHILD_IN_NEED, started_on=plan_start, ended_on=plan_end)
        case_close(actor=self.world.users["csc_manager"], case=case, closed_on=plan_end + timedelta(days=1), closure_reason="Needs met")
        return [child]

    def child_protection(self, name):
        child = self.child(name)
        cases, plans, held = self.cp_episode([child], self.day(YEAR_START, date(2026, 2, 15)))
        return [child]

    def repeat_child_protection(self, name):
        """An earlier plan, ended and closed before the census year, then a new episode in it."""
        rng = self.rng
        child = self.child(name)
        cases, plans, held = self.cp_episode([child], self.day(date(2023, 1, 1), date(2023, 12, 31)))
        ended = held + timedelta(days=rng.randint(100, 300))
        from plans.services import plan_end

        plan_end(actor=None, plan=plans[0], ended_on=ended, end_reason="Outcomes met")
        case_close(actor=self.world.users["csc_manager"], case=cases[0], closed_on=ended, closure_reason="Needs met")
        self.cp_episode([child], self.day(YEAR_START, date(2026, 2, 15)))
        return [child]

    def unborn_sibling_group(self, name):
        elder = self.child(name)
        due = self.day(date(2026, 4, 15), date(2026, 7, 31))
        baby = self.child(f"Baby {name}", unborn_due=due, family=elder.family)
        self.cp_episode([elder, baby], self.day(max(YEAR_START, due - timedelta(weeks=30)), date(2026, 2, 15)))
        return [elder, baby]


def generate_histories(world, *, seed, count):
    """`count` histories, patterns taken in turn (every pattern at least once when count >= 5)."""
    rng = random.Random(seed)
    maker = _Maker(world, rng)
    children = []
    for number in range(count):
        pattern = PATTERNS[number % len(PATTERNS)]
        children += getattr(maker, pattern)(f"Gen{number}")
    return children
