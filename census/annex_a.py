"""Ofsted Annex A lists 6 (children in need) and 7 (child protection) for the neglect cohort, as CSV.

Columns are Annex A's, in its order (2026 names: "Sex" for the former "Gender"). The portal does not
record visits or emergency protection, so "Date Child Was Last Seen", "Date of the Last Statutory
Visit", "Was the Child Seen Alone?" and the emergency-protection column are left blank rather than
guessed. The neglect cohort: children with a concern recorded (every concern in the portal is about
neglect), a referral for neglect, or a child protection plan under the category of neglect.
A list covers the `months` months up to `as_of` (Annex A asks for six), counted in calendar months
(`neglect_portal.dates`: six months before 31 March is 30 September). "Number of Previous Child
Protection Plans" is the census's count of earlier plans (`plans.history.earlier_plan_count`).
"""

from datetime import date

from django.db.models import Q

from concerns.models import Concern
from conferences.models import ConferenceChild, ConferenceDecision, ConferenceKind
from neglect_portal.csv_export import csv_text
from neglect_portal.dates import months_before
from plans.history import earlier_plan_count
from plans.models import CPCategory, Plan, PlanKind
from referrals.models import Referral

from .codes import ANNEX_A_CATEGORY
from .export import census_of, episode_closure

LIST_6_COLUMNS = [
    "Child Unique ID",
    "Sex",
    "Ethnicity",
    "Date of Birth",
    "Age of Child (Years)",
    "Does the Child have a Disability",
    "CIN Start Date",
    "Primary Need Code",
    "Date Child Was Last Seen",
    "CIN Closure Date",
    "Reason for Closure",
    "Case Status",
    "Allocated Team",
    "Allocated Worker",
]
LIST_7_COLUMNS = [
    "Child Unique ID",
    "Sex",
    "Ethnicity",
    "Date of Birth",
    "Age of Child (Years)",
    "Does the Child have a Disability",
    "Child Protection Plan Start Date",
    "Initial Category of Abuse",
    "Latest Category of Abuse",
    "Date of the Last Statutory Visit",
    "Was the Child Seen Alone?",
    "Date of latest review conference",
    "Child Protection Plan End Date",
    "Subject to Emergency Protection Order or Protected Under Police Powers in Last Six Months (Y/N)",
    "Number of Previous Child Protection Plans",
    "Allocated Team",
    "Allocated Worker",
]
SEX = {"M": "a) Male", "F": "b) Female", "U": "c) Not stated/recorded"}
# Annex A lists ethnicity as the census code behind a letter, in its own order: "a) WBRI" ... "t) NOBT".
ETHNICITY = {
    code: f"{letter}) {code}"
    for letter, code in zip(
        "abcdefghijklmnopqrst",
        (
            "WBRI",
            "WIRI",
            "WIRT",
            "WOTH",
            "WROM",
            "MWBC",
            "MWBA",
            "MWAS",
            "MOTH",
            "AIND",
            "APKN",
            "ABAN",
            "AOTH",
            "BCRB",
            "BAFR",
            "BOTH",
            "CHNE",
            "OOTH",
            "REFU",
            "NOBT",
        ),
        strict=True,
    )
}


def _date(value):
    return value.strftime("%d/%m/%Y") if value else ""


def neglect_cohort():
    """Ids of the children in the neglect cohort (a subquery, so the lists stay one query each)."""
    concerns = Concern.objects.values("child_id")
    referrals = Referral.objects.filter(is_neglect=True).values("child_id")
    plans = Plan.objects.filter(kind=PlanKind.CHILD_PROTECTION, cp_category=CPCategory.NEGLECT).values("case__child_id")
    return concerns.union(referrals, plans)


def _child_columns(child, as_of):
    return [
        child.pk,
        SEX.get(child.sex, ""),
        ETHNICITY.get(child.ethnicity, ""),
        "" if child.is_unborn else _date(child.date_of_birth),
        "" if child.age_on(as_of) is None else child.age_on(as_of),
        "a) Yes" if child.disability else "b) No",
    ]


def _allocation(case):
    if case is None:
        return ["", ""]
    worker = ""
    if case.lead_professional is not None:
        worker = case.lead_professional.get_full_name() or case.lead_professional.get_username()
    return [case.lead_agency.name, worker]


def list_6_rows(*, as_of: date, months: int = 6):
    start = months_before(as_of, months)
    referrals = (
        Referral.objects.filter(child_id__in=neglect_cohort(), referred_on__lte=as_of)
        .select_related("child", "case__lead_agency", "case__lead_professional", "census")
        .order_by("child_id", "referred_on", "pk")
    )
    for referral in referrals:
        closed_on, nfa = episode_closure(referral, as_of)
        if nfa or (closed_on is not None and closed_on < start):
            continue
        census = census_of(referral)
        case = referral.case
        yield (
            _child_columns(referral.child, as_of)
            + [
                _date(referral.referred_on),
                census.primary_need if census else "",
                "",
                _date(closed_on),
                census.closure_reason if census else "",
                "a) Open" if closed_on is None else "b) Closed",
            ]
            + _allocation(case)
        )


def list_7_rows(*, as_of: date, months: int = 6):
    start = months_before(as_of, months)
    plans = (
        Plan.objects.filter(case__child_id__in=neglect_cohort(), kind=PlanKind.CHILD_PROTECTION, started_on__lte=as_of)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=start))
        .annotate(previous_plans=earlier_plan_count(any_category=True))
        .select_related("case__child", "case__lead_agency", "case__lead_professional")
        .order_by("case__child_id", "started_on", "pk")
    )
    for plan in plans:
        child = plan.case.child
        links = (
            ConferenceChild.objects.filter(case=plan.case, conference__held_on__gte=plan.started_on, conference__held_on__lte=plan.ended_on or as_of)
            .select_related("conference")
            .order_by("conference__held_on")
        )
        initial = next((l for l in links if l.conference.kind == ConferenceKind.INITIAL and l.decision == ConferenceDecision.PLAN_STARTED), None)
        reviews = [l for l in links if l.conference.kind == ConferenceKind.REVIEW and l.decision]
        categorised = [l for l in reviews if l.cp_category]
        initial_category = initial.cp_category if initial else plan.cp_category
        latest_category = categorised[-1].cp_category if categorised else plan.cp_category
        yield (
            _child_columns(child, as_of)
            + [
                _date(plan.started_on),
                ANNEX_A_CATEGORY[initial_category],
                ANNEX_A_CATEGORY[latest_category],
                "",
                "",
                _date(reviews[-1].conference.held_on) if reviews else "",
                _date(plan.ended_on if plan.ended_on and plan.ended_on <= as_of else None),
                "",
                plan.previous_plans,
            ]
            + _allocation(plan.case)
        )


def annex_a_csv(list_number: int, *, as_of: date, months: int = 6) -> str:
    columns, rows = (LIST_6_COLUMNS, list_6_rows) if list_number == 6 else (LIST_7_COLUMNS, list_7_rows)
    return csv_text([columns, *rows(as_of=as_of, months=months)])
