"""Drift and delay: rules that say why a case may be stuck, with the facts behind each flag.

The partnership's learning reviews found plans that ran on for years, children nobody saw and
concerns nobody added up. Each rule below is a small function over facts read in bulk; each flag it
raises has a stable `code`, a `severity` (red or amber), a one-line `title`, the `reason` in plain
words with the dates and numbers behind it, the date it started applying (`since`) and links to the
records behind it (`evidence`). A manager can record a decision against a flag
(`drift_acknowledge`); the flag then shows "acknowledged until <date>" and returns after that
date: nothing hides a flag silently.

Flags are derived whenever they are read, never stored, so they cannot go stale. All reads start
from the access layer (`cases_visible_to`, `records_visible_to`, `chronology_entries_visible_to`):
a flag is computed only from records the reader may see. `drift_flags_for_cases` computes every
rule for any number of cases in a fixed number of queries (the manager queue reads hundreds).

Thresholds (settings, each with a default):

* DRIFT_CP_PLAN_AMBER_MONTHS (9), LONG_CP_PLAN_MONTHS (12): a child protection plan for
  neglect open that long (on the day it reaches that age); the red threshold is the dashboard's
  too (plans/history.py, `LONG_CP_PLAN`);
* LONG_CIN_PLAN_MONTHS (6): a child in need plan open over that long (CIN plans carry no category
  in the portal, so every one counts; plans/history.py, `LONG_CIN_PLAN`, as the dashboard counts);
* DRIFT_OVERSIGHT_DAYS (28): management oversight expected at least this often;
* DRIFT_REASSESSMENT_MONTHS (3): an assessment tool run repeated within this long of the last;
* DRIFT_CHILD_SEEN_DAYS (42): the child's own voice, or a home visit, recorded at least this often;
* DRIFT_EARLY_HELP_TOOL_KEY ("eha"): the tool whose final run answers cumulative concerns;
* DRIFT_ACKNOWLEDGEMENT_MAX_DAYS (90): the furthest review date a manager may set;
* TOOLS_REQUIRED (none): tools the partnership expects at a level of need, and within how many
  working days (tools/requirements.py, docs/tools.md "Required tools").

Cumulative concerns and school attendance use the chronology's own settings
(CHRONOLOGY_CUMULATIVE_*, CHRONOLOGY_ATTENDANCE_*; see chronologies/patterns.py).
"""

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Max, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone

from agencies.access import (
    cases_visible_to,
    chronology_entries_visible_to,
    records_visible_to,
)
from audit.models import AuditAction
from audit.services import audit_record
from cases.models import Case, CaseStatus
from neglect_portal.dates import months_after, months_before, whole_months
from neglect_portal.working_days import add_working_days
from oversight.models import Oversight
from plans.history import LONG_CIN_PLAN, LONG_CP_PLAN, PlanLength, earlier_plan_count
from plans.models import CPCategory, Plan, PlanAction, PlanKind
from voice.models import ChildVoice, Speaker

from .models import DriftAcknowledgement

RED = "red"
AMBER = "amber"
SEVERITY_RANK = {RED: 2, AMBER: 1}

# Stable codes, in the order the rules run; titles say what a flag is about in a few words.
RULES = {
    "cp_plan_duration": "Long child protection plan",
    "cin_plan_duration": "Long child in need plan",
    "repeat_cp_plan": "Repeat child protection plan for neglect",
    "no_oversight": "No recent management oversight",
    "no_assessment": "No assessment since the plan started",
    "no_reassessment": "Assessment not repeated",
    "scores_not_improving": "Assessment scores not improving",
    "actions_overdue": "Plan actions overdue",
    "child_not_seen": "Child not seen recently",
    "conference_absence": "Key agency absent from conferences",
    "plan_ended_without_agency": "Plan ended without a key agency",
    "cumulative_concerns": "Cumulative concerns without an Early Help Assessment",
    "low_attendance": "Low school attendance",
    "required_tool_missing": "Expected assessment tool not done",
    "family_concerns": "Concerns about the household's children add up",
    "step_down_no_lead": "Stepped down with no early-help lead",
}


def _setting(name, default):
    return getattr(settings, name, default)


# Amber before the red of a long plan (`LONG_CP_PLAN`): drift's own early warning, counted the same way.
AMBER_CP_PLAN = PlanLength("DRIFT_CP_PLAN_AMBER_MONTHS", 9)


def oversight_days():
    return _setting("DRIFT_OVERSIGHT_DAYS", 28)


def reassessment_months():
    return _setting("DRIFT_REASSESSMENT_MONTHS", 3)


def child_seen_days():
    return _setting("DRIFT_CHILD_SEEN_DAYS", 42)


def early_help_tool_key():
    return _setting("DRIFT_EARLY_HELP_TOOL_KEY", "eha")


def acknowledgement_max_days():
    return _setting("DRIFT_ACKNOWLEDGEMENT_MAX_DAYS", 90)


def no_assessment_grace_working_days():
    return _setting("DRIFT_NO_ASSESSMENT_GRACE_WORKING_DAYS", 20)


def step_down_no_lead_working_days():
    return _setting("DRIFT_STEP_DOWN_NO_LEAD_WORKING_DAYS", 5)


# --- Flags -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Evidence:
    """A record behind a flag: what it is, in words, and where to read it.

    `record` names the record ("app_label.model:pk") when the link is to one record rather than a
    page of the case the reader already sees; drift/selectors.py drops links to records the reader
    may not see when it reads stored flags.
    """

    label: str
    url: str
    record: str = ""


# A subject longer than this (many overdue actions, a long agency name) is kept as its digest, so a
# key fits `DriftAcknowledgement.key` and `models.DriftFlag.subject`.
SUBJECT_MAX_LENGTH = 64


def _compact(subject: str) -> str:
    if len(subject) <= SUBJECT_MAX_LENGTH:
        return subject
    return f"sha256:{hashlib.sha256(subject.encode()).hexdigest()[:40]}"


def flag_key(code: str, subject: str) -> str:
    """`code:subject`, or the code alone for a rule that raises one flag per case (see `DriftFlag.subject`)."""
    return f"{code}:{subject}" if subject else code


@dataclass(frozen=True)
class DriftFlag:
    """One flag. `subject` names what it is about when a rule can raise several on one case
    (a plan, a conference's absent agency, the set of overdue actions, a tool, a decision), so that
    `key` tells the flags of one rule apart: an acknowledgement covers the flag of its key only."""

    code: str
    severity: str  # RED or AMBER
    title: str
    reason: str
    since: date
    evidence: tuple = ()
    acknowledgement: DriftAcknowledgement | None = None
    subject: str = ""

    @property
    def key(self):
        return flag_key(self.code, self.subject)

    @property
    def rank(self):
        return SEVERITY_RANK[self.severity]

    @property
    def is_acknowledged(self):
        return self.acknowledgement is not None


def _flag(code, severity, reason, since, *evidence, subject=""):
    return DriftFlag(code=code, severity=severity, title=RULES[code], reason=reason, since=since, evidence=tuple(evidence), subject=_compact(subject))


def _plan_subject(plan):
    return f"plan:{plan.pk}"


# --- Dates in words ----------------------------------------------------------------------------------


def _day(value: date) -> str:
    return f"{value.day} {value:%b %Y}"


def _plural(count, word):
    return f"{count} {word}{'' if count == 1 else 's'}"


def _ordinal(number):
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


# --- The facts one case's rules read --------------------------------------------------------------


@dataclass
class CaseFacts:
    """What the rules need to know about one open case, read in bulk by `drift_flags_for_cases`.

    `open_plans` carry `previous_plans` (the child's earlier plans of the same kind and category,
    on any case: `plans.history.earlier_plan_count`); `last_run_on` is the child's latest final assessment-tool run of any tool and
    `last_early_help_on` of the Early Help Assessment; `last_seen_on` is the latest of the child's
    own voice and a home visit.
    """

    case: Case
    open_plans: list = field(default_factory=list)
    overdue_actions: list = field(default_factory=list)
    last_oversight_on: date | None = None
    last_seen_on: date | None = None
    last_run_on: date | None = None
    last_early_help_on: date | None = None
    progress_flags: list = field(default_factory=list)
    last_run_by_tool: dict = field(default_factory=dict)  # tool key -> the child's latest final run's date
    tool_names: dict = field(default_factory=dict)  # tool key -> name, for the tools the partnership requires
    conference_flags: list = field(default_factory=list)
    cumulative_pattern: object = None
    low_attendance_entry: object = None
    family_pattern: object = None  # chronologies/family_patterns.py, issue 14
    family_early_help_on: date | None = None  # the household's latest final Early Help Assessment the reader sees
    step_down: object = None  # the case's latest level-of-need decision when it was a step down (need.LevelOfNeedDecision)


def _case_url(case, anchor):
    return reverse("cases:case_detail", args=[case.pk]) + f"#{anchor}"


def _record(model_label, pk):
    return f"{model_label}:{pk}"


def _plan_evidence(plan):
    return Evidence(str(plan), _case_url(plan.case, "plans"), _record("plans.plan", plan.pk))


def _is_cp_neglect(plan):
    return plan.kind == PlanKind.CHILD_PROTECTION and plan.cp_category == CPCategory.NEGLECT


# --- The rules (each takes the facts and today; returns a list of flags) -----------------------------


def cp_plan_duration(facts: CaseFacts, today: date) -> list[DriftFlag]:
    """A child protection plan for neglect that has run 9 months (amber) or 12 months (red).

    Long plans are where drift hides: a plan should have changed things for the child by then, or
    the partnership should be deciding what happens instead. The flag applies from the day the
    plan reaches that age.
    """
    flags = []
    for plan in facts.open_plans:
        if not _is_cp_neglect(plan):
            continue
        red_from = LONG_CP_PLAN.long_from(plan.started_on)
        amber_from = AMBER_CP_PLAN.long_from(plan.started_on)
        if today >= red_from:
            severity, since = RED, red_from
        elif today >= amber_from:
            severity, since = AMBER, amber_from
        else:
            continue
        reason = f"Child protection plan for neglect open {_plural(whole_months(plan.started_on, today), 'month')} (since {_day(plan.started_on)})"
        flags.append(_flag("cp_plan_duration", severity, reason, since, _plan_evidence(plan), subject=_plan_subject(plan)))
    return flags


def cin_plan_duration(facts: CaseFacts, today: date) -> list[DriftFlag]:
    """A child in need plan open over 6 months: time to step up, or to step down with a reason."""
    flags = []
    for plan in facts.open_plans:
        if plan.kind != PlanKind.CHILD_IN_NEED:
            continue
        if not LONG_CIN_PLAN.is_long(plan.started_on, today):
            continue
        reason = (
            f"Child in need plan open {_plural(whole_months(plan.started_on, today), 'month')} (since {_day(plan.started_on)}), "
            f"over the {LONG_CIN_PLAN.months} months expected"
        )
        flags.append(_flag("cin_plan_duration", AMBER, reason, LONG_CIN_PLAN.long_from(plan.started_on), _plan_evidence(plan), subject=_plan_subject(plan)))
    return flags


def repeat_cp_plan(facts: CaseFacts, today: date) -> list[DriftFlag]:
    """A second or later child protection plan for neglect: what did not change last time?

    Earlier plans are counted across all the child's cases by the case page's repeat-plan rule
    (plans/history.py, `earlier_plan_count`).
    """
    flags = []
    for plan in facts.open_plans:
        if _is_cp_neglect(plan) and plan.previous_plans:
            reason = f"This is the child's {_ordinal(plan.previous_plans + 1)} child protection plan for neglect; this one started {_day(plan.started_on)}"
            flags.append(_flag("repeat_cp_plan", RED, reason, plan.started_on, _plan_evidence(plan), subject=_plan_subject(plan)))
    return flags


def no_oversight(facts: CaseFacts, today: date) -> list[DriftFlag]:
    """No management oversight recorded in the last 28 days (counted from opening if none ever).

    An oversight exactly 28 days ago is still in time; the flag applies from the day after.
    """
    case = facts.case
    last = facts.last_oversight_on or case.opened_on
    due = last + timedelta(days=oversight_days())
    if today <= due:
        return []
    if facts.last_oversight_on:
        reason = f"Last management oversight {_day(last)}, {(today - last).days} days ago (expected every {oversight_days()} days)"
    else:
        reason = f"No management oversight recorded since the case opened on {_day(last)}, {(today - last).days} days ago"
    return [_flag("no_oversight", AMBER, reason, due + timedelta(days=1), Evidence("Management oversight on this case", _case_url(case, "oversight")))]


def _latest_plan(facts):
    return max(facts.open_plans, key=lambda plan: (plan.started_on, plan.pk), default=None)


def _runs_evidence(case):
    return Evidence("Assessments on this case", reverse("tools:case_runs", args=[case.pk]))


def no_assessment(facts: CaseFacts, today: date) -> list[DriftFlag]:
    """No final assessment-tool run since the latest open plan started: progress cannot be measured.

    The latest plan is the one now in force (a child protection plan started after a child in
    need plan supersedes it); a run on the plan's first day counts. A new plan has a grace period
    of DRIFT_NO_ASSESSMENT_GRACE_WORKING_DAYS working days (20, about four weeks) to finalise one:
    the flag applies from the working day after the grace ends, never on the plan's first day.
    """
    plan = _latest_plan(facts)
    if plan is None or (facts.last_run_on is not None and facts.last_run_on >= plan.started_on):
        return []
    due = add_working_days(plan.started_on, no_assessment_grace_working_days())
    if today <= due:
        return []
    before = f"; the last was on {_day(facts.last_run_on)}" if facts.last_run_on else ""
    reason = (
        f"No assessment tool run finalised since the {plan.get_kind_display().lower()} plan started on {_day(plan.started_on)}{before}; "
        f"one was expected by {_day(due)}"
    )
    return [_flag("no_assessment", AMBER, reason, due + timedelta(days=1), _plan_evidence(plan), _runs_evidence(facts.case), subject=_plan_subject(plan))]


def no_reassessment(facts: CaseFacts, today: date) -> list[DriftFlag]:
    """Under a plan, the last assessment run is over 3 months old: has anything changed since?

    A run exactly 3 months after the last is in time; the flag applies from the day after. When
    there is no run since the plan started, `no_assessment` says so instead.
    """
    plan = _latest_plan(facts)
    if plan is None or facts.last_run_on is None or facts.last_run_on < plan.started_on:
        return []
    due = months_after(facts.last_run_on, reassessment_months())
    if today <= due:
        return []
    reason = f"Last assessment tool run dated {_day(facts.last_run_on)}; a repeat was due by {_day(due)} and none has been finalised"
    return [_flag("no_reassessment", AMBER, reason, due + timedelta(days=1), _runs_evidence(facts.case))]


def scores_not_improving(facts: CaseFacts, today: date) -> list[DriftFlag]:
    """The tools' own progress flags: between the last two runs nothing moved (amber) or it got worse (red)."""
    return [
        _flag(
            "scores_not_improving",
            RED if flag.kind == "worse" else AMBER,
            flag.reason,
            flag.since,
            Evidence(f"{flag.tool_name} of {_day(flag.since)}", reverse("tools:run_detail", args=[flag.run_id]), _record("tools.assessmentrun", flag.run_id)),
            Evidence("Progress over time", reverse("tools:child_progress", args=[flag.child_id])),
            subject=f"tool:{flag.tool_key}",
        )
        for flag in facts.progress_flags
    ]


def actions_overdue(facts: CaseFacts, today: date) -> list[DriftFlag]:
    """Unfinished actions of open plans past their due date (due today is not yet overdue), as one flag."""
    actions = facts.overdue_actions
    if not actions:
        return []
    oldest = actions[0]
    reason = f"{_plural(len(actions), 'plan action')} overdue; the oldest was due {_day(oldest.due_on)} ({oldest.what[:80]}, {oldest.owner_agency.name})"
    evidence = [
        Evidence(
            f"Due {_day(action.due_on)}: {action.what[:80]} ({action.owner_agency.name})",
            reverse("cases:action_update", args=[facts.case.pk, action.pk]),
            _record("plans.planaction", action.pk),
        )
        for action in actions
    ]
    # The subject is the set of actions: one newly overdue is a new situation, not covered by an earlier decision.
    subject = "actions:" + ",".join(str(action.pk) for action in sorted(actions, key=lambda action: action.pk))
    return [_flag("actions_overdue", AMBER, reason, oldest.due_on + timedelta(days=1), *evidence, subject=subject)]


def child_not_seen(facts: CaseFacts, today: date) -> list[DriftFlag]:
    """Neither the child's own voice nor a home visit recorded in 6 weeks (counted from opening if never).

    The voice must be the child's (a parent speaking for them does not count). The chronology has
    no "child seen" field, so a home visit stands for direct contact. Exactly 42 days is in time.
    """
    case = facts.case
    last = facts.last_seen_on or case.opened_on
    due = last + timedelta(days=child_seen_days())
    if today <= due:
        return []
    if facts.last_seen_on:
        reason = f"No child's voice or home visit recorded since {_day(last)}, {(today - last).days} days ago (expected within {child_seen_days()} days)"
    else:
        reason = f"No child's voice or home visit recorded since the case opened on {_day(last)}, {(today - last).days} days ago"
    evidence = (
        Evidence("The child's voice on this case", _case_url(case, "voice")),
        Evidence("The child's chronology", reverse("chronologies:child_chronology", args=[case.child_id])),
    )
    return [_flag("child_not_seen", RED, reason, due + timedelta(days=1), *evidence)]


# The conference flags the drift rules take, and the codes they take them as.
CONFERENCE_CODES = {"agency_absent_in_a_row": ("conference_absence", AMBER), "plan_ended_key_agency_absent": ("plan_ended_without_agency", RED)}


def _conference_subject(flag):
    """The conference, and for repeated absence the agency (its name leads the reason; several agencies can be absent at once)."""
    if flag.code == "agency_absent_in_a_row":
        return f"conference:{flag.conference_id}:{flag.reason.split(' absent from ')[0]}"
    return f"conference:{flag.conference_id}"


def conference_flags(facts: CaseFacts, today: date) -> list[DriftFlag]:
    """Conferences' own flags: a key agency absent again and again, or a plan ended without one."""
    flags = []
    for flag in facts.conference_flags:
        if flag.code in CONFERENCE_CODES:
            code, severity = CONFERENCE_CODES[flag.code]
            evidence = Evidence(
                "The conference", reverse("conferences:conference_detail", args=[flag.conference_id]), _record("conferences.conference", flag.conference_id)
            )
            flags.append(_flag(code, severity, flag.reason, flag.since, evidence, subject=_conference_subject(flag)))
    return flags


def _entry_evidence(entry):
    url = reverse("chronologies:child_chronology", args=[entry.child_id])
    return Evidence(
        f"{_day(entry.occurred_on)}, {entry.agency.name}: {entry.get_kind_display().lower()}", url, _record("chronologies.chronologyentry", entry.pk)
    )


def cumulative_concerns(facts: CaseFacts, today: date) -> list[DriftFlag]:
    """The chronology's cumulative-concerns pattern, and no Early Help Assessment in that window.

    This is the failure the learning review found: several agencies worried, each on their own,
    and nobody assessed the whole picture. The flag applies from the entry that completed the
    pattern; a final Early Help Assessment dated within the pattern's window answers it.
    """
    from chronologies.patterns import (
        cumulative_min_agencies,
        cumulative_min_entries,
        cumulative_window_months,
    )

    pattern = facts.cumulative_pattern
    if pattern is None:
        return []
    window_start = months_before(today, cumulative_window_months())
    if facts.last_early_help_on is not None and facts.last_early_help_on >= window_start:
        return []
    since, agencies = pattern.since, set()
    for count, entry in enumerate(pattern.entries, start=1):
        agencies.add(entry.agency_id)
        if count >= cumulative_min_entries() and len(agencies) >= cumulative_min_agencies():
            since = entry.occurred_on
            break
    reason = f"{pattern.reason} No Early Help Assessment finalised since {_day(window_start)}."
    return [_flag("cumulative_concerns", RED, reason, since, *(_entry_evidence(entry) for entry in pattern.entries))]


def low_attendance(facts: CaseFacts, today: date) -> list[DriftFlag]:
    """The latest school attendance figure of the last term is under the threshold (chronology entries)."""
    from chronologies.patterns import attendance_threshold

    entry = facts.low_attendance_entry
    if entry is None:
        return []
    reason = (
        f"School attendance {entry.attendance_percentage.normalize():f}% on {_day(entry.occurred_on)}, "
        f"under {attendance_threshold().normalize():f}% (recorded by {entry.agency.name})"
    )
    return [_flag("low_attendance", AMBER, reason, entry.occurred_on, _entry_evidence(entry), subject=f"entry:{entry.pk}")]


def required_tool_missing(facts: CaseFacts, today: date) -> list[DriftFlag]:
    """A tool the partnership expects at the case's level of need is not done in time (`TOOLS_REQUIRED`).

    The requirement says which tool, at which level, counted from what (a plan of some kinds
    starting, or the case opening) and within how many working days (tools/requirements.py). It is
    met by a final run of the tool for the child dated on or after the start; due on the last
    working day allowed, the flag applies from the day after.
    """
    from tools.requirements import tool_requirements

    flags = []
    for requirement in tool_requirements():
        expected = requirement.expectation(facts.case, facts.open_plans)
        last_run_on = facts.last_run_by_tool.get(requirement.tool_key)
        if expected is None or not expected.is_overdue(last_run_on, today):
            continue
        reason = (
            f"{requirement.describe(facts.tool_names.get(requirement.tool_key, requirement.tool_key))}: {expected.started} on {_day(expected.start)}, "
            f"so it was due by {_day(expected.due_on)}; none has been finalised since"
        )
        evidence = [_runs_evidence(facts.case)] + ([_plan_evidence(expected.plan)] if expected.plan else [])
        flags.append(_flag("required_tool_missing", AMBER, reason, expected.due_on + timedelta(days=1), *evidence, subject=f"tool:{requirement.tool_key}"))
    return flags


def family_concerns(facts: CaseFacts, today: date) -> list[DriftFlag]:
    """Concerns about different children of the household, from several agencies, add up (issue 14), and no Early Help Assessment.

    The learning review in the sibling shape: the school worried about the older child, other
    agencies about the younger one, and because every rule looked at one child nobody added them
    up. The pattern (chronologies/family_patterns.py) counts the whole household and names only
    what the reader may see; the flag shows on every sibling's case and in the front door's queue.
    A final Early Help Assessment for any of the household's children within the window answers it.
    """
    from chronologies.patterns import cumulative_window_months

    pattern = facts.family_pattern
    if pattern is None:
        return []
    window_start = months_before(today, cumulative_window_months())
    assessed = [day for day in (facts.last_early_help_on, facts.family_early_help_on) if day is not None]
    if assessed and max(assessed) >= window_start:
        return []
    reason = f"{pattern.reason(window_months=cumulative_window_months())} No Early Help Assessment for the household since {_day(window_start)}."
    return [_flag("family_concerns", RED, reason, pattern.since, *(_entry_evidence(entry) for entry in pattern.visible))]


def step_down_no_lead(facts: CaseFacts, today: date) -> list[DriftFlag]:
    """The level of need was stepped down, no early-help lead was named and nobody has led the case since (issue 15).

    A step down hands the family from one service to another; a learning review's "nobody picked
    it up" starts here. The flag applies from the working day after DRIFT_STEP_DOWN_NO_LEAD_WORKING_DAYS
    (5) working days from the decision (working days of England and Wales, as the front door's
    deadlines count them). Naming a lead professional since the decision answers it; a later
    decision replaces it.
    """
    from need.levels import level_label

    decision = facts.step_down
    if decision is None or decision.early_help_lead_id or facts.case.lead_professional_id != decision.lead_professional_then_id:
        return []
    due = add_working_days(decision.decided_on, step_down_no_lead_working_days())
    if today <= due:
        return []
    reason = (
        f"Level of need stepped down to {level_label(decision.to_level)} on {_day(decision.decided_on)} with no early-help lead named; "
        f"one was expected within {_plural(step_down_no_lead_working_days(), 'working day')} (by {_day(due)})"
    )
    evidence = Evidence("The level of need on this case", _case_url(facts.case, "summary"))
    return [_flag("step_down_no_lead", AMBER, reason, due + timedelta(days=1), evidence, subject=f"decision:{decision.pk}")]


RULE_FUNCTIONS = (
    cp_plan_duration,
    cin_plan_duration,
    repeat_cp_plan,
    no_oversight,
    no_assessment,
    no_reassessment,
    scores_not_improving,
    actions_overdue,
    child_not_seen,
    conference_flags,
    cumulative_concerns,
    low_attendance,
    required_tool_missing,
    family_concerns,
    step_down_no_lead,
)


def flags_from_facts(facts: CaseFacts, today: date, acknowledgements=()) -> list[DriftFlag]:
    """Every rule's flags for one case, most severe first, then oldest; acknowledgements attached.

    An acknowledgement covers a flag of its code that already applied when it was made, while
    `today` is before its review date.
    """
    flags = [flag for rule in RULE_FUNCTIONS for flag in rule(facts, today)]
    return in_rules_order([replace(flag, acknowledgement=_covering(flag, acknowledgements, today)) for flag in flags])


def in_rules_order(flags) -> list[DriftFlag]:
    """Unacknowledged first, then most severe, oldest, by rule; a stable sort keeps equals in the order given."""
    return sorted(flags, key=lambda flag: (flag.is_acknowledged, -flag.rank, flag.since, flag.code))


def _covering(flag, acknowledgements, today):
    """The acknowledgement of this flag: same key (or, made before flags had keys, same code), made after it applied, not yet due for review."""
    covering = [
        a for a in acknowledgements if a.code == flag.code and (not a.key or a.key == flag.key) and a.acknowledged_on >= flag.since and today < a.review_on
    ]
    return max(covering, key=lambda a: (a.review_on, a.pk), default=None)


# --- Reading the facts in bulk ------------------------------------------------------------------------


def _latest(queryset, field_name):
    return Subquery(queryset.order_by(f"-{field_name}").values(field_name)[:1])


def drift_flags_for_cases(*, user, case_ids, today: date | None = None) -> dict[int, list[DriftFlag]]:
    """{case id: flags} for the open cases among `case_ids` the user may see, in a fixed number of queries.

    Per-case facts are annotations or grouped aggregates over all the cases at once (never one
    query per case), so the manager queue costs the same number of queries for 1 case or 5,000.
    `case_ids` may be a list or a queryset of ids.
    """
    from chronologies.models import EntryKind
    from chronologies.patterns import (
        cumulative_concerns_by_child,
        low_attendance_by_child,
    )
    from chronologies.selectors import current_versions
    from conferences.selectors import conference_flags_for_cases
    from need.models import LevelOfNeedDecision
    from tools.models import AssessmentRun, RunStatus
    from tools.selectors import progress_flags_for_cases, required_tool_names

    today = today or timezone.localdate()
    cases = list(
        cases_visible_to(user)
        .filter(pk__in=case_ids, status=CaseStatus.OPEN)
        .select_related("child__family", "lead_agency")
        .annotate(
            last_oversight_on=_latest(Oversight.objects.filter(case_id=OuterRef("pk"), recorded_on__lte=today), "recorded_on"),
            last_voice_on=_latest(ChildVoice.objects.filter(case_id=OuterRef("pk"), speaker=Speaker.CHILD, recorded_on__lte=today), "recorded_on"),
            latest_level_decision_id=Subquery(
                LevelOfNeedDecision.objects.filter(case_id=OuterRef("pk"), decided_on__lte=today).order_by("-decided_on", "-created_at", "-pk").values("pk")[:1]
            ),
        )
    )
    if not cases:
        return {}
    ids = [case.pk for case in cases]
    child_ids = {case.child_id for case in cases}
    facts = {case.pk: CaseFacts(case=case, last_oversight_on=case.last_oversight_on) for case in cases}
    by_child = defaultdict(list)
    for case in cases:
        by_child[case.child_id].append(facts[case.pk])

    # Each open plan with the number of earlier plans it repeats (the case page's repeat rule).
    open_plans = Plan.objects.filter(case_id__in=ids, ended_on__isnull=True).annotate(previous_plans=earlier_plan_count())
    for plan in open_plans.select_related("case").order_by("started_on", "pk"):
        facts[plan.case_id].open_plans.append(plan)

    overdue = PlanAction.objects.unfinished().filter(plan__case_id__in=ids, plan__ended_on__isnull=True, due_on__lt=today)
    for action in overdue.select_related("plan", "owner_agency").order_by("due_on", "pk"):
        facts[action.plan.case_id].overdue_actions.append(action)

    latest_runs = (
        records_visible_to(user, AssessmentRun)
        .filter(status=RunStatus.FINAL, case__child_id__in=child_ids, assessed_on__lte=today)
        .values("case__child_id", "definition__key")
        .annotate(last_on=Max("assessed_on"))
    )
    for row in latest_runs:
        for case_facts in by_child[row["case__child_id"]]:
            case_facts.last_run_on = max(filter(None, (case_facts.last_run_on, row["last_on"])))
            case_facts.last_run_by_tool[row["definition__key"]] = row["last_on"]
            if row["definition__key"] == early_help_tool_key():
                case_facts.last_early_help_on = row["last_on"]

    # A finalised assessment that recorded the child's voice is direct contact with the child too (issue 15).
    voiced_runs = (
        records_visible_to(user, AssessmentRun)
        .filter(status=RunStatus.FINAL, case__child_id__in=child_ids, assessed_on__lte=today)
        .exclude(child_voice="")
        .values("case__child_id")
        .annotate(last_on=Max("assessed_on"))
    )
    last_voiced_run = {row["case__child_id"]: row["last_on"] for row in voiced_runs}

    visits = (
        current_versions(chronology_entries_visible_to(user))
        .filter(child_id__in=child_ids, kind=EntryKind.HOME_VISIT, occurred_on__lte=today)
        .values("child_id")
        .annotate(last_on=Max("occurred_on"))
    )
    last_visit = {row["child_id"]: row["last_on"] for row in visits}
    for case in cases:
        seen = [day for day in (case.last_voice_on, last_visit.get(case.child_id), last_voiced_run.get(case.child_id)) if day]
        facts[case.pk].last_seen_on = max(seen, default=None)

    for case_id, flags in progress_flags_for_cases(user=user, case_ids=ids).items():
        facts[case_id].progress_flags = flags
    names = required_tool_names()
    for case_facts in facts.values():
        case_facts.tool_names = names
    for case_id, flags in conference_flags_for_cases(case_ids=ids, today=today).items():
        facts[case_id].conference_flags = flags
    for child_id, pattern in cumulative_concerns_by_child(user=user, child_ids=child_ids, today=today).items():
        for case_facts in by_child[child_id]:
            case_facts.cumulative_pattern = pattern
    for child_id, entry in low_attendance_by_child(user=user, child_ids=child_ids, today=today).items():
        for case_facts in by_child[child_id]:
            case_facts.low_attendance_entry = entry
    from .family import family_patterns_by_child  # issue 14: the household's children read together

    for child_id, (pattern, early_help_on) in family_patterns_by_child(
        user=user, child_ids=child_ids, today=today, early_help_tool_key=early_help_tool_key()
    ).items():
        for case_facts in by_child[child_id]:
            case_facts.family_pattern, case_facts.family_early_help_on = pattern, early_help_on

    # Issue 15: each case's latest level-of-need decision, kept when it stepped the case down.
    latest_ids = [case.latest_level_decision_id for case in cases if case.latest_level_decision_id]
    for decision in LevelOfNeedDecision.objects.filter(pk__in=latest_ids):
        if decision.is_step_down:
            facts[decision.case_id].step_down = decision

    acknowledgements = defaultdict(list)
    for acknowledgement in DriftAcknowledgement.objects.filter(case_id__in=ids, review_on__gt=today).select_related("acknowledged_by"):
        acknowledgements[acknowledgement.case_id].append(acknowledgement)
    return {case_id: flags_from_facts(case_facts, today, acknowledgements[case_id]) for case_id, case_facts in facts.items()}


def flags_for_case(*, user, case: Case, today: date | None = None) -> list[DriftFlag]:
    """The case page's flags (an empty list for a closed case: drift is about work still open)."""
    return drift_flags_for_cases(user=user, case_ids=[case.pk], today=today).get(case.pk, [])


# --- The manager queue ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueRow:
    case: Case
    flags: list

    @property
    def open_flags(self):
        """Flags no one has acknowledged (they decide the row's place in the queue)."""
        return [flag for flag in self.flags if not flag.is_acknowledged]

    @property
    def worst(self):
        return max((flag.rank for flag in self.open_flags), default=0)

    @property
    def oldest_red(self):
        return min((flag.since for flag in self.open_flags if flag.severity == RED), default=None)

    @property
    def sort_key(self):
        """Most severe first; among equals, the oldest red (then oldest of any) flag first."""
        oldest = min((flag.since for flag in self.open_flags), default=date.max)
        return (-self.worst, self.oldest_red or date.max, oldest, self.case.pk)


@dataclass(frozen=True)
class DriftQueue:
    rows: list
    counts: dict  # code -> number of cases with a flag of that rule (before the rule filter)
    teams: list  # (agency id, name) of lead agencies in the queue
    localities: list
    cases_checked: int


def drift_queue(*, user, today: date | None = None, code: str = "", team: int | None = None, locality: str = "") -> DriftQueue:
    """A manager's (or DSL's) cases with flags, worst first, filtered by rule, lead agency and locality.

    The cases are `agency_cases` (their agency's, and for children's social care every statutory
    case); counts per rule are of the cases left after the team and locality filters, so they say
    what choosing a rule would show.
    """
    from cases.selectors import agency_cases

    today = today or timezone.localdate()
    overseen = agency_cases(user=user).select_related("child__family", "lead_agency")
    choices = list(overseen.values_list("lead_agency_id", "lead_agency__name", "child__family__locality").order_by())
    teams = sorted({(agency_id, name) for agency_id, name, _ in choices}, key=lambda team_: team_[1])
    localities = sorted({locality_ for _, _, locality_ in choices if locality_})
    if team:
        overseen = overseen.filter(lead_agency_id=team)
    if locality:
        overseen = overseen.filter(child__family__locality=locality)
    flags = drift_flags_for_cases(user=user, case_ids=overseen.values("pk"), today=today)
    cases = {case.pk: case for case in overseen.filter(pk__in=[case_id for case_id, found in flags.items() if found])}
    rows = [QueueRow(case=cases[case_id], flags=found) for case_id, found in flags.items() if found]
    counts = dict.fromkeys(RULES, 0)
    for row in rows:
        for code_ in {flag.code for flag in row.flags}:
            counts[code_] += 1
    if code:
        rows = [row for row in rows if any(flag.code == code for flag in row.flags)]
    return DriftQueue(rows=sorted(rows, key=lambda row: row.sort_key), counts=counts, teams=teams, localities=localities, cases_checked=len(flags))


# --- Acknowledging a flag (a write) --------------------------------------------------------------------


@transaction.atomic
def drift_acknowledge(
    *, actor, case: Case, flag: DriftFlag, reason: str, review_on: date | None, today: date | None = None, request=None
) -> DriftAcknowledgement:
    """Record a manager's decision about a flag that applies now, until a review date.

    The caller has checked the `oversee` action (`access_case`) and that `flag` is one of the
    case's current flags. The decision is written twice on purpose, once as the acknowledgement
    (what the flag shows) and once as an `Oversight` on the case through `oversight_record` (so
    it is read where oversight is read, and in the chronology); each write audits its own row.
    A review date is required and at most DRIFT_ACKNOWLEDGEMENT_MAX_DAYS ahead: an
    acknowledgement is a decision to look again, never a way to hide a flag for good.
    """
    from oversight.services import oversight_record

    today = today or timezone.localdate()
    errors = {}
    if not (reason or "").strip():
        errors["reason"] = "Give the reason for your decision"
    if review_on is None:
        errors["review_on"] = "Enter the date you will review this again"
    elif review_on <= today:
        errors["review_on"] = "The review date must be after today"
    elif review_on > today + timedelta(days=acknowledgement_max_days()):
        errors["review_on"] = f"The review date must be within {acknowledgement_max_days()} days of today"
    if errors:
        raise ValidationError(errors)
    if flag.is_acknowledged:
        raise ValidationError({NON_FIELD_ERRORS: f"This flag is already acknowledged until {_day(flag.acknowledgement.review_on)}"})
    oversight = oversight_record(
        actor=actor,
        case=case,
        recorded_on=today,
        decision=f"Drift flag acknowledged: {flag.title}. {flag.reason}",
        reasons=reason,
        next_review_on=review_on,
        request=request,
    )
    acknowledgement = DriftAcknowledgement(
        case=case,
        code=flag.code,
        key=flag.key,
        reason=reason.strip(),
        acknowledged_on=today,
        review_on=review_on,
        acknowledged_by=actor,
        oversight=oversight,
    )
    acknowledgement.full_clean()
    acknowledgement.save()
    audit_record(
        user=actor,
        action=AuditAction.CREATE,
        object_type="drift_acknowledgement",
        object_id=acknowledgement.pk,
        child_id=case.child_id,
        detail=flag.key,
        request=request,
    )
    return acknowledgement
