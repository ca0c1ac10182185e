"""Flags from a reader's own view, stored under what that view is (issue 18).

Readers who see part of a child's record get their flags computed from their own view wherever
something the rules read is hidden from them (drift/selectors.py, `access.record_hidden_from`): a
partner agency's case page ran every rule on each load, and its manager's queue ran them for every
such case (about 1,200 for community health at county scale) on each page. Here those flags are
stored, in `DriftViewFlags`, under a key made from everything the rules read that depends on who reads:

* today's date, and the reader's agency;
* every case of the case's household and of its child: its id, its drift version (bumped by every
  event that changes what the rules read, drift/refresh.py, as for the stored whole-record flags)
  and whether the reader may see it (the rules read plans, runs and conferences through the cases
  the reader sees);
* for each child of those cases, the number of chronology entries and the newest one's id. The
  chronology is append-only (an amendment is a new entry, a restricted entry's sharing is set when
  it is recorded, only retention deletes): with the cases the reader sees and their agency, these
  decide which entries the reader may read, and a recorded, amended or deleted entry changes them.

Two readers with the same key see the same records in everything the rules read, so they get the
same flags; a reader whose view differs in anything the rules read gets another key and their own
computation. Nothing is ever given to a reader under a key other than their own, and a key is
computed afresh on every read (five indexed queries for any number of cases). One change the key
does not see: agencies merged (agencies/services.py) move the merged agency's entries to the kept
one, so its readers may see more than their stored views counted until the case's next event or
the next day; they are never shown more than they may see.

Each row also keeps the case's place in the queue (as `DriftCaseState` does for the whole record),
so a partner manager's queue orders and counts its cases without reading the flags themselves.

The stored flags are warmed after each refresh (tasks.py): for every case refreshed, each partner
agency of its team that has something hidden from it is read as `access.agency_reader` (a case
worker of that agency with no personal grant), so the first reader of the day finds their flags ready.
Rows of an earlier day, and of closed cases, are removed by the nightly sweep.
"""

import hashlib
from collections import defaultdict
from datetime import date

from django.db.models import Count, Exists, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from agencies.access import agency_reader, cases_visible_to, membership_of, record_hidden_from
from agencies.models import Agency, AgencyKind
from cases.models import Case, CaseStatus, Child, TeamMembership
from chronologies.models import ChronologyEntry
from neglect_portal.lookups import any_of, pair_of

from . import rules
from .models import DriftCaseState, DriftViewFlags
from .refresh import codes_text, evidence_json, live_acknowledgements, stored_flag


def view_keys(*, user, case_ids, today: date) -> dict[int, str]:
    """{case id: the key of `user`'s view of it} for `case_ids` (ids the caller read from `cases_visible_to(user)`); five queries."""
    membership = membership_of(user)
    ids = list(case_ids)
    if membership is None or not ids:
        return {}
    # The cases' children, their households, the household's children, then their cases: indexed probes each (at county
    # scale a join of cases to children, or an OR of household and child, read every child instead).
    child_of = dict(Case.objects.filter(any_of("pk", ids)).values_list("pk", "child_id"))
    family_of = dict(Child.objects.filter(any_of("pk", set(child_of.values()))).values_list("pk", "family_id"))
    families = {family_id for family_id in family_of.values() if family_id}
    household = set(family_of.items()) | set(Child.objects.filter(any_of("family_id", families)).values_list("pk", "family_id"))
    cases = [(case_id, child_id, family_of[child_id]) for case_id, child_id in sorted(child_of.items())]
    version = Subquery(DriftCaseState.objects.filter(case_id=OuterRef("pk")).values("version")[:1])
    related = (
        Case.objects.filter(any_of("child_id", {pk for pk, _ in household}))
        .annotate(version_=Coalesce(version, 0), seen=Exists(cases_visible_to(user).filter(pk=OuterRef("pk"))))
        .order_by()
        .values_list("pk", "child_id", "version_", "seen")
    )
    cases_of = defaultdict(list)
    # Sorted here, not in SQL: ordered by id, PostgreSQL walked every case's id instead of probing the children's.
    for row in sorted(related):
        cases_of[row[1]].append(row)
    shapes = defaultdict(tuple)
    counted = ChronologyEntry.objects.filter(any_of("child_id", cases_of)).order_by().values("child_id").annotate(n=Count("pk"), newest=Max("pk"))
    for child_id, count, newest in counted.values_list("child_id", "n", "newest"):
        shapes[child_id] = (count, newest)
    members = defaultdict(set)
    for child_id, family_id in household:
        members[family_id].add(child_id)
    keys = {}
    for case_id, child_id, family_id in cases:
        who = sorted((members[family_id] if family_id else set()) | {child_id})
        view = (today.isoformat(), membership.agency_id, [(child, cases_of[child], shapes[child]) for child in who])
        keys[case_id] = hashlib.sha256(repr(view).encode()).hexdigest()
    return keys


def own_view_flags(*, user, case_ids, today: date | None = None, keys: dict[int, str] | None = None) -> dict[int, list[rules.DriftFlag]]:
    """{case id: flags} as `rules.drift_flags_for_cases(user=user, ...)` gives them, read from the store where `user`'s view was computed before.

    `case_ids` are open cases the caller read from `cases_visible_to(user)`. Flags not stored yet
    under the reader's key are computed from their view and stored. Acknowledgements are applied
    when read (`rules._covering`), as for the whole-record flags.
    """
    today = today or timezone.localdate()
    if keys is None:
        keys = view_keys(user=user, case_ids=case_ids, today=today)
    else:
        keys = {case_id: keys[case_id] for case_id in case_ids if case_id in keys}
    if not keys:
        return {}
    stored = {row.case_id: row.flags for row in DriftViewFlags.objects.filter(pair_of("case_id", "key", keys.items())) if keys[row.case_id] == row.key}
    missing = [case_id for case_id in keys if case_id not in stored]
    found = rules.drift_flags_for_cases(user=user, case_ids=missing, today=today) if missing else {}
    if missing:
        now = timezone.now()
        rows = [_row(case_id, keys[case_id], found.get(case_id, []), today, now) for case_id in missing]
        DriftViewFlags.objects.bulk_create(rows, ignore_conflicts=True)
    acknowledgements = live_acknowledgements(list(stored), today)
    for case_id, flags in stored.items():
        found[case_id] = _from_json(flags, acknowledgements[case_id], today)
    return found


def views_of(*, user, cases, today: date) -> tuple[dict[int, tuple], dict[int, str]]:
    """Which of `cases` (a queryset that starts from `cases_visible_to(user)`) `user` reads from their own view, and the keys of their views.

    Returns ({case id: its place in the queue, as `place_of` gives it} for the cases read from the
    reader's own view, {case id: key}). The other cases get the whole-record flags (`DriftFlag`).
    What is stored under the reader's key decides, in one query: a view, or a marker that nothing
    the rules read is hidden from it. Where nothing is stored yet, `access.record_hidden_from`
    decides; the reader's own flags are computed and stored where something is hidden from them,
    and a marker where nothing is, so the next read under that key decides in one query too.
    """
    ids = list(cases.order_by().values_list("pk", flat=True))
    keys = view_keys(user=user, case_ids=ids, today=today)
    rows = DriftViewFlags.objects.filter(pair_of("case_id", "key", keys.items())).values_list(
        "case_id", "key", "whole_record", "worst", "oldest_red", "oldest", "codes", "flag_count"
    )
    places, whole = {}, set()
    for case_id, key, whole_record, *place in rows:
        if keys.get(case_id) != key:
            continue
        if whole_record:
            whole.add(case_id)
        else:
            places[case_id] = tuple(place)
    missing = [case_id for case_id in keys if case_id not in places and case_id not in whole]
    if missing:
        hidden = set(cases.filter(any_of("pk", missing)).filter(record_hidden_from(user)).values_list("pk", flat=True))
        if hidden:
            computed = own_view_flags(user=user, case_ids=sorted(hidden), today=today, keys=keys)
            places.update({case_id: place_of(flags) for case_id, flags in computed.items()})
        now = timezone.now()
        markers = [
            DriftViewFlags(case_id=case_id, key=keys[case_id], whole_record=True, computed_for=today, computed_at=now)
            for case_id in missing
            if case_id not in hidden
        ]
        DriftViewFlags.objects.bulk_create(markers, ignore_conflicts=True)
    return places, keys


def place_of(flags) -> tuple:
    """A case's place in the queue from its flags, as `own_view_places` gives it (`rules.QueueRow.sort_key`)."""
    row = rules.QueueRow(case=None, flags=flags)
    oldest = min((flag.since for flag in row.open_flags), default=None)
    return row.worst, row.oldest_red, oldest, codes_text({flag.code for flag in flags}), len(flags)


def _row(case_id, key, flags, today, now):
    worst, oldest_red, oldest, codes, flag_count = place_of(flags)
    return DriftViewFlags(
        case_id=case_id,
        key=key,
        computed_for=today,
        computed_at=now,
        flags=_as_json(flags),
        worst=worst,
        oldest_red=oldest_red,
        oldest=oldest,
        codes=codes,
        flag_count=flag_count,
    )


def _as_json(flags):
    fields = ("code", "subject", "severity", "reason")
    return [{**{name: getattr(flag, name) for name in fields}, "since": flag.since.isoformat(), "evidence": evidence_json(flag)} for flag in flags]


def _from_json(items, acknowledgements, today):
    flags = [stored_flag(**{**item, "since": date.fromisoformat(item["since"])}, acknowledgements=acknowledgements, today=today) for item in items]
    return rules.in_rules_order(flags)  # stored in the rules' order: equals keep it


def own_views_warm(*, case_ids, today: date | None = None) -> int:
    """Store, for the open cases among `case_ids`, the view of each partner agency of their team (`views_of`, as `access.agency_reader`).

    Run after a refresh (tasks.py). Returns how many (case, agency) views were looked at.
    """
    today = today or timezone.localdate()
    ids = list(Case.objects.filter(pk__in=list(case_ids), status=CaseStatus.OPEN).values_list("pk", flat=True))
    agencies = (
        Agency.objects.filter(is_active=True)
        .exclude(kind=AgencyKind.CHILDRENS_SOCIAL_CARE)
        .filter(Exists(TeamMembership.objects.filter(agency_id=OuterRef("pk"), case_id__in=ids)))
    )
    warmed = 0
    for agency in agencies.order_by("pk"):
        reader = agency_reader(agency)
        _places, keys = views_of(user=reader, cases=cases_visible_to(reader).filter(pk__in=ids), today=today)
        warmed += len(keys)
    return warmed


def own_views_forget(today: date | None = None) -> int:
    """Remove stored views of an earlier day and of cases no longer open (the nightly sweep)."""
    today = today or timezone.localdate()
    deleted, _ = DriftViewFlags.objects.filter(Q(computed_for__lt=today) | ~Q(case__status=CaseStatus.OPEN)).delete()
    return deleted


def own_views_forget_all() -> int:
    """Remove every stored partner view: after an agency merge, records, teams and grants changed agency in ways no key holds.

    Merges are rare; until a view is stored again (a reader computes it, or the next refresh or
    sweep warms it) its readers get flags computed from the rules, as before any view was stored.
    """
    deleted, _ = DriftViewFlags.objects.all().delete()
    return deleted
