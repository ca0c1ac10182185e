"""The quarterly neglect measures, each one or two SQL aggregates (docs/dashboard.md; the catalogue is dashboard/measures.py).

Values are plain JSON: a number, None when there is nothing to divide by or no data, or for
per-agency breakdowns a list of {"agency": name, ...} rows. Beside the measures, `compute_measures`
keeps what the disclosure rule needs and no page prints as such: `basis` (for each percentage its
numerator `n` and denominator `d`, for each mean or median its `base`) and `breakdowns` (counts of
children by locality, age band, ethnicity and disability).

Figures are as at the quarter's last day unless the definition says "in the quarter". A plan is open
at a date when it started on or before it and has no end date or ends after it (a plan ending on the
last day has ended, as in the Children in Need census).

These functions read whole-partnership aggregates that never name a child, so they take no user:
who may see them is decided once, in `agencies.access` (`can_see_dashboard`), by the page, API and
task that call them. Most queries return counts. Rows are counted here only where SQL would cost
more: the Graded Care Profile 2 grades compared run to run, school attendance (one row per child),
and the median on SQLite (the demo's database has no percentile aggregate). The two rules for
"plans for neglect" are evaluated once a quarter, as ids (`_NeglectPlans`), and the measures count
plans of those ids instead of evaluating the rules again.

Shared rules are not written again here: repeat plans and plan length are plans/history.py's,
repeat referrals referrals/history.py's (drift reads the same), quarters neglect_portal/quarters.py's. A CIN or
looked-after plan carries no category: `_neglect_plans` reads the DfE codes the census holds for the
referral that opened the child's episode, and only where there are none the portal's assumption
(the definitions print it: dashboard/measures.py, `NEGLECT_PLAN`).
"""

import re
import statistics
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import timedelta
from functools import reduce
from operator import or_

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import connection
from django.db.models import (
    Aggregate,
    BooleanField,
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models import Case as Choose
from django.db.models.functions import JSONArray

from cases.models import ADOLESCENT_AGE, Case, Child, Threshold
from census.models import DISABILITIES
from chronologies.models import ChronologyEntry, EntryKind
from concerns.models import Concern, NeglectType
from conferences.selectors import attendance_by_agency
from neglect_portal.lookups import any_of
from neglect_portal.quarters import Quarter
from partnership.selectors import action_plan_rag_by_agency, partnership_profile
from plans.history import LONG_CIN_PLAN, LONG_CP_PLAN, is_repeat_plan
from plans.models import CPCategory, Plan, PlanKind
from referrals.history import is_repeat_referral
from referrals.models import Referral, ReferralOutcome
from tools.models import AssessmentRun, DefinitionStatus, RunStatus, ToolDefinition
from tools.requirements import levels_with_requirements, tool_requirements
from tools.selectors import required_tool_names

from .measures import CATALOGUE, DIMENSIONS, HIGHER, LOWER, THEMES, Measure

__all__ = ["DIMENSIONS", "HIGHER", "LOWER", "THEMES", "Measure", "catalogue", "compute_measures", "measures", "measure_by_key"]


def catalogue():
    """Every measure the portal can compute, in report order, with the plan-length thresholds in its words (no targets)."""
    months = {"long_cp_months": LONG_CP_PLAN.months, "long_cin_months": LONG_CIN_PLAN.months}
    return [
        replace(m, title=m.title.format(**months), definition=m.definition.format(**months))
        for m in [*CATALOGUE[:-1], *_required_tool_measures(), CATALOGUE[-1]]
    ]


def dashboard_setup():
    """The partnership's set-up row (chosen set, added measures, board), or None before anyone saved one."""
    from .models import DashboardSetup

    return DashboardSetup.objects.select_related("measure_set").filter(pk=DashboardSetup.SINGLETON_ID).first()


def shown_keys(setup=None):
    """The keys the partnership's dashboard shows: its set's and those it added; None for the whole catalogue."""
    setup = setup if setup is not None else dashboard_setup()
    if setup is None or setup.measure_set is None:
        return None
    return {*setup.measure_set.items.values_list("measure_key", flat=True), *setup.added_measures}


def current_targets():
    """Measure key -> its latest `MeasureTarget` row (removed targets left out): the strategy group's targets now."""
    from .models import MeasureTarget

    latest = {}
    for target in MeasureTarget.objects.select_related("set_by").order_by("measure_key", "-set_at", "-pk"):
        latest.setdefault(target.measure_key, target)
    return {key: target for key, target in latest.items() if target.value is not None}


def target_words(target):
    """Who set a target, when and why, as the page and the PDF print it."""
    who = target.set_by.get_full_name() or target.set_by.get_username()
    return f"Set by {who} on {target.set_at:%-d %B %Y}: {target.reason}"


def _with_targets(measure_list, targets):
    return [replace(m, target=targets[m.key].value, target_set_by=target_words(targets[m.key])) if m.key in targets else m for m in measure_list]


def measures():
    """The measures the partnership's dashboard shows, in report order, with the strategy group's targets."""
    shown = shown_keys()
    return _with_targets([m for m in catalogue() if shown is None or m.key in shown], current_targets())


def _required_tool_key(level):
    return f"required_tool_{level}_pct"


def _required_tool_measures():
    """One measure per level of need at which the partnership requires a tool (`TOOLS_REQUIRED`, tools/requirements.py).

    Keys are stable per level, so snapshots, the CSV and trend charts line up across quarters; a
    level with no requirement has no measure.
    """
    by_level = {}
    for requirement in tool_requirements():
        by_level.setdefault(requirement.level, []).append(requirement)
    names = required_tool_names() if by_level else {}
    measures_ = []
    for level in levels_with_requirements():
        expected = "; ".join(requirement.describe(names.get(requirement.tool_key, requirement.tool_key)) for requirement in by_level[level])
        measures_.append(
            Measure(
                _required_tool_key(level),
                f"Expected tool done: {Threshold(level).label}",
                f"Cases open at the end of the quarter at the {Threshold(level).label} level of need (their level now) from which an expected "
                f"tool was due by then, with a final assessment of every tool due, as a percentage. Expected: {expected}.",
                "practice",
                HIGHER,
                "percent",
            )
        )
    return measures_


def measure_by_key():
    """Every catalogue measure by key, as defined (no targets: `measures()` applies the strategy group's)."""
    return {m.key: m for m in catalogue()}


def _percent(part, whole):
    return None if not whole else round(100 * part / whole, 1)


def _ratio(values, basis, key, part, whole):
    """A percentage and its numerator and denominator (kept for the disclosure rule)."""
    values[key] = _percent(part, whole)
    basis[key] = {"n": part, "d": whole}


def _open_at(day, prefix=""):
    return Q(**{f"{prefix}started_on__lte": day}) & (Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gt": day}))


def _cp_neglect():
    return Q(kind=PlanKind.CHILD_PROTECTION, cp_category=CPCategory.NEGLECT)


# The DfE codes that say "neglect" (census/codes.py): primary need N1, assessment factor 16A.
NEGLECT_PRIMARY_NEED = "N1"
NEGLECT_FACTOR = "16A"


def _coded_for_the_census():
    return Q(census__primary_need__gt="")


def _coded_for_neglect():
    """A referral coded N1 with the factor 16A, on the referral's census coding or on one of its census assessments."""
    factor = f'"{NEGLECT_FACTOR}"'  # a JSON list's item, quoted: "16A" never matches inside another code
    return Q(census__primary_need=NEGLECT_PRIMARY_NEED) & (Q(census__assessment_factors__icontains=factor) | Q(census_assessments__factors__icontains=factor))


def _neglect_plans():
    """Plans for neglect: CP plans by category; CIN and looked-after plans by the census codes of their episode's referral.

    The episode's referral is the child's latest referral on or before the plan started. Coded for
    the census: neglect when primary need N1 with factor 16A. Not coded (or no referral): the
    portal's assumption, neglect when that referral was marked for neglect or the child had a child
    protection plan for neglect by the plan's start (dashboard/measures.py, `NEGLECT_PLAN`).

    Written so the episode is looked up once for most plans: "its referral says neglect" (coded
    for neglect, or not coded and marked) in one EXISTS, and only for a plan with an earlier CP plan
    for neglect, "its referral is not coded" (PostgreSQL repeats the lookup in every EXISTS that
    names it). tests/dashboard/test_neglect_rule.py holds it equal to the rule as first written.
    """
    episode = Referral.objects.filter(child_id=OuterRef(OuterRef("child_id")), referred_on__lte=OuterRef(OuterRef("started_on")))
    episode = Subquery(episode.order_by("-referred_on", "-pk").values("pk")[:1])
    not_coded = Q(census__isnull=True) | Q(census__primary_need="")
    says_neglect = Exists(Referral.objects.filter(_coded_for_neglect() | (not_coded & Q(is_neglect=True)), pk=episode))
    coded = Exists(Referral.objects.filter(_coded_for_the_census(), pk=episode))
    cp_before = Exists(Plan.objects.filter(_cp_neglect(), child_id=OuterRef("child_id"), started_on__lte=OuterRef("started_on")))
    uncategorised = Q(kind__in=[PlanKind.CHILD_IN_NEED, PlanKind.LOOKED_AFTER]) & (says_neglect | (cp_before & ~coded))
    return Plan.objects.filter(_cp_neglect() | uncategorised)


def _alive_in(quarter):
    """Plans open at some time in the quarter: every plan a measure counts (open at its end, started or ended in it)."""
    return Q(started_on__lte=quarter.end) & (Q(ended_on__isnull=True) | Q(ended_on__gte=quarter.start))


@dataclass(frozen=True)
class _NeglectPlans:
    """The quarter's plans for neglect, each rule evaluated once: `neglect` (CP, CIN, looked after) and `early_help`.

    Both rules read every plan's episode, concerns or referrals through correlated subqueries, the
    dearest SQL of the quarter; the measures then count plans of these ids (`any_of`, one array).
    `current`: for each child on a CP or CIN plan for neglect open at the quarter's end, the start
    of their current plan (`_current_plans`).
    """

    neglect: QuerySet
    early_help: QuerySet
    current: dict

    @classmethod
    def of(cls, quarter):
        def ids(plans):
            return any_of("pk", plans.filter(_alive_in(quarter)).values_list("pk", flat=True))

        neglect = Plan.objects.filter(ids(_neglect_plans()))
        return cls(neglect=neglect, early_help=Plan.objects.filter(ids(_early_help_for_neglect())), current=_current_plans(quarter.end, neglect))

    @classmethod
    def by_the_rules(cls, quarter):
        """The same plans with each rule left in place, evaluated by every query that reads it (what `of` must equal)."""
        return cls(neglect=_neglect_plans(), early_help=_early_help_for_neglect(), current=_current_plans(quarter.end, _neglect_plans()))


def _named_neglect():
    return reduce(or_, (Q(**{kind.field_name: True}) for kind in NeglectType))


def _early_help_for_neglect():
    """Early Help plans for neglect: by the plan's start, a concern naming a type of neglect, or a referral for neglect."""
    child = OuterRef("child_id")
    concern = Concern.objects.filter(_named_neglect(), child_id=child, observed_on__lte=OuterRef("started_on"))
    referred = Referral.objects.filter(child_id=child, is_neglect=True, referred_on__lte=OuterRef("started_on"))
    return Plan.objects.filter(kind=PlanKind.EARLY_HELP).filter(Exists(concern) | Exists(referred))


# --- Breakdowns of counts of children --------------------------------------------------------------

# The DfE's major ethnic groups over the census codes (cases.models.Ethnicity); Chinese with Asian, as the 2021 Census groups it.
ETHNIC_GROUPS = {
    "white": ("WBRI", "WIRI", "WIRT", "WOTH", "WROM"),
    "mixed": ("MWBC", "MWBA", "MWAS", "MOTH"),
    "asian": ("AIND", "APKN", "ABAN", "AOTH", "CHNE"),
    "black": ("BCRB", "BAFR", "BOTH"),
    "other": ("OOTH",),
}
# Age bands of the Children in Need census, at the quarter's end: lower bound in years.
AGE_BANDS = (("under_1", 0), ("1_to_4", 1), ("5_to_9", 5), ("10_to_15", 10), ("16_plus", 16))
CATEGORY_LABELS = {
    "not_recorded": "Not recorded",
    "unborn": "Unborn",
    "under_1": "Under 1",
    "1_to_4": "1 to 4",
    "5_to_9": "5 to 9",
    "10_to_15": "10 to 15",
    "16_plus": "16 and over",
    "white": "White",
    "mixed": "Mixed or multiple",
    "asian": "Asian or Asian British",
    "black": "Black or Black British",
    "other": "Other ethnic group",
    "not_known": "Refused or not yet obtained",
    "disabled": "Disabled",
    "not_disabled": "Not recorded as disabled",
}


def category_label(category):
    return CATEGORY_LABELS.get(category, str(category).title())


# A disability code other than NONE in the census record's JSON list (quoted: "HEAR" never matches inside another code); one
# pattern, not a condition per code, as the breakdowns repeat it in every count.
DISABLED_CODE = '"({})"'.format("|".join(re.escape(code) for code in DISABILITIES if code != "NONE"))


def dimension_categories(child, on):
    """{dimension: category expression} over the child at the path `child` ("" for Child rows); each dimension a partition.

    Every child falls in exactly one category of each dimension (a CASE with a default), so a
    dimension's counts add up to the measure's count (the disclosure rule relies on it, as a reader
    would). Locality is the family's, read as it is (`_breakdown` counts an unlisted one, or none,
    as "not recorded"). Age band at `on`: a child still unborn, or born after `on`, is "unborn".
    Disability: the child's record says so (the census import sets it from the DfE disability
    codes), or the child's census record holds a code other than NONE.
    """
    p = f"{child}__" if child else ""
    born = {f"{p}is_unborn": False}
    ages = [When(**born, **{f"{p}date_of_birth__lte": on - relativedelta(years=years)}, then=Value(band)) for band, years in reversed(AGE_BANDS)]
    ethnicity = [When(**{f"{p}ethnicity__in": codes}, then=Value(group)) for group, codes in ETHNIC_GROUPS.items()]
    disabled = Q(**{f"{p}disability": True}) | Q(**{f"{p}census__disabilities__iregex": DISABLED_CODE})
    return {
        "locality": F(f"{p}family__locality"),
        "age_band": Choose(*ages, default=Value("unborn")),
        "ethnicity": Choose(*ethnicity, default=Value("not_known")),
        "disability": Choose(When(disabled, then=Value("disabled")), default=Value("not_disabled")),
    }


def _categories():
    """{dimension: every category, in report order}."""
    return {
        "locality": [*settings.PARTNERSHIP_LOCALITIES, "not_recorded"],
        "age_band": ["unborn", *(band for band, _ in AGE_BANDS)],
        "ethnicity": [*ETHNIC_GROUPS, "not_known"],
        "disability": ["disabled", "not_disabled"],
    }


def _empty_breakdown():
    return {dimension: dict.fromkeys(names, 0) for dimension, names in _categories().items()}


def _grouped_by_category(queryset, *, child, on, **flags):
    """`queryset`'s rows counted by (each flag, then every dimension's category): a few hundred rows at most."""
    grouped = {f"by_{dimension}": category for dimension, category in dimension_categories(child, on).items()}  # not a field's name
    return queryset.order_by().values(**flags, **grouped).annotate(rows=Count("pk"))


def _add_up(breakdown, row):
    for dimension, counts in breakdown.items():
        category = row[f"by_{dimension}"]
        counts[category if category in counts else "not_recorded"] += row["rows"]


def _breakdown(queryset, *, child, on):
    """Counts of the rows (referrals) by every dimension of their child at the path `child`, in one grouped query.

    One row per combination of categories found (a few hundred at most), added up here by dimension:
    three CASE expressions a row, not a filtered count per category. Children counted once each:
    `_breakdowns_of_children`.
    """
    result = _empty_breakdown()
    for row in _grouped_by_category(queryset, child=child, on=on):
        _add_up(result, row)
    return result


def _breakdowns_of_children(sets, *, on):
    """{name: breakdown of the children of a set} for several sets of rows naming a child (`child_id`: plans), in one grouped query.

    The same counts as a `_breakdown` of each set (each set's children once), read at once: the
    children of any set, each with a flag per set (whether its id is among that set's children:
    PostgreSQL hashes each set once), grouped by the flags and the categories. One query to build
    and send instead of one a set (tests/dashboard/test_breakdowns_grouped.py).
    """
    children = [rows.order_by().values("child_id") for rows in sets.values()]
    flags = {f"in_{i}": ExpressionWrapper(Q(pk__in=of_set), output_field=BooleanField()) for i, of_set in enumerate(children)}
    anyone = Child.objects.filter(pk__in=children[0].union(*children[1:], all=True))
    results = {name: _empty_breakdown() for name in sets}
    for row in _grouped_by_category(anyone, child="", on=on, **flags):
        for i, name in enumerate(sets):
            if row[f"in_{i}"]:
                _add_up(results[name], row)
    return results


def _counted(breakdown):
    """The number counted by a breakdown: any one dimension's categories added up, as each dimension is a partition."""
    return sum(next(iter(breakdown.values())).values())


# --- The measures ------------------------------------------------------------------------------------


class _DaysBetween(Func):
    """Whole days from one date column to another (PostgreSQL subtracts dates; SQLite through julianday)."""

    output_field = IntegerField()

    def as_sql(self, compiler, connection, **extra):
        (start, start_params), (end, end_params) = (compiler.compile(expression) for expression in self.source_expressions)
        return f"({end} - {start})", [*end_params, *start_params]

    def as_sqlite(self, compiler, connection, **extra):
        (start, start_params), (end, end_params) = (compiler.compile(expression) for expression in self.source_expressions)
        return f"CAST(julianday({end}) - julianday({start}) AS INTEGER)", [*end_params, *start_params]


class _Median(Aggregate):
    """The median (PostgreSQL's PERCENTILE_CONT): one aggregate however many plans."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def _median_days(plans):
    """(median days from start to end, number of plans) over ended plans."""
    days = plans.annotate(days=_DaysBetween(F("started_on"), F("ended_on")))
    if connection.vendor == "postgresql":
        result = days.aggregate(median=_Median("days"), plans=Count("pk"))
        return (None if result["median"] is None else round(result["median"], 1)), result["plans"]
    lengths = list(days.values_list("days", flat=True))  # SQLite (the demo) has no percentile aggregate
    return (round(statistics.median(lengths), 1) if lengths else None), len(lengths)


def _protection(quarter, basis):
    end = quarter.end
    open_cp = Plan.objects.filter(_open_at(end), kind=PlanKind.CHILD_PROTECTION)
    counts = open_cp.aggregate(
        children=Count("child_id", distinct=True),
        neglect_children=Count("child_id", distinct=True, filter=Q(cp_category=CPCategory.NEGLECT)),
        neglect_plans=Count("pk", filter=Q(cp_category=CPCategory.NEGLECT)),
        neglect_12m=Count("pk", filter=Q(cp_category=CPCategory.NEGLECT) & LONG_CP_PLAN.started_long_enough_before(end)),
    )
    population = partnership_profile().under_18_population
    started = Plan.objects.filter(_cp_neglect(), started_on__range=(quarter.start, end)).aggregate(
        started=Count("pk"), repeats=Count("pk", filter=is_repeat_plan()), repeats_after_neglect=Count("pk", filter=is_repeat_plan(previous_only=True))
    )
    median, ended = _median_days(Plan.objects.filter(_cp_neglect(), ended_on__range=(quarter.start, end)))
    values = {
        "cp_children": counts["children"],
        "cp_rate_per_10k": round(counts["children"] * 10_000 / population, 1) if population else None,
        "cp_neglect_children": counts["neglect_children"],
        "cp_neglect_rate_per_10k": round(counts["neglect_children"] * 10_000 / population, 1) if population else None,
        "cp_neglect_length_median_days": median,
    }
    basis["cp_neglect_length_median_days"] = {"base": ended}
    _ratio(values, basis, "cp_neglect_share_pct", counts["neglect_children"], counts["children"])
    _ratio(values, basis, "cp_neglect_12m_plus_pct", counts["neglect_12m"], counts["neglect_plans"])
    _ratio(values, basis, "cp_neglect_repeat_pct", started["repeats"], started["started"])
    _ratio(values, basis, "cp_neglect_repeat_after_neglect_pct", started["repeats_after_neglect"], started["started"])
    return values


def _plans_and_care(quarter, basis, breakdowns, plans):
    end = quarter.end
    neglect = plans.neglect
    cin = neglect.filter(_open_at(end), kind=PlanKind.CHILD_IN_NEED).aggregate(
        open=Count("pk"), long=Count("pk", filter=LONG_CIN_PLAN.started_long_enough_before(end))
    )
    entered_care = _counted(breakdowns["entered_care_neglect"])
    eha_before = AssessmentRun.objects.filter(
        case__child_id=OuterRef("child_id"), definition__key=_eha_key(), status=RunStatus.FINAL, assessed_on__lt=OuterRef("started_on")
    )
    early_help_before = Plan.objects.filter(child_id=OuterRef("child_id"), kind=PlanKind.EARLY_HELP, started_on__lt=OuterRef("started_on"))
    starting = (
        neglect.filter(kind__in=[PlanKind.CHILD_IN_NEED, PlanKind.CHILD_PROTECTION], started_on__range=(quarter.start, end))
        .annotate(had_early_help=Exists(eha_before) | Exists(early_help_before))
        .aggregate(
            children=Count("child_id", distinct=True),
            with_eha=Count("child_id", distinct=True, filter=Q(had_early_help=True)),
        )
    )
    adolescent_born_by = end - relativedelta(years=ADOLESCENT_AGE)
    adolescents = Child.objects.filter(any_of("pk", plans.current), is_unborn=False, date_of_birth__lte=adolescent_born_by).count()
    values = {"entered_care_neglect": entered_care, "adolescents_on_neglect_plans": adolescents}
    _ratio(values, basis, "cin_neglect_6m_plus_pct", cin["long"], cin["open"])
    _ratio(values, basis, "neglect_plans_with_prior_eha_pct", starting["with_eha"], starting["children"])
    return values


# An Early Help plan ends in escalation when a statutory plan starts while it is open or this soon after it ends.
ESCALATION_DAYS = 30


def _early_help(quarter, basis, breakdowns, plans):
    """Children in early help for neglect at the quarter's end; of those whose early help ended in it, how many went on to a statutory plan."""
    end = quarter.end
    early_help = plans.early_help
    statutory = Plan.objects.filter(
        child_id=OuterRef("child_id"),
        kind__in=[PlanKind.CHILD_IN_NEED, PlanKind.CHILD_PROTECTION],
        started_on__gte=OuterRef("started_on"),
        started_on__lte=ExpressionWrapper(OuterRef("ended_on") + timedelta(days=ESCALATION_DAYS), output_field=DateField()),
    )
    ended = early_help.filter(ended_on__range=(quarter.start, end)).aggregate(
        children=Count("child_id", distinct=True),
        escalated=Count("child_id", distinct=True, filter=Exists(statutory)),
    )
    values = {"early_help_neglect_children": _counted(breakdowns["early_help_neglect_children"])}
    _ratio(values, basis, "early_help_neglect_escalated_pct", ended["escalated"], ended["children"])
    return values


def _eha_key():
    return getattr(settings, "DASHBOARD_EHA_TOOL_KEY", "eha")


def _referrals(quarter, basis, breakdowns):
    start, end = quarter.start, quarter.end
    received = Referral.objects.filter(referred_on__range=(start, end))
    counts = received.aggregate(
        all=Count("pk"),
        total=Count("pk", filter=Q(is_neglect=True)),
        to_assessment=Count("pk", filter=Q(is_neglect=True, outcome__in=[ReferralOutcome.STATUTORY_ASSESSMENT, ReferralOutcome.STRATEGY_DISCUSSION_S47])),
        repeats=Count("pk", filter=Q(is_neglect=True) & is_repeat_referral()),
    )
    breakdowns["neglect_referrals"] = _breakdown(received.filter(is_neglect=True), child="child", on=end)
    values = {"neglect_referrals": counts["total"]}
    _ratio(values, basis, "neglect_referrals_share_pct", counts["total"], counts["all"])
    _ratio(values, basis, "neglect_referrals_to_assessment_pct", counts["to_assessment"], counts["total"])
    _ratio(values, basis, "neglect_repeat_referrals_12m_pct", counts["repeats"], counts["total"])
    return values


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


def _on_neglect_plans(day, neglect):
    """The CP and CIN plans among `neglect` (plans for neglect) open on `day`."""
    return neglect.filter(_open_at(day), kind__in=[PlanKind.CHILD_IN_NEED, PlanKind.CHILD_PROTECTION])


def _current_plans(day, neglect):
    """{child id: start of their current plan} for the children on a CP or CIN plan for neglect open on `day`.

    The current plan: the child's earliest CP or CIN plan open on `day`, of any category (the
    neglect rule already chose the children).
    """
    return dict(
        Plan.objects.filter(
            _open_at(day),
            kind__in=[PlanKind.CHILD_IN_NEED, PlanKind.CHILD_PROTECTION],
            child_id__in=_on_neglect_plans(day, neglect).values("child_id"),
        )
        .order_by()
        .values("child_id")
        .annotate(start=Min("started_on"))
        .values_list("child_id", "start")
    )


# The Graded Care Profile 2's health sub-area: answers[area][item]["value"], graded 1 (best) to 5.
GCP2_KEY = "gcp2"
GCP2_HEALTH = ("physical_care", "health")


def _gcp2_areas():
    """The area ids of the latest published Graded Care Profile 2 (their grades are compared run to run).

    Read from the stored structure as it is: a definition that does not parse (a stand-in without
    areas) simply has none, and the measure has no data rather than the snapshot failing.
    """
    definition = ToolDefinition.objects.filter(key=GCP2_KEY, status=DefinitionStatus.PUBLISHED).order_by("-version").first()
    areas = (definition.structure or {}).get("areas") if definition is not None else None
    return [area["id"] for area in areas if isinstance(area, dict) and area.get("id")] if isinstance(areas, list) else []


def _outcomes(quarter, basis, plans):
    """Care and health on the Graded Care Profile 2: the first final run since the child's neglect plan started against the latest.

    For the children on a neglect plan at the quarter's end and the start of their current plan
    (`plans.current`), two reads: their final runs up to the quarter's end (ids and dates only), of
    which those since that start count; then the grades of each child's first and latest of them,
    compared here (`_grades_compared`). Grades read through correlated subqueries per child and
    area cost most of the quarter.
    """
    end = quarter.end
    areas = _gcp2_areas()
    current = plans.current
    runs = AssessmentRun.objects.filter(any_of("case__child_id", current), definition__key=GCP2_KEY, status=RunStatus.FINAL, assessed_on__lte=end).order_by()
    dated = defaultdict(list)
    for child_id, assessed_on, pk in runs.values_list("case__child_id", "assessed_on", "pk"):
        if assessed_on >= current[child_id]:
            dated[child_id].append((assessed_on, pk))
    pairs = [(min(runs_of)[1], max(runs_of)[1]) for runs_of in dated.values() if len(runs_of) >= 2]
    counts = _grades_compared(pairs, _run_grades([run for pair in pairs for run in pair], areas), areas)
    values = {}
    _ratio(values, basis, "gcp2_improved_pct", counts["improved"], counts["compared"])
    _ratio(values, basis, "gcp2_health_improved_pct", counts["health_improved"], counts["health_compared"])
    return values


GRADES_READ_AT_ONCE = 5_000  # run ids per query: well under the database's limit on parameters


def _run_grades(run_ids, areas):
    """{run id: (grade of each area, in `areas` order, then the health sub-area's grade)}; a grade that is not a number is None.

    A run's grades come as one JSON array (one value to decode a run, not one per grade: 20,000 at 10 x).
    """
    fields = [f"scores__areas__{area}" for area in areas] + ["answers__{}__{}__value".format(*GCP2_HEALTH)]
    read = JSONArray(*(F(field) for field in fields))
    run_ids = sorted(set(run_ids))
    grades = {}
    for start in range(0, len(run_ids), GRADES_READ_AT_ONCE):
        for pk, values in AssessmentRun.objects.filter(any_of("pk", run_ids[start : start + GRADES_READ_AT_ONCE])).values_list("pk", read):
            grades[pk] = tuple(value if isinstance(value, int | float) and not isinstance(value, bool) else None for value in values)
    return grades


def _lower(grade, than):
    """SQL's `grade < than`: unknown (None) when either grade is missing."""
    return None if grade is None or than is None else grade < than


def _either(answers):
    """SQL's OR: true if any is true, else unknown if any is unknown, else false."""
    return True if True in answers else (None if None in answers else False)


def _grades_compared(pairs, grades, areas):
    """Counts of children compared and improved, from each child's (first run, latest run).

    Graded 1 (best) to 5. Improved: better in at least one area and worse in none, every area's
    grades known; health improved: a lower health grade. A missing grade is compared with nothing.
    """
    counts = dict.fromkeys(("compared", "improved", "health_compared", "health_improved"), 0)
    for first_run, latest_run in pairs:
        *first, first_health = grades[first_run]
        *latest, latest_health = grades[latest_run]
        if first_health is not None and latest_health is not None:
            counts["health_compared"] += 1
            counts["health_improved"] += latest_health < first_health
        if areas:
            counts["compared"] += 1
            better = _either([_lower(now, before) for now, before in zip(latest, first, strict=True)])
            worse = _either([_lower(before, now) for now, before in zip(latest, first, strict=True)])
            counts["improved"] += better is True and worse is False
    return counts


def _latest_attendance(*, before=None, within=None):
    """The child's latest school attendance percentage reported before a date or within a range (an amended entry counts once)."""
    entries = ChronologyEntry.objects.filter(
        child_id=OuterRef("pk"), kind=EntryKind.SCHOOL_ATTENDANCE, attendance_percentage__isnull=False, superseded_by__isnull=True
    )
    entries = entries.filter(occurred_on__lt=before) if before is not None else entries.filter(occurred_on__range=within)
    return Subquery(entries.order_by("-occurred_on", "-pk").values("attendance_percentage")[:1])


# Persistently absent: attendance below this (missing 10% or more of sessions, the DfE's threshold).
PERSISTENT_ABSENCE_BELOW = 90


def _education(quarter, basis, plans):
    """Attendance of children on a neglect plan (CP or CIN) at the quarter's end who had attendance reported in it.

    Counted over children (EXISTS a plan), not plans, so a child on two plans counts once. One row
    per child (its latest attendance in the quarter and before it), counted here: PostgreSQL would
    repeat each lookup for every count that names it (it inlines a subquery's columns).
    """
    rows = (
        Child.objects.filter(any_of("pk", plans.current))
        .annotate(latest=_latest_attendance(within=(quarter.start, quarter.end)), before=_latest_attendance(before=quarter.start))
        .values_list("latest", "before")
    )
    reported = [(latest, before) for latest, before in rows if latest is not None]
    earlier = [(latest, before) for latest, before in reported if before is not None]
    mean = sum(latest for latest, _ in reported) / len(reported) if reported else None
    values = {"school_attendance_neglect_pct": None if mean is None else round(float(mean), 1)}
    basis["school_attendance_neglect_pct"] = {"base": len(reported)}
    _ratio(values, basis, "persistent_absence_neglect_pct", sum(latest < PERSISTENT_ABSENCE_BELOW for latest, _ in reported), len(reported))
    _ratio(values, basis, "attendance_improved_pct", sum(latest > before for latest, before in earlier), len(earlier))
    return values


def _required_tools(quarter, basis):
    """The share of cases at each level with the expected tool: one aggregate over cases (see `_required_tool_measures`).

    The rule (what is due, what meets it) is the requirement's own (tools/requirements.py), the
    same the drift flag `required_tool_missing` reads; here it is read for every case at once as
    SQL conditions, as at the quarter's last day.
    """
    end = quarter.end
    counts = {}
    open_then = Case.objects.filter(Q(opened_on__lte=end) & (Q(closed_on__isnull=True) | Q(closed_on__gt=end)))
    for level in levels_with_requirements():
        requirements = [requirement for requirement in tool_requirements() if requirement.level == level]
        due = Q()
        missing = Q()
        for requirement in requirements:
            due |= requirement.due_condition(end)
            missing |= requirement.due_condition(end) & ~requirement.met_condition(end)
        counts[_required_tool_key(level)] = open_then.aggregate(due=Count("pk", filter=due), met=Count("pk", filter=due & ~missing))
    basis.update({key: {"n": row["met"], "d": row["due"]} for key, row in counts.items()})
    return {key: _percent(row["met"], row["due"]) for key, row in counts.items()}


def _question_rows(rows, group):
    """Rows of a `by_question` measure: {"group", "question", "tag", "counts": [[label, n], ...], "total", "pct"} (lists keep their order in JSON)."""
    return [{"group": group, "tag": "", "pct": None, **row} for row in rows]


def _quality(quarter, basis):
    """The quality app's measures (audit rounds closed in the quarter, family feedback in it), as the catalogue keys them.

    The percentages keep their numerator and denominator in `basis`, like every other; the tables
    of answers by question are rows of counts that add up to each row's total.
    """
    from quality.models import GOOD_OR_BETTER, GRADED, Grade
    from quality.selectors import MEASURES as QUALITY_MEASURES
    from quality.selectors import quarter_measures as quality_quarter_measures

    raw = quality_quarter_measures(quarter=quarter)
    values = {m.key: raw[m.key] for m in QUALITY_MEASURES if m.unit in ("count", "percent")}
    for m in QUALITY_MEASURES:
        if m.unit == "percent":
            basis[m.key] = {"n": raw[m.derived_from[0]], "d": raw[m.derived_from[1]]}
    audit = []
    for closed in raw["audit_grades_by_question"]:
        group = f"{closed['round']} (closed {closed['closed_on']:%-d %B %Y})"
        rows = [
            {
                "question": row["question"],
                "tag": row["measure"] or "",
                "counts": [[Grade(grade).label, row["counts"][grade]] for grade in GRADED],
                "total": row["graded"],
                "pct": row["good_or_better_pct"],
                "good_or_better": sum(row["counts"][grade] for grade in GOOD_OR_BETTER),
            }
            for row in closed["rows"]
        ]
        audit.extend(_question_rows(rows, group))
    values["audit_grades_by_question"] = audit
    for key in ("feedback_parent_by_question", "feedback_child_by_question"):
        values[key] = [
            {
                "group": f"{row['set']} (version {row['version']})",
                "question": row["question"],
                "tag": "",
                "counts": [[label, n] for label, n in row["answers"]],
                "total": row["answered"],
                "pct": None,
            }
            for row in raw[key]
        ]
    return values


def _children_by_category(quarter, plans):
    """The breakdowns of the measures that count plans' children, in one query (`_breakdowns_of_children`).

    Children on a CP plan for neglect at the quarter's end, children who entered care under a plan
    for neglect in it, children in early help for neglect at its end; the measures of the last two
    are their breakdowns' totals.
    """
    end = quarter.end
    return _breakdowns_of_children(
        {
            "cp_neglect_children": Plan.objects.filter(_open_at(end), kind=PlanKind.CHILD_PROTECTION, cp_category=CPCategory.NEGLECT),
            "entered_care_neglect": plans.neglect.filter(kind=PlanKind.LOOKED_AFTER, started_on__range=(quarter.start, end)),
            "early_help_neglect_children": plans.early_help.filter(_open_at(end)),
        },
        on=end,
    )


def compute_measures(*, quarter: Quarter):
    """Every catalogue measure for one quarter, key -> value, in report order, with `basis` and `breakdowns` beside them.

    About thirty queries, and one per level with a required tool. Every measure of the catalogue
    is computed, whichever the partnership shows, so a snapshot keeps them all.
    """
    basis = {}
    plans = _NeglectPlans.of(quarter)
    breakdowns = _children_by_category(quarter, plans)
    values = {
        **_protection(quarter, basis),
        **_plans_and_care(quarter, basis, breakdowns, plans),
        **_early_help(quarter, basis, breakdowns, plans),
        **_referrals(quarter, basis, breakdowns),
        **_practice(quarter),
        **_outcomes(quarter, basis, plans),
        **_education(quarter, basis, plans),
        **_required_tools(quarter, basis),
        **_quality(quarter, basis),
        "action_plan_rag_by_agency": action_plan_rag_by_agency(quarter=quarter),
    }
    return {**{m.key: values[m.key] for m in catalogue()}, "basis": basis, "breakdowns": breakdowns}


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


def quarter_report(*, quarter: Quarter):
    """The strategy group's narrative, escalations and sign-off for the quarter, or None before anyone wrote them."""
    from .models import QuarterReport

    return QuarterReport.objects.select_related("signed_off_by").filter(quarter=quarter.name).first()


def measure_sets():
    """Every measure set (the shipped strategies first), with its items."""
    from .models import MeasureSet

    return MeasureSet.objects.prefetch_related("items").order_by("-shipped", "name")


def measure_sources():
    """Measure key -> [(set name, line)]: which strategy asked for it, in which line (one query)."""
    from .models import MeasureSetItem

    sources = {}
    for item in MeasureSetItem.objects.select_related("measure_set").order_by("-measure_set__shipped", "measure_set__name", "position"):
        sources.setdefault(item.measure_key, []).append((item.measure_set.name, item.source_line))
    return sources


def target_history(*, measure_key=None):
    """Every target set or removed, newest first (who, when, why), for one measure or all."""
    from .models import MeasureTarget

    rows = MeasureTarget.objects.select_related("set_by")
    return rows.filter(measure_key=measure_key) if measure_key else rows
