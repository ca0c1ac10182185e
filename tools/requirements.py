"""Required tools: which assessment tool the partnership expects at which level of need, and by when.

A partnership may make a tool part of its practice standard (one county makes its quality-of-care
tool mandatory in every child in need and child protection case). It says so in the setting
`TOOLS_REQUIRED`, a list of requirements (README.md, "Configuration"):

    {"tool": "gcp2", "level": "specialist", "within_working_days": 20,
     "after": ["child_in_need", "child_protection"]}

* `tool` – the tool's key (every version of it counts);
* `level` – the case's level of need (`cases.models.Threshold`: universal, universal_plus,
  targeted_early_help, specialist);
* `after` – what starts the clock: plan kinds (`plans.models.PlanKind`: the latest open plan of
  those kinds on the case) or "case_opened" (the day the case opened);
* `within_working_days` – how long the practitioner has, in working days (weekends and bank
  holidays of England and Wales skipped: neglect_portal/working_days.py).

A requirement is met by a final run of the tool for the child dated on or after the day the clock
started (a run on that day counts). The rule is read two ways, side by side in this module so they
cannot drift apart: for one case in Python (`Expectation`, for the drift flag `required_tool_missing`
with its dates in words) and for every case at once in SQL (`due_condition`, `met_condition`, for the
dashboard's measure of the share of cases with the expected tool).
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Exists, OuterRef, Q

from cases.models import Threshold
from neglect_portal.working_days import add_working_days
from plans.models import PlanKind

CASE_OPENED = "case_opened"
_FIELDS = {"tool", "level", "within_working_days", "after"}


@dataclass(frozen=True)
class ToolRequirement:
    tool_key: str
    level: str
    within_working_days: int
    after: tuple  # plan kinds, or (CASE_OPENED,)

    @property
    def level_label(self):
        return Threshold(self.level).label

    @property
    def counted_from(self):
        """What starts the clock, in words: "a Child in Need or Child Protection plan starting"."""
        if self.after == (CASE_OPENED,):
            return "the case opening"
        kinds = " or ".join(PlanKind(kind).label for kind in self.after)
        return f"a {kinds} plan starting"

    def describe(self, tool_name):
        days = f"{self.within_working_days} working day{'' if self.within_working_days == 1 else 's'}"
        return f"{tool_name} within {days} of {self.counted_from}, for a case at the {self.level_label} level of need"

    # --- One case (drift) ---

    def expectation(self, case, open_plans):
        """The Expectation this requirement makes of `case` now, or None when it does not apply.

        `open_plans` are the case's open plans. A plan-started requirement follows the latest open
        plan of its kinds: a child protection plan that follows a child in need plan starts the
        clock again, as the plan now in force.
        """
        if case.threshold != self.level:
            return None
        if self.after == (CASE_OPENED,):
            return Expectation(self, case.opened_on, "the case opened", None)
        plans = [plan for plan in open_plans if plan.kind in self.after]
        if not plans:
            return None
        plan = max(plans, key=lambda plan: (plan.started_on, plan.pk))
        return Expectation(self, plan.started_on, f"the {plan.get_kind_display().lower()} plan started", plan)

    # --- Every case at once (the dashboard) ---

    def latest_start_due_by(self, day: date) -> date:
        """The latest start from which the tool was due on or before `day` (due dates never go backwards)."""
        start = add_working_days(day, -self.within_working_days)
        while add_working_days(start + timedelta(days=1), self.within_working_days) <= day:
            start += timedelta(days=1)
        while add_working_days(start, self.within_working_days) > day:
            start -= timedelta(days=1)
        return start

    def _trigger_plans(self, day):
        """Plans (for OuterRef("pk") as the case) that start this requirement's clock at `day`: the latest open of its kinds."""
        from plans.models import Plan

        open_then = Q(started_on__lte=day) & (Q(ended_on__isnull=True) | Q(ended_on__gt=day))
        later = Plan.objects.filter(open_then, case_id=OuterRef("case_id"), kind__in=self.after).filter(
            Q(started_on__gt=OuterRef("started_on")) | Q(started_on=OuterRef("started_on"), pk__gt=OuterRef("pk"))
        )
        return Plan.objects.filter(open_then, case_id=OuterRef("pk"), kind__in=self.after).exclude(Exists(later))

    def due_condition(self, day: date) -> Q:
        """Cases (a Case queryset's rows) at this level from which the tool was due by `day`."""
        latest_start = self.latest_start_due_by(day)
        if self.after == (CASE_OPENED,):
            return Q(threshold=self.level, opened_on__lte=latest_start)
        return Q(threshold=self.level) & Q(Exists(self._trigger_plans(day).filter(started_on__lte=latest_start)))

    def met_condition(self, day: date) -> Q:
        """Cases with a final run of the tool for the child dated from the clock's start up to `day`."""
        from tools.models import AssessmentRun, RunStatus

        def runs(child, since):
            return AssessmentRun.objects.filter(
                case__child_id=child, definition__key=self.tool_key, status=RunStatus.FINAL, assessed_on__gte=since, assessed_on__lte=day
            )

        if self.after == (CASE_OPENED,):
            return Q(Exists(runs(OuterRef("child_id"), OuterRef("opened_on"))))
        with_run = self._trigger_plans(day).filter(Exists(runs(OuterRef(OuterRef("child_id")), OuterRef("started_on"))))
        return Q(Exists(with_run))


@dataclass(frozen=True)
class Expectation:
    """What a requirement expects of one case: the tool, counted from `start` (`started` says what
    started the clock, in words), due by `due_on`."""

    requirement: ToolRequirement
    start: date
    started: str
    plan: object

    @property
    def due_on(self):
        return add_working_days(self.start, self.requirement.within_working_days)

    def is_met_by(self, last_run_on: date | None) -> bool:
        """Met by a final run dated on or after the start (`last_run_on`: the child's latest of the tool)."""
        return last_run_on is not None and last_run_on >= self.start

    def is_overdue(self, last_run_on: date | None, today: date) -> bool:
        """Not met and past its due date (due today is still in time)."""
        return not self.is_met_by(last_run_on) and today > self.due_on


def _problem(index, message):
    return f"TOOLS_REQUIRED[{index}]: {message}"


def _requirement(index, raw):
    if not isinstance(raw, dict):
        raise ImproperlyConfigured(_problem(index, "must be an object with tool, level, within_working_days and after"))
    unknown = sorted(set(raw) - _FIELDS)
    if unknown:
        raise ImproperlyConfigured(_problem(index, f"unknown field(s) {', '.join(unknown)} (allowed: {', '.join(sorted(_FIELDS))})"))
    tool, level, days, after = raw.get("tool"), raw.get("level"), raw.get("within_working_days"), raw.get("after")
    if not isinstance(tool, str) or not tool:
        raise ImproperlyConfigured(_problem(index, "tool: the key of a tool, for example 'gcp2'"))
    if level not in Threshold.values:
        raise ImproperlyConfigured(_problem(index, f"level: one of {', '.join(Threshold.values)}"))
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        raise ImproperlyConfigured(_problem(index, "within_working_days: a whole number of working days, 1 or more"))
    after = [after] if isinstance(after, str) else after
    if not after or not isinstance(after, list) or any(kind not in (*PlanKind.values, CASE_OPENED) for kind in after):
        raise ImproperlyConfigured(_problem(index, f"after: '{CASE_OPENED}', or a list of plan kinds ({', '.join(PlanKind.values)})"))
    if CASE_OPENED in after and len(after) > 1:
        raise ImproperlyConfigured(_problem(index, f"after: '{CASE_OPENED}' stands alone"))
    return ToolRequirement(tool_key=tool, level=level, within_working_days=days, after=tuple(after))


def tool_requirements() -> tuple:
    """The partnership's requirements (`TOOLS_REQUIRED`), checked; ImproperlyConfigured names a bad one."""
    return tuple(_requirement(index, raw) for index, raw in enumerate(getattr(settings, "TOOLS_REQUIRED", []) or []))


def requirements_for_tool(key):
    return [requirement for requirement in tool_requirements() if requirement.tool_key == key]


def levels_with_requirements():
    """Levels of need (in the Threshold order) at which at least one tool is required."""
    levels = {requirement.level for requirement in tool_requirements()}
    return [level for level in Threshold.values if level in levels]
