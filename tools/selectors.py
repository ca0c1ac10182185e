"""Reads of tool definitions, assessment runs and a child's progress. Each takes `user=`.

Runs hang off a case, so every run read starts from `agencies.access.records_visible_to(user,
AssessmentRun)` (or a case the view got from `access_case`): a selector can narrow what a user
sees, never widen it. Partnership admins, strategy members and auditors therefore get no runs.

Definitions hold no case content. Who reads which is decided with the access layer's role checks:
partnership admins see every version (they manage them), case workers see published and retired
versions (to start runs and to read old runs), and no one else sees any.

Progress compares a child's final runs of the same tool (all versions of one `key`), oldest
first. Which way is better comes from the definition's `higher_is`: a higher Graded Care Profile
grade is worse, a higher journey-scale score is better.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber

from agencies.access import can_manage_partnership, can_see_case_work, cases_visible_to, records_visible_to

from .models import AssessmentRun, DefinitionStatus, RunStatus, ToolDefinition
from .scoring import change

OVERALL = "overall"


# --- Definitions -------------------------------------------------------------------------------


def definitions_visible_to(*, user):
    """The definitions the user may read (see the module docstring for who reads which)."""
    if can_manage_partnership(user):
        return ToolDefinition.objects.all()
    if can_see_case_work(user):
        return ToolDefinition.objects.exclude(status=DefinitionStatus.DRAFT)
    return ToolDefinition.objects.none()


def definitions_for_admin(*, user):
    """Every version of every tool, each with `run_count` (a number, never a run's content)."""
    return definitions_visible_to(user=user).annotate(run_count=Count("runs")).order_by("key", "-version")


def definition_for_admin(*, user, definition_id):
    return definitions_for_admin(user=user).filter(pk=definition_id).first()


def required_tool_names():
    """{tool key: name} of the tools the partnership requires (tools/requirements.py), newest version's name; one query, none without requirements.

    Names hold no case content, so this takes no user: drift's reasons name the tool whoever reads them.
    """
    from .requirements import tool_requirements

    keys = {requirement.tool_key for requirement in tool_requirements()}
    if not keys:
        return {}
    names = {}
    for key, name in ToolDefinition.objects.filter(key__in=keys).order_by("key", "version").values_list("key", "name"):
        names[key] = name
    return names


def published_definitions(*, user):
    """The tools a case worker can start a run with: the published version of each."""
    return definitions_visible_to(user=user).filter(status=DefinitionStatus.PUBLISHED).order_by("name")


# --- Runs --------------------------------------------------------------------------------------


def runs_visible_to(*, user):
    """Runs on cases the user may see, with what pages and the API show joined in."""
    return records_visible_to(user, AssessmentRun).select_related("definition", "case__child", "assessor", "agency")


def runs_for_case(*, user, case):
    """The case's runs, newest first (drafts included: the team finishes them together)."""
    return runs_visible_to(user=user).filter(case=case).order_by("-assessed_on", "-pk")


def _final_runs_of_children(user, child_ids):
    return runs_visible_to(user=user).filter(status=RunStatus.FINAL, case__child_id__in=child_ids)


# --- Progress ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScoreRow:
    """One area (or the overall score) across a child's runs of one tool.

    `scores` has one entry per run, oldest first (None where that run has no score for it);
    `change` is 'better', 'worse' or 'same' between the last two runs, None when not comparable.
    `rule` says in words how the newest version scores it; `on_scale` is False for a count, a
    total or a looked-up band, which is never drawn on the same axis as grades.
    """

    id: str
    title: str
    scores: tuple
    change: str | None
    rule: str = ""
    on_scale: bool = True

    @property
    def previous(self):
        return self.scores[-2] if len(self.scores) > 1 else None

    @property
    def latest(self):
        return self.scores[-1] if self.scores else None


@dataclass(frozen=True)
class ToolProgress:
    """A child's final runs of one tool, oldest first, with a row per area and one for the overall score."""

    child_id: int
    key: str
    name: str
    higher_is: str
    runs: tuple
    rows: tuple
    overall: ScoreRow | None
    bounds: tuple | None

    @property
    def all_rows(self):
        return self.rows + ((self.overall,) if self.overall else ())

    @property
    def chart_rows(self):
        """The rows on the items' own scale: the chart draws these; the table shows every row."""
        return tuple(row for row in self.all_rows if row.on_scale)

    @property
    def flag(self):
        """The drift flag from the last two runs (ProgressFlag), or None."""
        return _flag(self)


@dataclass(frozen=True)
class ProgressFlag:
    """A drift signal: between the child's last two final runs of a tool, nothing moved, or something got worse.

    `since` is the date of the latest run (the flag stands from then); `reason` says what changed.
    """

    child_id: int
    tool_key: str
    tool_name: str
    kind: str  # "worse" or "no_change"
    previous_on: date
    since: date
    reason: str
    run_id: int


def _row(row_id, title, runs, score_of, higher_is, rule=None, rule_text=""):
    scores = tuple(score_of(run) for run in runs)
    return ScoreRow(
        id=row_id,
        title=title,
        scores=scores,
        change=change(*scores[-2:], higher_is=higher_is) if len(scores) > 1 else None,
        rule=rule_text,
        on_scale=rule.on_scale if rule is not None else True,
    )


def _tool_progress(child_id, runs):
    """Rows follow the newest version's areas; areas only older versions had come after them."""
    latest = runs[-1].structure
    areas = {}
    for run in reversed(runs):
        for area in run.structure.areas:
            if area.rule != "none":
                areas.setdefault(area.id, (area, run.structure))
    rows = tuple(
        _row(
            area_id,
            area.title,
            runs,
            lambda run, area_id=area_id: run.scores.get("areas", {}).get(area_id),
            latest.higher_is,
            rule=area.rule,
            rule_text=structure.area_rule_text(area),
        )
        for area_id, (area, structure) in areas.items()
    )
    overall = None
    if latest.overall_rule != "none":
        overall = _row(
            OVERALL,
            "Overall",
            runs,
            lambda run: run.scores.get("overall"),
            latest.higher_is,
            rule=latest.overall_rule,
            rule_text=latest.overall_rule_text(),
        )
    return ToolProgress(
        child_id=child_id,
        key=latest.key,
        name=runs[-1].definition.name,
        higher_is=latest.higher_is,
        runs=tuple(runs),
        rows=rows,
        overall=overall,
        bounds=latest.score_bounds(),
    )


def _group_by_tool(runs):
    """Scored tools only, each run list oldest first; definitions parsed once per version."""
    parsed = {}
    by_key = {}
    for run in runs:
        if run.definition_id not in parsed:
            parsed[run.definition_id] = run.definition.parsed
        run.definition.parsed = parsed[run.definition_id]
        if run.definition.parsed.is_scored:
            by_key.setdefault(run.definition.key, []).append(run)
    return by_key


def child_progress(*, user, child):
    """Each scored tool the child has final runs of (on cases the user may see), by tool name."""
    runs = _final_runs_of_children(user, [child.pk]).order_by("assessed_on", "finalised_at", "pk")
    progress = [_tool_progress(child.pk, tool_runs) for tool_runs in _group_by_tool(runs).values()]
    return sorted(progress, key=lambda tool: tool.name)


def _day(on):
    return f"{on.day} {on:%B %Y}"


def _flag(progress):
    """A flag from the last two runs of `progress`, or None when something improved and nothing got worse."""
    if len(progress.runs) < 2:
        return None
    compared = [row for row in progress.all_rows if row.change is not None]
    if not compared:
        return None
    worse = [row for row in compared if row.change == "worse"]
    previous, latest = progress.runs[-2], progress.runs[-1]
    if worse:
        kind = "worse"
        reason = "; ".join(f"{row.title} worse ({row.previous} to {row.latest})" for row in worse)
    elif all(row.change == "same" for row in compared):
        kind = "no_change"
        reason = "no score changed"
    else:
        return None
    return ProgressFlag(
        child_id=progress.child_id,
        tool_key=progress.key,
        tool_name=progress.name,
        kind=kind,
        previous_on=previous.assessed_on,
        since=latest.assessed_on,
        reason=f"{progress.name}: {reason} between {_day(previous.assessed_on)} and {_day(latest.assessed_on)}",
        run_id=latest.pk,
    )


def progress_flags(*, user, child):
    """Flags for the child (see ProgressFlag): one per scored tool whose last two final runs show no change or worse."""
    return [flag for tool in child_progress(user=user, child=child) if (flag := tool.flag)]


def progress_flags_for_cases(*, user, case_ids):
    """{case id: [ProgressFlag]} for many cases in two queries, whatever their number.

    Flags are per child (a child's runs on any of their cases the user may see); each case gets
    its child's flags. Cases the user may not see are left out. Only the last two final runs of
    each child and tool are fetched (a window function ranks them in the database).
    """
    case_children = dict(cases_visible_to(user).filter(pk__in=list(case_ids)).values_list("pk", "child_id"))
    if not case_children:
        return {}
    ranked = (
        _final_runs_of_children(user, set(case_children.values()))
        .annotate(
            recency=Window(
                RowNumber(),
                partition_by=[F("case__child_id"), F("definition__key")],
                order_by=[F("assessed_on").desc(), F("finalised_at").desc(), F("pk").desc()],
            )
        )
        .filter(recency__lte=2)
        .order_by("assessed_on", "finalised_at", "pk")
    )
    by_child = {}
    for run in ranked:
        by_child.setdefault(run.case.child_id, []).append(run)
    flags_by_child = {}
    for child_id, runs in by_child.items():
        tools = (_tool_progress(child_id, tool_runs) for tool_runs in _group_by_tool(runs).values())
        flags_by_child[child_id] = [flag for tool in tools if (flag := tool.flag)]
    return {case_id: flags_by_child.get(child_id, []) for case_id, child_id in case_children.items()}
