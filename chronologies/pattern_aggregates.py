"""Patterns across agencies from SQL aggregates: the chronology and case pages' cost does not grow with the record (issue 18).

The rules and their wording are patterns.py's (`detect_patterns`, which reads every entry of the
windows into Python and stays the reference the tests compare with: tests/chronologies/
test_pattern_aggregates.py). Here the database does the counting, so a child with 5,000 entries costs
the same queries, and nearly the same time, as a child with one:

1. the theme words in force (one query) and the entries of the theme window not yet matched
   against them (stored in `EntryThemes`: an entry never changes, so it is matched once per set of
   theme words; in steady state this query returns nothing, and entries it does return are matched
   for the page and stored after commit by tasks.entry_themes_store);
2. one aggregate grouped by agency and child: how many entries count towards cumulative concerns,
   each neglect type, each key-word theme, school absence and concerns, with first and last dates;
3. the health appointments of the theme window, as ids, kinds and dates only (runs missed in a row
   need their order);
4. the first `shown` entries of each pattern found (one UNION query of one slice per pattern; none
   for the chronology and case pages, which link to each pattern's own page instead), and those entries with their agency and child (one query).

A pattern's `entries` is a `PatternEntries`: its length is the database's count, its first `SHOWN`
items are loaded (what templates/chronologies/includes/patterns.html shows), and iterating it in full
(the API lists every entry's id) reads the rest then.

Every read starts from the queryset the caller passes, which starts from
`agencies.access.chronology_entries_visible_to`: a restricted entry the reader may not see counts
for nothing, as in patterns.py.
"""

import hashlib
import json
from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Case, Count, Exists, F, FilteredRelation, Max, Min, OuterRef, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils.text import slugify

from concerns.models import NeglectType

from . import patterns, themes
from .models import NOTABLE, ChronologyEntry, EntryKind, EntryThemes
from .patterns import Pattern, _day, _names, _plural
from .selectors import ChronologyShape, chronology_shape, current_versions

SHOWN = 20  # entries of each pattern loaded with it, for a page that lists them


class PatternEntries(Sequence):
    """A pattern's entries, oldest first: `len()` is the database's count; the first `SHOWN` are loaded.

    Indexing or slicing within those needs no query; iterating over more reads the rest (`rest()`).
    """

    def __init__(self, count, head, rest):
        self.count, self.head, self._rest, self._all = count, list(head), rest, None

    def __len__(self):
        return self.count

    def _everything(self):
        if self._all is None:
            self._all = self.head if self.count <= len(self.head) else list(self._rest())
        return self._all

    def __getitem__(self, index):
        if isinstance(index, slice):
            start, stop, step = index.indices(self.count)
            return self.head[index] if step == 1 and stop <= len(self.head) else self._everything()[index]
        if -self.count <= index < 0:
            index += self.count
        return self.head[index] if 0 <= index < len(self.head) else self._everything()[index]

    def __iter__(self):
        return iter(self._everything())

    def __eq__(self, other):
        return isinstance(other, Sequence) and len(self) == len(other) and list(self) == list(other)

    def __repr__(self):
        return f"PatternEntries({self.count} entries, {len(self.head)} loaded)"


# --- Key-word themes, matched once per entry ---------------------------------------------------------


_matchers = {}  # digest -> the themes' matchers (stemming the theme words once per set of words, per process)


def keyword_themes():
    """[(code, label, matcher)] of the key-word themes in force (patterns.theme_keywords, one query), and their digest."""
    keywords = patterns.theme_keywords()
    digest = hashlib.sha1(json.dumps(list(keywords.items()), sort_keys=False).encode(), usedforsecurity=False).hexdigest()
    if digest not in _matchers:
        _matchers.clear()
        _matchers[digest] = [(f"theme_{slugify(label).replace('-', '_')}", label, themes.ThemeMatcher.of(words)) for label, words in keywords.items()]
    return _matchers[digest], digest


def _has(code):
    return f"|{code}|"


def match_themes(entries, keyword, digest):
    """The key-word themes of each of `entries`, as an expression for the aggregate over `entries`.

    One query (returning nothing in steady state). Entries met for the first time are matched here,
    for this page, and stored after commit by a job (tasks.entry_themes_store), so a page never
    writes and the next one counts them in SQL alone. The stored answers are read through one LEFT
    JOIN (`stored_themes`, at most one row per entry and digest), not a subquery per entry and theme:
    the caller annotates `entries` with `themes_joined(digest)`.
    """
    by_themes = defaultdict(list)
    for pk, summary, impact, action in _not_matched(entries, digest).order_by().values_list(*MATCHED_TEXT):
        by_themes[_themes_of(keyword, summary, impact, action)].append(pk)
    if by_themes:
        from .tasks import entry_themes_store

        matches = [[pk, themes_] for themes_, ids in by_themes.items() for pk in ids]
        transaction.on_commit(lambda: entry_themes_store.delay(digest, matches), robust=True)
    stored = F("stored_themes__themes")
    if not by_themes:
        return stored
    return Coalesce(stored, Case(*(When(pk__in=ids, then=Value(themes_)) for themes_, ids in by_themes.items()), default=Value("")))


MATCHED_TEXT = ("pk", "summary", "impact_on_child", "action_taken")


def _not_matched(entries, digest):
    return entries.exclude(Exists(EntryThemes.objects.filter(entry_id=OuterRef("pk"), dictionary=digest)))


def _themes_of(keyword, summary, impact, action):
    """The codes of the key-word themes an entry's text matches, as stored: "|code|code|" ("" for none)."""
    text = "\n".join((summary, impact, action))
    return "".join(_has(code) for code, _, matcher in keyword if matcher.matches(text))


def entry_themes_match_window(*, today: date, batch: int = 2000) -> int:
    """Match every entry of the theme window not yet matched under the theme words in force, and store the answers.

    Run each night (tasks.entry_themes_sweep): the pages then meet only the entries recorded since,
    instead of matching a chronology's whole window for its first reader of the day after new theme
    words, an import, or ever. Superseded versions are matched too (the pages count current ones:
    a stored answer they never read costs a row). Returns the number of entries matched.
    """
    keyword, digest = keyword_themes()
    start = patterns.months_before(today, patterns.theme_window_months())
    window = _not_matched(ChronologyEntry.objects.filter(occurred_on__gte=start, occurred_on__lte=today), digest)
    matched, rows = 0, []
    for pk, summary, impact, action in window.order_by().values_list(*MATCHED_TEXT).iterator(chunk_size=batch):
        rows.append(EntryThemes(entry_id=pk, dictionary=digest, themes=_themes_of(keyword, summary, impact, action)))
        if len(rows) >= batch:
            matched += len(EntryThemes.objects.bulk_create(rows, ignore_conflicts=True))
            rows = []
    matched += len(EntryThemes.objects.bulk_create(rows, ignore_conflicts=True))
    return matched


def themes_joined(digest):
    """`stored_themes`: the entry's stored theme matches under `digest` (unique per entry and digest), for `match_themes`."""
    return FilteredRelation("theme_matches", condition=Q(theme_matches__dictionary=digest))


# --- The patterns --------------------------------------------------------------------------------------


def patterns_from_aggregates(entries, *, today: date, shown: int = SHOWN) -> list[Pattern]:
    """`patterns.detect_patterns` over `entries` (a queryset of the entries the reader may see), as of `today`.

    A fixed number of queries (six, and one more the first time new entries are matched against
    the theme words), whatever the number of entries. Each pattern's first `shown` entries are
    loaded with it; the chronology and case pages ask for none (`shown=0`: they link to each
    pattern's own page, which lists its entries), so what they render does not grow with the record.
    """
    cumulative_months, theme_months = patterns.cumulative_window_months(), patterns.theme_window_months()
    cumulative_start = patterns.months_before(today, cumulative_months)
    theme_start = patterns.months_before(today, theme_months)
    window = current_versions(entries).filter(occurred_on__gte=min(cumulative_start, theme_start), occurred_on__lte=today)
    keyword, digest = keyword_themes()
    matched = match_themes(window.filter(occurred_on__gte=theme_start), keyword, digest)

    # What counts for each pattern, as conditions on one entry.
    recent, in_theme_window = Q(occurred_on__gte=cumulative_start), Q(occurred_on__gte=theme_start)
    cumulative = recent & (Q(kind=EntryKind.CONCERN) | Q(significance__in=NOTABLE))
    absence = recent & (
        Q(kind=EntryKind.SCHOOL_ABSENCE)
        | Q(kind=EntryKind.SCHOOL_ATTENDANCE, attendance_percentage__isnull=False, attendance_percentage__lt=patterns.attendance_threshold())
    )
    concern = recent & Q(kind=EntryKind.CONCERN)
    theme_conditions = [(f"theme_neglect_{kind.value}", f"{kind.label} neglect", in_theme_window & Q(**{kind.field_name: True})) for kind in NeglectType]
    theme_conditions += [(code, label, in_theme_window & Q(matched__contains=_has(code))) for code, label, _ in keyword]

    counted = window.annotate(stored_themes=themes_joined(digest)).annotate(matched=matched)
    totals = (
        counted.order_by()
        .values("agency_id", "agency__name", "child_id")
        .annotate(
            cumulative=Count("pk", filter=cumulative),
            absence=Count("pk", filter=absence),
            concern=Count("pk", filter=concern),
            cumulative_first=Min("occurred_on", filter=cumulative),
            cumulative_last=Max("occurred_on", filter=cumulative),
            **{f"t{number}": Count("pk", filter=condition) for number, (_, _, condition) in enumerate(theme_conditions)},
        )
    )
    per_agency = defaultdict(lambda: defaultdict(int))
    names, first_on, last_on, children = {}, [], [], set()
    for row in totals:
        children.add(row["child_id"])
        names[row["agency_id"]] = row["agency__name"]
        for key in ("cumulative", "absence", "concern", *(f"t{n}" for n in range(len(theme_conditions)))):
            per_agency[key][row["agency_id"]] += row[key]
        first_on += [row["cumulative_first"]] if row["cumulative_first"] else []
        last_on += [row["cumulative_last"]] if row["cumulative_last"] else []

    def total(key):
        return sum(per_agency[key].values())

    def agencies(key):
        return {names[agency_id] for agency_id, count in per_agency[key].items() if count}

    found = []  # (code, title, reason, condition or ids, order)
    ordered = ("occurred_on", "created_at", "pk")
    if total("cumulative") >= patterns.cumulative_min_entries() and len(agencies("cumulative")) >= patterns.cumulative_min_agencies():
        named = agencies("cumulative")
        reason = (
            f"{_plural(total('cumulative'), 'concern or significant event', 'concerns or significant events')} from "
            f"{_plural(len(named), 'agency', 'agencies')} ({_names(named)}) in the last {_plural(cumulative_months, 'month')}, "
            f"between {_day(min(first_on))} and {_day(max(last_on))}."
        )
        found.append(("cumulative_concerns", "Cumulative concerns", reason, cumulative, total("cumulative"), ordered))
    for number, (code, label, condition) in enumerate(theme_conditions):
        named = agencies(f"t{number}")
        if len(named) < patterns.theme_min_agencies():
            continue
        reason = (
            f"{label} comes up in {_plural(total(f't{number}'), 'entry', 'entries')} from "
            f"{_plural(len(named), 'agency', 'agencies')} ({_names(named)}) in the last {_plural(theme_months, 'month')}."
        )
        found.append((code, f"Recurring theme: {label.lower()}", reason, condition, total(f"t{number}"), ordered))
    runs = _missed_runs(window.filter(in_theme_window), several_children=len(children) > 1)
    absences_too = total("absence") and total("concern")

    # The entries each pattern shows first, and the absence with the lowest attendance, in one query; then those entries.
    slices = [(code, counted.filter(condition).order_by(*order)[:shown]) for code, _, _, condition, _, order in found] if shown else []
    if absences_too:
        slices += [("absence_alongside_concerns", counted.filter(absence | concern).order_by("occurred_on", "pk")[:shown])] if shown else []
        lowest_first = ("attendance_percentage", "occurred_on", "created_at", "pk")
        slices.append(("lowest", counted.filter(absence, attendance_percentage__isnull=False).order_by(*lowest_first)[:1]))
    heads = _heads(slices)
    # A run's first entry is loaded even when none is shown: it names the child when the household has several.
    run_heads = [pk for run in runs for pk in run["ids"][: max(shown, 1)]]
    loaded = ChronologyEntry.objects.filter(pk__in=[pk for ids in heads.values() for pk in ids] + run_heads or [0])
    loaded = loaded.select_related("agency", "child").in_bulk()

    result = []
    for code, title, reason, condition, count, order in found:
        rest = lambda condition=condition, order=order: counted.filter(condition).select_related("agency", "child").order_by(*order)  # noqa: E731
        result.append(Pattern(code=code, title=title, reason=reason, entries=PatternEntries(count, [loaded[pk] for pk in heads[code]], rest)))
    for run in runs:
        head = [loaded[pk] for pk in run["ids"][:shown]]
        child = f"{loaded[run['ids'][0]].child}: " if run["several_children"] else ""
        reason = (
            f"{child}{len(run['ids'])} health appointments in a row were missed, from {_day(run['first_on'])} "
            f"to {_day(run['last_on'])}, with none attended in between."
        )
        code = f"missed_appointments_{run['child_id']}" if run["several_children"] else "missed_appointments"
        rest = lambda ids=run["ids"]: _in_order(ids)  # noqa: E731
        result.append(Pattern(code=code, title="Missed health appointments", reason=reason, entries=PatternEntries(len(run["ids"]), head, rest)))
    if absences_too:
        lowest = loaded[heads["lowest"][0]] if heads.get("lowest") else None
        attendance = f" (attendance down to {lowest.attendance_percentage.normalize():f}% on {_day(lowest.occurred_on)})" if lowest else ""
        reason = (
            f"School absence was recorded{attendance} while {_plural(total('concern'), 'concern was', 'concerns were')} raised, "
            f"all in the last {_plural(cumulative_months, 'month')}."
        )
        rest = lambda: counted.filter(absence | concern).select_related("agency", "child").order_by("occurred_on", "pk")  # noqa: E731
        head = [loaded[pk] for pk in heads.get("absence_alongside_concerns", [])]
        count = total("absence") + total("concern")
        result.append(
            Pattern(code="absence_alongside_concerns", title="School absence alongside concerns", reason=reason, entries=PatternEntries(count, head, rest))
        )
    return result


# --- The pages' summary: titles, reasons and counts, kept in the cache ----------------------------------

SUMMARY_SECONDS = 600


def pattern_summaries(entries, *, today: date, shape: ChronologyShape | None = None) -> list[Pattern]:
    """`patterns_from_aggregates(entries, today=today, shown=0)`, kept in the cache for `SUMMARY_SECONDS`.

    For the pages that show each pattern's title, reason and number of entries (the chronology, the
    case page, the chronology PDF): in steady state two small queries instead of six aggregates.
    `entries` is what one reader may see of one chronology, read through the access layer. The key
    holds everything the answer depends on, so a cached answer is one the reader would get now:

    * which entries they are: a digest of the queryset's SQL and parameters, which name the child or
      household and the reader's own visibility conditions (their agency, their grants);
    * the number, the newest id and the sum of the ids of the entries the reader may see, in one
      indexed aggregate (`shape`, selectors.chronology_shape, which a page that also lists the
      entries reads once for both): the chronology is append-only (an amendment is a new entry, nothing is
      updated, a restricted entry's sharing is set when it is recorded, and only retention deletes),
      so an entry recorded, amended or deleted, or a child the reader gains or loses sight of,
      makes a new key;
    * the theme words in force and today's date (the windows move with it).

    The time limit covers what the key cannot see: an agency renamed (names are in the reasons).
    A summary pattern's entries are read again, in full, only if they are iterated.
    """
    shape = shape or chronology_shape(entries)
    _keyword, digest = keyword_themes()
    sql, params = entries.query.sql_with_params()
    which = hashlib.sha1(f"{sql}|{params}".encode(), usedforsecurity=False).hexdigest()
    key = f"chronology-patterns:{which}:{shape.count}:{shape.newest}:{shape.ids}:{digest}:{today.isoformat()}"
    summary = cache.get(key)
    if summary is None:
        summary = [(pattern.code, pattern.title, pattern.reason, len(pattern.entries)) for pattern in patterns_from_aggregates(entries, today=today, shown=0)]
        cache.set(key, summary, SUMMARY_SECONDS)

    def load(code):
        return lambda: next(pattern.entries for pattern in patterns_from_aggregates(entries, today=today) if pattern.code == code)

    return [Pattern(code=code, title=title, reason=reason, entries=PatternEntries(count, [], load(code))) for code, title, reason, count in summary]


def _heads(slices) -> dict[str, list[int]]:
    """{pattern code: ids of its first entries}: one UNION ALL query of one ordered slice per pattern.

    Always one query, even with no pattern (an empty slice stands in), so a page's number of queries
    does not depend on what it finds. A database that cannot order and slice inside a UNION
    (SQLite, the demo) runs one query per slice instead.
    """
    slices = slices or [("", ChronologyEntry.objects.filter(pk=0).order_by("pk")[:1])]
    tagged = [queryset.values_list("pk", Value(code)) for code, queryset in slices]
    heads = defaultdict(list)
    if connection.features.supports_slicing_ordering_in_compound:
        rows = tagged[0].union(*tagged[1:], all=True) if len(tagged) > 1 else tagged[0]
    else:
        rows = [row for queryset in tagged for row in queryset]
    for pk, code in rows:
        heads[code].append(pk)
    return heads


def _missed_runs(appointments_window, *, several_children):
    """For each child, the latest run of health appointments missed in a row (patterns.missed_appointment_runs), as ids.

    Reads the appointments' ids, kinds and dates only (their order decides the runs).
    """
    needed = patterns.missed_appointments_run()
    rows = (
        appointments_window.filter(kind__in=(EntryKind.HEALTH_APPOINTMENT_MISSED, EntryKind.HEALTH_APPOINTMENT_ATTENDED))
        .order_by("occurred_on", "created_at", "pk")
        .values_list("pk", "child_id", "kind", "occurred_on")
    )
    by_child = defaultdict(list)
    for row in rows:
        by_child[row[1]].append(row)
    found = []
    for child_id, appointments in by_child.items():
        runs, run = [], []
        for pk, _, kind, occurred_on in appointments:
            if kind == EntryKind.HEALTH_APPOINTMENT_MISSED:
                run.append((pk, occurred_on))
            else:
                runs.append(run)
                run = []
        runs.append(run)
        latest = next((run for run in reversed(runs) if len(run) >= needed), None)
        if latest is not None:
            found.append(
                {
                    "child_id": child_id,
                    "ids": [pk for pk, _ in latest],
                    "first_on": latest[0][1],
                    "last_on": latest[-1][1],
                    "several_children": several_children,
                }
            )
    return found


def _in_order(ids):
    by_id = ChronologyEntry.objects.filter(pk__in=ids).select_related("agency", "child").in_bulk()
    return [by_id[pk] for pk in ids]
