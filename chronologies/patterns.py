"""Joining the dots: patterns across agencies' entries that no single agency would see on its own.

The partnership's learning review found a school, a health visitor and others each holding part of
the picture. These rules put the parts together, and each says in plain words why it fired and
which entries make it up, so a practitioner can check the reasoning rather than trust a score.

Patterns are computed only from entries the user may see (they start from
`agencies.access.chronology_entries_visible_to`): a pattern never hints at a restricted entry.
Only the latest version of each entry counts, so an amended concern is not counted twice.

Rules and their settings (each read with a default, so a partnership may tune them):

* cumulative concerns: `CHRONOLOGY_CUMULATIVE_MIN_ENTRIES` (3) or more concerns or significant or
  critical entries, from `CHRONOLOGY_CUMULATIVE_MIN_AGENCIES` (2) or more agencies, dated within the
  last `CHRONOLOGY_CUMULATIVE_WINDOW_MONTHS` (6) months (an entry dated exactly 6 months ago counts);
* recurring themes: the same neglect type, or a key word of one of `CHRONOLOGY_THEME_KEYWORDS`'s
  themes, in entries of `CHRONOLOGY_THEME_MIN_AGENCIES` (2) or more agencies within the last
  `CHRONOLOGY_THEME_WINDOW_MONTHS` (12) months;
* missed health appointments: `CHRONOLOGY_MISSED_APPOINTMENTS_RUN` (3) or more missed in a row, with
  none attended in between, within the theme window;
* school absence alongside concerns: a school absence, or attendance under
  `CHRONOLOGY_ATTENDANCE_THRESHOLD_PERCENT` (90), and a concern, both within the cumulative window.

For drift rules over many children at once, `cumulative_concerns_by_child` and
`low_attendance_by_child` answer in one query each.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from agencies.access import chronology_entries_visible_to
from concerns.models import NeglectType
from neglect_portal.dates import months_before

from . import themes
from .models import NOTABLE, ChronologyEntry, EntryKind
from .selectors import current_versions, every_version_for_child, every_version_for_family

# Matched by word stems in any order within a sentence (chronologies/themes.py); partnership admins add words (`ThemeWord`).
DEFAULT_THEME_KEYWORDS = {
    "Hygiene": ["hygiene", "unhygienic", "unwashed", "smelly", "smelt of urine", "dirty clothes", "soiled"],
    "Head lice": ["head lice", "nits"],
    "Home conditions": [
        "home conditions",
        "dirty home",
        "dirty house",
        "dirty conditions",
        "unhygienic conditions",
        "no food in the house",
        "mould",
        "no heating",
        "no electricity",
        "clutter",
    ],
    "Missed appointments": ["missed appointment", "missed appointments", "did not attend", "was not brought", "not brought to"],
    "Hunger": ["hungry", "hunger", "no breakfast", "food bank"],
}


def _setting(name, default):
    return getattr(settings, name, default)


def cumulative_min_entries():
    return _setting("CHRONOLOGY_CUMULATIVE_MIN_ENTRIES", 3)


def cumulative_min_agencies():
    return _setting("CHRONOLOGY_CUMULATIVE_MIN_AGENCIES", 2)


def cumulative_window_months():
    return _setting("CHRONOLOGY_CUMULATIVE_WINDOW_MONTHS", 6)


def theme_keywords():
    """Theme -> words: the setting's (or the defaults) with the words partnership admins added (`themes.with_partnership_words`)."""
    return themes.with_partnership_words(_setting("CHRONOLOGY_THEME_KEYWORDS", DEFAULT_THEME_KEYWORDS))


def theme_min_agencies():
    return _setting("CHRONOLOGY_THEME_MIN_AGENCIES", 2)


def theme_window_months():
    return _setting("CHRONOLOGY_THEME_WINDOW_MONTHS", 12)


def missed_appointments_run():
    return _setting("CHRONOLOGY_MISSED_APPOINTMENTS_RUN", 3)


def attendance_threshold():
    return Decimal(str(_setting("CHRONOLOGY_ATTENDANCE_THRESHOLD_PERCENT", 90)))


def attendance_term_months():
    return _setting("CHRONOLOGY_ATTENDANCE_TERM_MONTHS", 4)


@dataclass(frozen=True)
class Pattern:
    """A pattern found in the chronology: a stable `code`, a `title`, the `reason` in plain words,
    and the `entries` that make it up (oldest first)."""

    code: str
    title: str
    reason: str
    entries: tuple

    @property
    def since(self) -> date:
        return self.entries[0].occurred_on


# --- Wording helpers ---------------------------------------------------------------------------------


def _day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def _names(names) -> str:
    names = sorted(set(names))
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _plural(count, word, plural=None):
    return f"{count} {word if count == 1 else (plural or word + 's')}"


def _agency_names(entries):
    return {entry.agency.name for entry in entries}


# --- The rules, on a list of entries (oldest first) ----------------------------------------------------


def _within(entries, start, today):
    return [entry for entry in entries if start <= entry.occurred_on <= today]


def _is_concern_or_notable(entry):
    return entry.kind == EntryKind.CONCERN or entry.significance in NOTABLE


def cumulative_concerns(entries, *, today) -> Pattern | None:
    """Several concerns or significant events from several agencies, close together in time."""
    months = cumulative_window_months()
    counted = [entry for entry in _within(entries, months_before(today, months), today) if _is_concern_or_notable(entry)]
    agencies = _agency_names(counted)
    if len(counted) < cumulative_min_entries() or len(agencies) < cumulative_min_agencies():
        return None
    reason = (
        f"{_plural(len(counted), 'concern or significant event', 'concerns or significant events')} from "
        f"{_plural(len(agencies), 'agency', 'agencies')} ({_names(agencies)}) in the last {_plural(months, 'month')}, "
        f"between {_day(counted[0].occurred_on)} and {_day(counted[-1].occurred_on)}."
    )
    return Pattern(code="cumulative_concerns", title="Cumulative concerns", reason=reason, entries=tuple(counted))


def _themes():
    """(code, title, wording, matcher) for each neglect type and each key-word theme."""
    for kind in NeglectType:
        yield f"theme_neglect_{kind.value}", f"{kind.label} neglect", lambda entry, kind=kind: getattr(entry, kind.field_name)
    for label, words in theme_keywords().items():
        matcher = themes.ThemeMatcher.of(words)
        yield (
            f"theme_{slugify(label).replace('-', '_')}",
            label,
            lambda entry, matcher=matcher: matcher.matches("\n".join((entry.summary, entry.impact_on_child, entry.action_taken))),
        )


def recurring_themes(entries, *, today) -> list[Pattern]:
    """The same kind of worry recorded by several agencies: a neglect type or a theme's key words."""
    months = theme_window_months()
    recent = _within(entries, months_before(today, months), today)
    found = []
    for code, label, matches in _themes():
        matching = [entry for entry in recent if matches(entry)]
        agencies = _agency_names(matching)
        if len(agencies) < theme_min_agencies():
            continue
        reason = (
            f"{label} comes up in {_plural(len(matching), 'entry', 'entries')} from "
            f"{_plural(len(agencies), 'agency', 'agencies')} ({_names(agencies)}) in the last {_plural(months, 'month')}."
        )
        found.append(Pattern(code=code, title=f"Recurring theme: {label.lower()}", reason=reason, entries=tuple(matching)))
    return found


def missed_appointment_runs(entries, *, today) -> list[Pattern]:
    """For each child, the latest run of health appointments missed in a row (none attended between)."""
    needed = missed_appointments_run()
    recent = _within(entries, months_before(today, theme_window_months()), today)
    by_child = defaultdict(list)
    for entry in recent:
        if entry.kind in (EntryKind.HEALTH_APPOINTMENT_MISSED, EntryKind.HEALTH_APPOINTMENT_ATTENDED):
            by_child[entry.child_id].append(entry)
    several_children = len({entry.child_id for entry in entries}) > 1
    found = []
    for appointments in by_child.values():
        runs, run = [], []
        for entry in appointments:
            if entry.kind == EntryKind.HEALTH_APPOINTMENT_MISSED:
                run.append(entry)
            else:
                runs.append(run)
                run = []
        runs.append(run)
        latest = next((run for run in reversed(runs) if len(run) >= needed), None)
        if latest is None:
            continue
        child = f"{latest[0].child}: " if several_children else ""
        reason = (
            f"{child}{len(latest)} health appointments in a row were missed, from {_day(latest[0].occurred_on)} "
            f"to {_day(latest[-1].occurred_on)}, with none attended in between."
        )
        code = f"missed_appointments_{latest[0].child_id}" if several_children else "missed_appointments"
        found.append(Pattern(code=code, title="Missed health appointments", reason=reason, entries=tuple(latest)))
    return found


def _is_absence(entry):
    if entry.kind == EntryKind.SCHOOL_ABSENCE:
        return True
    return entry.kind == EntryKind.SCHOOL_ATTENDANCE and entry.attendance_percentage is not None and entry.attendance_percentage < attendance_threshold()


def absence_alongside_concerns(entries, *, today) -> Pattern | None:
    """Missing school while others are worried: the education side of neglect joined to the rest."""
    months = cumulative_window_months()
    recent = _within(entries, months_before(today, months), today)
    absences = [entry for entry in recent if _is_absence(entry)]
    concerns = [entry for entry in recent if entry.kind == EntryKind.CONCERN]
    if not absences or not concerns:
        return None
    lowest = min((entry for entry in absences if entry.attendance_percentage is not None), key=lambda e: e.attendance_percentage, default=None)
    attendance = f" (attendance down to {lowest.attendance_percentage.normalize():f}% on {_day(lowest.occurred_on)})" if lowest else ""
    reason = (
        f"School absence was recorded{attendance} while {_plural(len(concerns), 'concern was', 'concerns were')} raised, "
        f"all in the last {_plural(months, 'month')}."
    )
    together = tuple(sorted(absences + concerns, key=lambda entry: (entry.occurred_on, entry.pk)))
    return Pattern(code="absence_alongside_concerns", title="School absence alongside concerns", reason=reason, entries=together)


def detect_patterns(entries, *, today) -> list[Pattern]:
    """Every pattern in `entries` (latest versions the user may see, oldest first) as of `today`."""
    found = [cumulative_concerns(entries, today=today)]
    found += recurring_themes(entries, today=today)
    found += missed_appointment_runs(entries, today=today)
    found.append(absence_alongside_concerns(entries, today=today))
    return [pattern for pattern in found if pattern is not None]


# --- Selectors ---------------------------------------------------------------------------------------


def _pattern_entries(entries, today):
    """The latest versions dated within the longest window, oldest first, in one query."""
    start = months_before(today, max(cumulative_window_months(), theme_window_months()))
    return list(
        current_versions(entries)
        .filter(occurred_on__gte=start, occurred_on__lte=today)
        .select_related("agency", "child")
        .order_by("occurred_on", "created_at", "pk")
    )


def patterns_for_child(*, user, child, today: date | None = None) -> list[Pattern]:
    """The patterns in the child's chronology as the user may see it, with their entries (a pattern's page, the API).

    Counted by the database (pattern_aggregates.py, issue 18): the same patterns as `detect_patterns`
    over `_pattern_entries`, in a fixed number of queries however long the chronology is.
    """
    from .pattern_aggregates import patterns_from_aggregates

    today = today or timezone.localdate()
    return patterns_from_aggregates(every_version_for_child(user=user, child=child), today=today)


def patterns_for_family(*, user, family_id: int, today: date | None = None) -> list[Pattern]:
    """The patterns across the household's visible children: the siblings' dots joined too (counted by the database, as above)."""
    from .pattern_aggregates import patterns_from_aggregates

    today = today or timezone.localdate()
    return patterns_from_aggregates(every_version_for_family(user=user, family_id=family_id), today=today)


def pattern_summaries_for_child(*, user, child, today: date | None = None, shape=None) -> list[Pattern]:
    """The child's patterns as titles, reasons and numbers of entries (the chronology, case page and PDF), cached (pattern_aggregates.py).

    `shape`: the chronology's `selectors.chronology_shape`, when the caller has read it already.
    """
    from .pattern_aggregates import pattern_summaries

    return pattern_summaries(every_version_for_child(user=user, child=child), today=today or timezone.localdate(), shape=shape)


def pattern_summaries_for_family(*, user, family_id: int, today: date | None = None, shape=None) -> list[Pattern]:
    """The household's patterns as titles, reasons and numbers of entries (the whole-family chronology), cached."""
    from .pattern_aggregates import pattern_summaries

    return pattern_summaries(every_version_for_family(user=user, family_id=family_id), today=today or timezone.localdate(), shape=shape)


def pattern_named(patterns, code) -> Pattern | None:
    """The pattern of `code` among `patterns`, or None when it is not (or no longer) found."""
    return next((pattern for pattern in patterns if pattern.code == code), None)


# --- Many children at once (drift rules, manager queues) ------------------------------------------------


def cumulative_concerns_by_child(*, user, child_ids, today: date | None = None) -> dict[int, Pattern]:
    """{child id: cumulative-concerns pattern} for those of `child_ids` where it fires, in one query."""
    today = today or timezone.localdate()
    candidates = (
        current_versions(chronology_entries_visible_to(user))
        .filter(child_id__in=child_ids, occurred_on__gte=months_before(today, cumulative_window_months()), occurred_on__lte=today)
        .filter(Q(kind=EntryKind.CONCERN) | Q(significance__in=NOTABLE))
        .select_related("agency")
        .order_by("child_id", "occurred_on", "created_at", "pk")
    )
    by_child = defaultdict(list)
    for entry in candidates:
        by_child[entry.child_id].append(entry)
    found = {child_id: cumulative_concerns(entries, today=today) for child_id, entries in by_child.items()}
    return {child_id: pattern for child_id, pattern in found.items() if pattern is not None}


def low_attendance_by_child(*, user, child_ids, today: date | None = None) -> dict[int, ChronologyEntry]:
    """{child id: latest school attendance entry} where, in the last term, it is under the threshold.

    "The last term" is the last `CHRONOLOGY_ATTENDANCE_TERM_MONTHS` (4) months: the longest school
    term. The latest figure in that time decides (a better figure since clears the flag). One query.
    """
    today = today or timezone.localdate()
    figures = (
        current_versions(chronology_entries_visible_to(user))
        .filter(
            child_id__in=child_ids,
            kind=EntryKind.SCHOOL_ATTENDANCE,
            attendance_percentage__isnull=False,
            occurred_on__gte=months_before(today, attendance_term_months()),
            occurred_on__lte=today,
        )
        .select_related("agency")
        .order_by("child_id", "-occurred_on", "-created_at", "-pk")
    )
    latest = {}
    for entry in figures:
        latest.setdefault(entry.child_id, entry)
    return {child_id: entry for child_id, entry in latest.items() if entry.attendance_percentage < attendance_threshold()}
