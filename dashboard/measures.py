"""The catalogue of quarterly neglect measures: what each one counts, and how it may be published.

Every measure has a stable key (snapshots, the API, CSV columns and the PDF all use it), a title, the
exact definition the page and the PDF print, the theme it is reported under, the direction that is
better, and, where a figure rests on the portal's own reading rather than on a DfE code or the
strategy's words, that assumption in plain words. Which strategy asked for it, and in which line,
is data: the measure sets (`MeasureSet`, shipped from dashboard/strategy_sets.json; the partnership
chooses its set and may add measures from this catalogue: `DashboardSetup`). Targets are set by the
strategy group (`MeasureTarget`), never here. docs/dashboard.md lists all of it.

`basis` says what a published figure is made of, which the disclosure rule (dashboard/disclosure.py)
needs: a `count` of children; a `rate` per 10,000 of the count named by `of`; a `ratio` (a
percentage) of a numerator and a denominator kept beside the values (`values["basis"][key]`); an
`average` (a mean or a median) over a base count kept the same way; `agency` rows; or `none`
(action-plan rows, which count no child). `within` names the count this one is part of (children on
plans for neglect are among the children on plans), so that the difference of the two is protected
too; `numerator` and `denominator` name counts of other measures a ratio is made of.
"""

from dataclasses import dataclass

from cases.models import ADOLESCENT_AGE
from quality.selectors import MEASURES as QUALITY_MEASURES

HIGHER = "higher"
LOWER = "lower"

THEMES = {
    "protection": "Children on child protection plans",
    "drift": "Drift, repeat plans and plan length",
    "front_door": "Referrals and early help",
    "practice": "Tools and conference attendance",
    "outcomes": "Outcomes for children",
    "education": "School, health and adolescents",
    "quality": "Audit and family feedback",
    "action_plans": "Agency action plans",
}

# Breakdowns of counts of children (docs/dashboard.md, "Breakdowns"): dimension -> heading.
DIMENSIONS = {
    "locality": "Locality",
    "age_band": "Age band",
    "ethnicity": "Ethnicity",
    "disability": "Disability",
}


@dataclass(frozen=True)
class Measure:
    key: str
    title: str
    definition: str
    theme: str
    better: str | None = None  # HIGHER or LOWER; None where neither is better (a volume)
    unit: str = "count"  # "count", "rate", "percent", "days" or "by_agency"
    target: float | None = None  # the strategy group's current target (MeasureTarget), applied by `measures()`
    counts_children: bool = True  # False: the figures count something else (plan rows), never suppressed
    basis: str = ""  # "count", "rate", "ratio", "average", "agency" or "none"; "" = from the unit
    of: str = ""  # a rate: the count measure it is a rate of
    within: str = ""  # a count: the count measure whose children include this one's
    numerator: str = ""  # a ratio: the count measure that is its numerator, if one is published
    denominator: str = ""  # a ratio: the count measure that is its denominator, if one is published
    breakdowns: bool = False  # a count broken down by DIMENSIONS
    assumption: str = ""  # where the figure rests on the portal's reading, that reading in words
    target_set_by: str = ""  # who set the target, when and why (printed beside it)
    notes: tuple = ()  # keys of NOTES: readings many measures share, printed once in the report
    tag: str = ""  # an audit count or percentage: the question tag whose rows of `GRADES_BY_QUESTION` add up to it

    @property
    def assumptions(self):
        """The measure's own assumption and the shared readings it rests on, in full (the page's tile)."""
        return " ".join(filter(None, [self.assumption, *(NOTES[note][1] for note in self.notes)]))

    @property
    def kind(self):
        """The basis, or the one the unit implies."""
        if self.basis:
            return self.basis
        if not self.counts_children:
            return "none"
        return {"count": "count", "rate": "rate", "percent": "ratio", "days": "average", "by_agency": "agency", "by_question": "question"}[self.unit]

    def rag(self, value):
        """ "green" at or past the target, "amber" within a tenth of it, "red" beyond; None without a target."""
        if self.target is None or self.better is None or not isinstance(value, (int, float)) or isinstance(value, bool):
            return None
        gap = (value - self.target) if self.better == HIGHER else (self.target - value)
        if gap >= 0:
            return "green"
        return "amber" if -gap <= abs(self.target) / 10 else "red"


POPULATION = "children under 18 (the partnership's under-18 population, from its profile)"
NEGLECT_PLAN = (
    "A Child in Need or looked-after plan carries no category. It counts as for neglect when the referral that opened the "
    "child's episode (the child's latest referral on or before the plan started) is coded for the Children in Need census "
    "with primary need N1 (abuse, neglect and exploitation) and the assessment factor 16A (neglect). Where that referral has "
    "no census coding, the portal assumes neglect when the referral was marked for neglect or the child had had a child "
    "protection plan for neglect by the plan's start."
)
EARLY_HELP_FOR_NEGLECT = (
    "An Early Help plan carries no category: the portal counts it as for neglect when, by its start, a concern naming a "
    "type of neglect had been recorded about the child or the child had been referred for neglect."
)
# Readings that many measures rest on: (heading, words). The page prints them with each measure, the
# report once, above its definitions (docs/dashboard.md, "Shared rules, written once").
NOTES = {
    "neglect_plan": ("Neglect plans without a category", NEGLECT_PLAN),
    "early_help": ("Early help for neglect", EARLY_HELP_FOR_NEGLECT),
}

# The audit measure whose rows (one per question of each round closed in the quarter) the tagged audit counts add up.
GRADES_BY_QUESTION = "audit_grades_by_question"


def _quality_measures():
    """The quality app's measures (quality/selectors.py, `MEASURES`) as catalogue entries under the "quality" theme.

    A percentage's denominator is the published count it is worked out from; its numerator (cases good or better, links
    answered) is not published on its own. `by_question` measures are tables of counts: each row's cells add up to its
    total, which the disclosure rule treats as an additive group.
    """
    keys = {m.key for m in QUALITY_MEASURES}
    return [
        Measure(
            m.key,
            m.title,
            m.definition,
            "quality",
            m.better,
            m.unit,
            counts_children=m.counts_children,
            numerator=m.derived_from[0] if m.derived_from and m.derived_from[0] in keys else "",
            denominator=m.derived_from[1] if m.derived_from and m.derived_from[1] in keys else "",
            tag=m.tag,
        )
        for m in QUALITY_MEASURES
    ]


CATALOGUE = [
    # --- Children on child protection plans ---------------------------------------------------------
    Measure("cp_children", "Children on child protection plans", "Children with a child protection plan open at the end of the quarter.", "protection"),
    Measure(
        "cp_rate_per_10k",
        "Child protection rate per 10,000",
        f"Children on child protection plans per 10,000 {POPULATION}, to one decimal place.",
        "protection",
        unit="rate",
        of="cp_children",
    ),
    Measure(
        "cp_neglect_children",
        "Children on plans for neglect",
        "Children with a child protection plan for neglect (census category of abuse NEG) open at the end of the quarter.",
        "protection",
        within="cp_children",
        breakdowns=True,
    ),
    Measure(
        "cp_neglect_rate_per_10k",
        "Neglect child protection rate per 10,000",
        f"Children on child protection plans for neglect per 10,000 {POPULATION}, to one decimal place.",
        "protection",
        unit="rate",
        of="cp_neglect_children",
    ),
    Measure(
        "cp_neglect_share_pct",
        "Neglect share of child protection plans",
        "Children on plans for neglect as a percentage of all children on child protection plans, at the end of the quarter.",
        "protection",
        unit="percent",
        numerator="cp_neglect_children",
        denominator="cp_children",
    ),
    # --- Drift, repeat plans and plan length -------------------------------------------------------
    Measure(
        "cp_neglect_12m_plus_pct",
        "Neglect plans open {long_cp_months} months or more",
        "Open child protection plans for neglect that had run {long_cp_months} months or more at the end of the quarter (a plan has run N "
        "months on the day N calendar months after its start), as a percentage of all open ones.",
        "drift",
        LOWER,
        "percent",
    ),
    Measure(
        "cp_neglect_repeat_pct",
        "Repeat neglect plans",
        "Child protection plans for neglect started in the quarter where the child had an earlier child protection plan for neglect "
        "(started on an earlier day, whatever came between), as a percentage of those started.",
        "drift",
        LOWER,
        "percent",
    ),
    Measure(
        "cp_neglect_repeat_after_neglect_pct",
        "Repeat neglect plans after a neglect plan",
        "Child protection plans for neglect started in the quarter for a child whose previous child protection plan (the latest one "
        "started before it, whatever its category) was also for neglect, as a percentage of those started.",
        "drift",
        LOWER,
        "percent",
    ),
    Measure(
        "cin_neglect_6m_plus_pct",
        "Neglect CIN plans over {long_cin_months} months",
        "Open Child in Need plans for neglect that had run more than {long_cin_months} months at the end of the quarter (from the day "
        "after {long_cin_months} calendar months), as a percentage of all open ones.",
        "drift",
        LOWER,
        "percent",
        notes=("neglect_plan",),
    ),
    Measure(
        "cp_neglect_length_median_days",
        "Length of neglect plans (median days)",
        "Child protection plans for neglect that ended in the quarter: the median number of days from the day each started to the day it ended.",
        "drift",
        unit="days",
    ),
    Measure(
        "entered_care_neglect",
        "Children entering care for neglect",
        "Children whose looked-after plan started in the quarter, for neglect.",
        "drift",
        breakdowns=True,
        notes=("neglect_plan",),
    ),
    # --- Referrals and early help -------------------------------------------------------------------
    Measure(
        "neglect_referrals",
        "Referrals for neglect",
        "Referrals for neglect received in the quarter (a child referred twice counts twice).",
        "front_door",
        breakdowns=True,
    ),
    Measure(
        "neglect_referrals_share_pct",
        "Referrals for neglect, of all referrals",
        "Referrals for neglect received in the quarter as a percentage of all referrals received in it.",
        "front_door",
        unit="percent",
        numerator="neglect_referrals",
    ),
    Measure(
        "neglect_referrals_to_assessment_pct",
        "Neglect referrals to statutory assessment",
        "Referrals for neglect in the quarter whose recorded outcome is a statutory assessment or a section 47 strategy discussion, as a percentage.",
        "front_door",
        unit="percent",
        denominator="neglect_referrals",
    ),
    Measure(
        "neglect_repeat_referrals_12m_pct",
        "Repeat neglect referrals within 12 months",
        "Referrals for neglect in the quarter for a child referred before (for anything) within the previous 12 months, the same calendar "
        "day a year earlier included, as a percentage.",
        "front_door",
        LOWER,
        "percent",
        denominator="neglect_referrals",
    ),
    Measure(
        "neglect_plans_with_prior_eha_pct",
        "Early Help Assessment before a neglect plan",
        "Children starting a Child in Need or child protection plan for neglect in the quarter who had a final Early Help Assessment or an "
        "Early Help plan before it, as a percentage.",
        "front_door",
        HIGHER,
        "percent",
        notes=("neglect_plan",),
    ),
    Measure(
        "early_help_neglect_children",
        "Children in early help for neglect",
        "Children with an Early Help plan for neglect open at the end of the quarter.",
        "front_door",
        breakdowns=True,
        notes=("early_help",),
    ),
    Measure(
        "early_help_neglect_escalated_pct",
        "Early help for neglect escalated to social care",
        "Children whose Early Help plan for neglect ended in the quarter and who started a Child in Need or child protection plan while it "
        "was open or within 30 days of its end, as a percentage of the children whose Early Help plan for neglect ended.",
        "front_door",
        LOWER,
        "percent",
        assumption="Escalation is read from plans: a Child in Need or child protection plan starting, not a referral alone.",
        notes=("early_help",),
    ),
    # --- Tools and conference attendance ------------------------------------------------------------
    Measure(
        "tool_runs_by_agency",
        "Neglect tools used, by agency",
        "Final Graded Care Profile 2 and checklist assessments in the quarter, by the assessing agency.",
        "practice",
        unit="by_agency",
    ),
    Measure(
        "conference_attendance_by_agency",
        "Conference attendance, by agency",
        "Invitations to conferences held in the quarter with attendance recorded, and how many the agency attended (in person or virtually).",
        "practice",
        unit="by_agency",
    ),
    # --- Outcomes for children ----------------------------------------------------------------------
    Measure(
        "gcp2_improved_pct",
        "Care improved on the Graded Care Profile 2",
        "Children on a neglect plan (child protection or Child in Need) at the end of the quarter with two or more final Graded Care "
        "Profile 2 assessments since their current plan started (their earliest plan open then): the percentage whose latest is graded "
        "better (lower) than their first in at least one area and worse in none.",
        "outcomes",
        HIGHER,
        "percent",
        assumption="The strategy asks for outcome measures without fixing them; the change in Graded Care Profile 2 grades over a plan is "
        "the portal's reading.",
        notes=("neglect_plan",),
    ),
    # --- School, health and adolescents -------------------------------------------------------------
    Measure(
        "school_attendance_neglect_pct",
        "School attendance of children on neglect plans",
        "Mean of the latest school attendance percentage reported in the quarter for children on a neglect plan (child protection or "
        "Child in Need) at its end.",
        "education",
        HIGHER,
        "percent",
        basis="average",
        notes=("neglect_plan",),
    ),
    Measure(
        "persistent_absence_neglect_pct",
        "Persistent absence of children on neglect plans",
        "Of children on a neglect plan at the end of the quarter with school attendance reported in it, the percentage whose latest "
        "attendance is below 90% (persistently absent: missing 10% or more of sessions, the Department for Education's measure).",
        "education",
        LOWER,
        "percent",
        notes=("neglect_plan",),
    ),
    Measure(
        "attendance_improved_pct",
        "Attendance improved",
        "Of children on a neglect plan at the end of the quarter with attendance reported in it and before it, the percentage whose "
        "latest attendance in the quarter is higher than the latest reported before it.",
        "education",
        HIGHER,
        "percent",
    ),
    Measure(
        "gcp2_health_improved_pct",
        "Health improved on the Graded Care Profile 2",
        "Children on a neglect plan at the end of the quarter with two or more final Graded Care Profile 2 assessments since their current "
        "plan started: the percentage whose latest grade for health (physical care) is better (lower) than their first.",
        "education",
        HIGHER,
        "percent",
        assumption="The strategy asks for health improvement beside school attendance; the Graded Care Profile 2 health grade "
        "over a plan is the portal's reading.",
        notes=("neglect_plan",),
    ),
    Measure(
        "adolescents_on_neglect_plans",
        "Adolescents on neglect plans",
        f"Children aged {ADOLESCENT_AGE} or over at the end of the quarter with a child protection or Child in Need plan for neglect open then.",
        "education",
        notes=("neglect_plan",),
    ),
    # --- Audit and family feedback (the quality app's measures) -------------------------------------
    *_quality_measures(),
    # --- Agency action plans ------------------------------------------------------------------------
    Measure(
        "action_plan_rag_by_agency",
        "Agency action plans, by RAG",
        "Rows of each agency's neglect action plan, and of the strategy group's overarching plan, by their RAG status at the end of the "
        "quarter (the latest quarterly update for that quarter or before). Fewer red rows is better.",
        "action_plans",
        LOWER,
        "by_agency",
        counts_children=False,
    ),
]
