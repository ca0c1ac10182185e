"""The quarterly neglect measures, each one or two SQL aggregates (DESIGN.md, "Quarterly Neglect Dashboard").

Every measure has a stable key (snapshots, the API, CSV columns and the PDF all use it), a short
definition the PDF prints, the direction that is better and, where the partnership set one, a target
that gives the RAG rating. Values are plain JSON: a number, None when there is nothing to divide by
or no data, or for per-agency breakdowns a list of {"agency": name, ...} rows.

Figures are as at the quarter's last day unless the definition says "in the quarter". A plan is open
at a date when it started on or before it and has no end date or ends after it (a plan ending on the
last day has ended, as in the Children in Need census).

These functions read whole-partnership aggregates that never name a child, so they take no user:
who may see them is decided once, in `agencies.access` (`can_see_dashboard`), by the page, API and
task that call them. Nothing here loops over rows in Python: each query returns counts.

A CIN or looked-after plan carries no category, so it counts as a neglect plan when, by its start,
the child had been referred for neglect or had a child protection plan for neglect.
"""
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Avg, Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear

from cases.conference_selectors import attendance_by_agency
from cases.models import (
    ADOLESCENT_AGE,
    Child,
    CPCategory,
    Plan,
    PlanKind,
    Referral,
    ReferralOutcome,
)
from chronologies.models import ChronologyEntry, EntryKind
from partnership.selectors import action_plan_rag_by_agency, partnership_profile
from tools.models import AssessmentRun, RunStatus

from .quarters import Quarter

HIGHER = "higher"
LOWER = "lower"

THEMES = {
    "protection": "Children on child protection plans",
    "drift": "Drift and repeat plans",
    "front_door": "Referrals and early help",
    "practice": "Tools and conference attendance",
    "education": "School attendance and adolescents",
    "action_plans": "Agency action plans",
}


@dataclass(frozen=True)
class Measure:
    key: str
    title: str
    definition: str
    theme: str
    better: str | None = None  # HIGHER or LOWER; None where neither is better (a volume)
    unit: str = "count"  # "count", "rate", "percent" or "by_agency"
    target: float | None = None
    counts_children: bool = True  # False: the figures count something else (plan rows), never suppressed

    def rag(self, value):
        """"green" at or past the target, "amber" within a tenth of it, "red" beyond; None without a target."""
        if self.target is None or self.better is None or not isinstance(value, (int, float)):
            return None
        gap = (value - self.target) if self.better == HIGHER else (self.target - value)
        if gap >= 0:
            return "green"
        return "amber" if -gap <= abs(self.target) / 10 else "red"


def _targets():
    """Targets the strategy group set (`DASHBOARD_TARGETS`, key -> number), over the defaults below."""
    return getattr(settings, "DASHBOARD_TARGETS", {})


_MEASURES = [
    Measure("cp_children", "Children on child protection plans", "Children with a child protection plan open at the end of the quarter.", "protection"),
    Measure("cp_rate_per_10k", "Child protection rate per 10,000", "Children on child protection plans per 10,000 children under 18 (PARTNERSHIP_UNDER_18_POPULATION), one decimal.", "protection", unit="rate"),
    Measure("cp_neglect_children", "Children on plans for neglect", "Children with a child protection plan for neglect open at the end of the quarter.", "protection"),
    Measure("cp_neglect_share_pct", "Neglect share of child protection plans", "Children on plans for neglect as a percentage of all children on child protection plans.", "protection", unit="percent"),
    Measure("cp_neglect_12m_plus_pct", "Neglect plans open 12 months or more", "Open child protection plans for neglect that had run 12 months or more at the end of the quarter, as a percentage of all open ones.", "drift", LOWER, "percent", 10),
    Measure("cp_neglect_repeat_pct", "Repeat neglect plans", "Child protection plans for neglect started in the quarter where the child had an earlier child protection plan for neglect, as a percentage of those started.", "drift", LOWER, "percent", 20),
    Measure("cin_neglect_6m_plus_pct", "Neglect CIN plans over 6 months", "Open Child in Need plans for neglect that had run 6 months or more at the end of the quarter, as a percentage of all open ones.", "drift", LOWER, "percent", 30),
    Measure("entered_care_neglect", "Children entering care for neglect", "Children whose looked-after plan started in the quarter, for neglect.", "drift"),
    Measure("neglect_plans_with_prior_eha_pct", "Early Help Assessment before a neglect plan", "Children starting a Child in Need or child protection plan for neglect in the quarter who had a final Early Help Assessment or an early help plan before it, as a percentage.", "front_door", HIGHER, "percent", 50),
    Measure("neglect_referrals", "Referrals for neglect", "Referrals for neglect received in the quarter.", "front_door"),
    Measure("neglect_referrals_to_assessment_pct", "Neglect referrals to statutory assessment", "Referrals for neglect in the quarter whose recorded outcome is a statutory assessment or a section 47 strategy discussion, as a percentage.", "front_door", unit="percent"),
    Measure("neglect_repeat_referrals_12m_pct", "Repeat neglect referrals within 12 months", "Referrals for neglect in the quarter for a child referred before within the previous 12 months, as a percentage.", "front_door", LOWER, "percent", 20),
    Measure("tool_runs_by_agency", "Neglect tools used, by agency", "Final Graded Care Profile 2 and checklist assessments in the quarter, by the assessing agency.", "practice", unit="by_agency"),
    Measure("conference_attendance_by_agency", "Conference attendance, by agency", "Invitations to conferences held in the quarter with attendance recorded, and how many the agency attended (in person or virtually).", "practice", unit="by_agency"),
    Measure("school_attendance_neglect_pct", "School attendance of children on neglect plans", "Mean of the latest school attendance percentage reported in the quarter for children on a neglect plan at its end.", "education", HIGHER, "percent", 90),
    Measure("attendance_improved_pct", "Attendance improved", "Of those children, the percentage whose latest attendance in the quarter is higher than the latest reported before it.", "education", HIGHER, "percent", 50),
    Measure("adolescents_on_neglect_plans", "Adolescents on neglect plans", f"Children aged {ADOLESCENT_AGE} or over at the end of the quarter with a child protection or Child in Need plan for neglect open then.", "education"),
    Measure("action_plan_rag_by_agency", "Agency action plans, by RAG", "Rows of each agency's neglect action plan, and of the strategy group's overarching plan, by their RAG status at the end of the quarter (the latest quarterly update for that quarter or before). Fewer red rows is better.", "action_plans", LOWER, "by_agency", counts_children=False),
]


def measures():
    """The measures in report order, with the partnership's targets applied."""
    targets = _targets()
    return [Measure(**{**m.__dict__, "target": targets.get(m.key, m.target)}) for m in _MEASURES]


def measure_by_key():
    return {m.key: m for m in measures()}


def _percent(part, whole):
    return None if not whole else round(100 * part / whole, 1)


def _open_at(day, prefix=""):
    return Q(**{f"{prefix}started_on__lte": day}) & (Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gt": day}))


def _cp_neglect():
    return Q(kind=PlanKind.CHILD_PROTECTION, cp_category=CPCategory.NEGLECT)


def _neglect_plans():
    """Plans for neglect: CP plans by category; CIN and looked-after plans by the child's history by their start."""
    referred = Referral.objects.filter(child_id=OuterRef("case__child_id"), is_neglect=True, referred_on__lte=OuterRef("started_on"))
    cp_before = Plan.objects.filter(_cp_neglect(), case__child_id=OuterRef("case__child_id"), started_on__lte=OuterRef("started_on"))
    uncategorised = Q(kind__in=[PlanKind.CHILD_IN_NEED, PlanKind.LOOKED_AFTER]) & (Exists(referred) | Exists(cp_before))
    return Plan.objects.filter(_cp_neglect() | uncategorised)


def _protection(quarter):
    end = quarter.end
    open_cp = Plan.objects.filter(_open_at(end), kind=PlanKind.CHILD_PROTECTION)
    counts = open_cp.aggregate(
        children=Count("case__child", distinct=True),
        neglect_children=Count("case__child", distinct=True, filter=Q(cp_category=CPCategory.NEGLECT)),
        neglect_plans=Count("pk", filter=Q(cp_category=CPCategory.NEGLECT)),
        neglect_12m=Count("pk", filter=Q(cp_category=CPCategory.NEGLECT, started_on__lte=end - relativedelta(years=1))),
    )
    population = partnership_profile().under_18_population
    earlier = Plan.objects.filter(_cp_neglect(), case__child_id=OuterRef("case__child_id"), started_on__lt=OuterRef("started_on"))
    started = Plan.objects.filter(_cp_neglect(), started_on__range=(quarter.start, end)).aggregate(
        started=Count("pk"), repeats=Count("pk", filter=Exists(earlier))
    )
    return {
        "cp_children": counts["children"],
        "cp_rate_per_10k": round(counts["children"] * 10_000 / population, 1) if population else None,
        "cp_neglect_children": counts["neglect_children"],
        "cp_neglect_share_pct": _percent(counts["neglect_children"], counts["children"]),
        "cp_neglect_12m_plus_pct": _percent(counts["neglect_12m"], counts["neglect_plans"]),
        "cp_neglect_repeat_pct": _percent(started["repeats"], started["started"]),
    }


def _plans_and_care(quarter):
    end = quarter.end
    neglect = _neglect_plans()
    cin = neglect.filter(_open_at(end), kind=PlanKind.CHILD_IN_NEED).aggregate(
        open=Count("pk"), long=Count("pk", filter=Q(started_on__lte=end - relativedelta(months=6)))
    )
    entered_care = neglect.filter(kind=PlanKind.LOOKED_AFTER, started_on__range=(quarter.start, end)).aggregate(
        children=Count("case__child", distinct=True)
    )["children"]
    eha_before = AssessmentRun.objects.filter(
        case__child_id=OuterRef("case__child_id"), definition__key=_eha_key(), status=RunStatus.FINAL, assessed_on__lt=OuterRef("started_on")
    )
    early_help_before = Plan.objects.filter(case__child_id=OuterRef("case__child_id"), kind=PlanKind.EARLY_HELP, started_on__lt=OuterRef("started_on"))
    starting = (
        neglect.filter(kind__in=[PlanKind.CHILD_IN_NEED, PlanKind.CHILD_PROTECTION], started_on__range=(quarter.start, end))
        .annotate(had_early_help=Exists(eha_before) | Exists(early_help_before))
        .aggregate(children=Count("case__child", distinct=True), with_eha=Count("case__child", distinct=True, filter=Q(had_early_help=True)))
    )
    adolescent_born_by = end - relativedelta(years=ADOLESCENT_AGE)
    adolescents = neglect.filter(
        _open_at(end), kind__in=[PlanKind.CHILD_IN_NEED, PlanKind.CHILD_PROTECTION], case__child__is_unborn=False, case__child__date_of_birth__lte=adolescent_born_by
    ).aggregate(children=Count("case__child", distinct=True))["children"]
    return {
        "cin_neglect_6m_plus_pct": _percent(cin["long"], cin["open"]),
        "entered_care_neglect": entered_care,
        "neglect_plans_with_prior_eha_pct": _percent(starting["with_eha"], starting["children"]),
        "adolescents_on_neglect_plans": adolescents,
    }


def _eha_key():
    return getattr(settings, "DASHBOARD_EHA_TOOL_KEY", "eha")


def _referrals(quarter):
    start, end = quarter.start, quarter.end
    a_year_before = (
        Referral.objects.filter(child_id=OuterRef("child_id"), referred_on__lt=OuterRef("referred_on"))
        .annotate(referred_number=_date_number("referred_on"))
        .filter(referred_number__gte=OuterRef("repeat_window_starts"))
    )
    counts = (
        Referral.objects.filter(is_neglect=True, referred_on__range=(start, end))
        .annotate(repeat_window_starts=_date_number("referred_on", years_back=1))
        .annotate(is_repeat=Exists(a_year_before))
        .aggregate(
            total=Count("pk"),
            to_assessment=Count("pk", filter=Q(outcome__in=[ReferralOutcome.STATUTORY_ASSESSMENT, ReferralOutcome.STRATEGY_DISCUSSION_S47])),
            repeats=Count("pk", filter=Q(is_repeat=True)),
        )
    )
    return {
        "neglect_referrals": counts["total"],
        "neglect_referrals_to_assessment_pct": _percent(counts["to_assessment"], counts["total"]),
        "neglect_repeat_referrals_12m_pct": _percent(counts["repeats"], counts["total"]),
    }


def _date_number(field, *, years_back=0):
    """A date as the number YYYYMMDD, the year moved back if asked (as `cases.selectors` flags repeat referrals).

    Comparing the numbers compares the dates, and "the same day a year earlier" is arithmetic that
    SQLite and PostgreSQL share. The same calendar day a year earlier is inside the window.
    """
    return (ExtractYear(field) - years_back) * 10000 + ExtractMonth(field) * 100 + ExtractDay(field)


def _tool_keys():
    """Tools counted per agency (`DASHBOARD_TOOL_KEYS`): Graded Care Profile 2 and the development checklist."""
    return tuple(getattr(settings, "DASHBOARD_TOOL_KEYS", ("gcp2", "ccdc")))


def _practice(quarter):
    keys = _tool_keys()
    rows = (
        AssessmentRun.objects.filter(status=RunStatus.FINAL, assessed_on__range=(quarter.start, quarter.end), definition__key__in=keys)
        .values("agency__name")
        .annotate(**{key: Count("pk", filter=Q(definition__key=key)) for key in keys}, total=Count("pk"))
        .order_by("agency__name")
    )
    attendance = attendance_by_agency(start=quarter.start, end=quarter.end)
    return {
        "tool_runs_by_agency": [{"agency": row.pop("agency__name"), **row} for row in rows],
        "conference_attendance_by_agency": [
            {"agency": a.agency_name, "invitations": a.invitations, "attended": a.attended, "attended_pct": _percent(a.attended, a.invitations)}
            for a in attendance
        ],
    }


def _latest_attendance(*, before=None, within=None):
    """The child's latest school attendance percentage reported before a date or within a range (an amended entry counts once)."""
    entries = ChronologyEntry.objects.filter(
        child_id=OuterRef("pk"), kind=EntryKind.SCHOOL_ATTENDANCE, attendance_percentage__isnull=False, superseded_by__isnull=True
    )
    entries = entries.filter(occurred_on__lt=before) if before is not None else entries.filter(occurred_on__range=within)
    return Subquery(entries.order_by("-occurred_on", "-pk").values("attendance_percentage")[:1])


def _education(quarter):
    """Attendance of children on a neglect plan (CP or CIN) at the quarter's end who had attendance reported in it.

    Counted over children (EXISTS a plan), not plans, so a child on two plans counts once.
    """
    on_plan = _neglect_plans().filter(_open_at(quarter.end), kind__in=[PlanKind.CHILD_IN_NEED, PlanKind.CHILD_PROTECTION], case__child_id=OuterRef("pk"))
    counts = (
        Child.objects.filter(Exists(on_plan))
        .annotate(latest=_latest_attendance(within=(quarter.start, quarter.end)), before=_latest_attendance(before=quarter.start))
        .filter(latest__isnull=False)
        .aggregate(
            mean=Avg("latest"),
            compared=Count("pk", filter=Q(before__isnull=False)),
            improved=Count("pk", filter=Q(before__isnull=False, latest__gt=F("before"))),
        )
    )
    return {
        "school_attendance_neglect_pct": None if counts["mean"] is None else round(float(counts["mean"]), 1),
        "attendance_improved_pct": _percent(counts["improved"], counts["compared"]),
    }


def compute_measures(*, quarter: Quarter):
    """Every measure for one quarter, key -> value, in report order (about twelve queries)."""
    values = {**_protection(quarter), **_plans_and_care(quarter), **_referrals(quarter), **_practice(quarter), **_education(quarter),
              "action_plan_rag_by_agency": action_plan_rag_by_agency(quarter=quarter)}
    return {m.key: values[m.key] for m in measures()}


def quarter_measures(*, quarter: Quarter):
    """The signed-off figures when the quarter has a finished snapshot, else computed now."""
    from .models import DashboardSnapshot, SnapshotStatus

    snapshot = DashboardSnapshot.objects.filter(quarter=quarter.name, status=SnapshotStatus.DONE).only("measures").first()
    return snapshot.measures if snapshot is not None else compute_measures(quarter=quarter)


def measures_history(*, quarter: Quarter, count=8, current=None):
    """Quarter name -> measures for the `count` quarters ending with `quarter`, oldest first (trend charts).

    `current` supplies this quarter's figures when the caller has just computed them.
    """
    history = {q.name: quarter_measures(quarter=q) for q in quarter.last(count)[:-1]}
    history[quarter.name] = current if current is not None else quarter_measures(quarter=quarter)
    return history


def snapshot_for(*, quarter: Quarter):
    """The quarter's snapshot row without its PDF bytes (status for the page), or None."""
    from .models import DashboardSnapshot

    return DashboardSnapshot.objects.filter(quarter=quarter.name).defer("pdf").first()


def snapshot_pdf(*, quarter: Quarter):
    """The signed-off PDF of a finished snapshot, or None when there is none yet."""
    from .models import DashboardSnapshot, SnapshotStatus

    pdf = DashboardSnapshot.objects.filter(quarter=quarter.name, status=SnapshotStatus.DONE).values_list("pdf", flat=True).first()
    return bytes(pdf) if pdf else None
