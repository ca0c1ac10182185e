"""Keeping drift's stored flags (models.DriftFlag) equal to the rules (drift/rules.py). Issue 18.

The rules are the one definition of a flag; this module stores their result per open case so the
manager queue can filter, count and page in SQL. Three things keep the table right:

1. **Events.** A service that changes what the rules read sends an event (cases/events.py,
   chronologies/events.py, conferences/events.py); drift's receivers (apps.py) call
   `drift_cases_touched` / `drift_children_touched` inside the writer's transaction. That bumps the
   case's `DriftCaseState.version` (so the case counts as stale from the moment the write commits)
   and, after commit, queues one refresh task for every case the transaction touched.
2. **The nightly sweep** (tasks.drift_flags_sweep, Celery beat at 00:10) recomputes every open case
   in batches: time-based rules (a plan reaching 12 months, a child not seen for 6 weeks, an
   acknowledgement reaching its review date) change with the date, not with a write.
3. **Readers** (drift/selectors.py) refresh any stale case they are about to show, so a manager who
   records oversight sees its effect at once even if the worker has not run yet, and a worker or
   beat that is down cannot leave anyone reading flags computed for another day.

Flags are computed as a reader who sees the whole record (`access.whole_record_reader`, children's
social care's view). drift/selectors.py gives them only to readers with that same view of a child
and runs the rules on the reader's own view for anyone else, so a stored flag never shows a reader
what they may not see.

Concurrency: a refresh locks the cases' state rows (`SELECT ... FOR UPDATE SKIP LOCKED`, in case
order) before it reads anything, and stores the version it read. A row it cannot lock is being
written (its writer bumps the version and queues its own refresh after commit) or refreshed by
someone else, so skipping it loses nothing and no refresh ever waits for, or deadlocks with, a
writer. Running a refresh twice stores the same rows: it is idempotent.
"""

from collections import Counter, defaultdict
from dataclasses import replace
from datetime import date
from itertools import islice

from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from agencies.access import whole_record_reader
from cases.models import Case, CaseStatus

from . import rules
from .models import DriftAcknowledgement, DriftCaseState, DriftFlag

BATCH = 500  # cases per refresh transaction (and per task of the nightly sweep)


def batches(ids, size=BATCH):
    iterator = iter(ids)
    while chunk := list(islice(iterator, size)):
        yield chunk


# --- Events: mark stale in the writer's transaction, refresh after commit ---------------------------


def drift_cases_touched(*, case_ids) -> None:
    """Mark the cases' stored flags stale now and queue their refresh for after the commit.

    Called by event receivers inside the transaction that changed the cases' records, so the mark
    commits (or rolls back) with the change. Closed cases are harmless: a refresh stores none.
    """
    ids = sorted({case_id for case_id in case_ids if case_id})
    if not ids:
        return
    _bump(ids)
    _refresh_after_commit(ids)


def drift_children_touched(*, child_ids) -> None:
    """`drift_cases_touched` for the open cases of these children (a child has at most one)."""
    child_ids = sorted({child_id for child_id in child_ids if child_id})
    if child_ids:
        drift_cases_touched(case_ids=Case.objects.filter(child_id__in=child_ids, status=CaseStatus.OPEN).values_list("pk", flat=True))


def drift_agency_touched(*, agency_id) -> None:
    """`drift_cases_touched` for the open cases the agency leads or is in the team of (after an agency merge)."""
    in_team = Q(team__agency_id=agency_id) | Q(lead_agency_id=agency_id)
    drift_cases_touched(case_ids=Case.objects.filter(in_team, status=CaseStatus.OPEN).values_list("pk", flat=True).distinct())


def _bump(ids):
    """Add one to each case's version (creating its state row if it has none): one statement."""
    table = DriftCaseState._meta.db_table
    rows = ", ".join(["(%s, 1, 0, 0, 0, '')"] * len(ids))
    # The table name comes from the model and the values are parameters.
    sql = f"INSERT INTO {table} (case_id, version, computed_version, flag_count, worst, codes) VALUES {rows} ON CONFLICT (case_id) DO UPDATE SET version = {table}.version + 1"  # nosec B608
    with connection.cursor() as cursor:
        cursor.execute(sql, ids)


class _PendingRefresh:
    """The after-commit callback of one transaction: every case it touched, queued once."""

    def __init__(self):
        self.case_ids = set()
        self.queued = False

    def __call__(self):
        from .tasks import drift_flags_refresh_cases

        self.queued = True
        for chunk in batches(sorted(self.case_ids)):
            drift_flags_refresh_cases.delay(chunk)


def _refresh_after_commit(ids):
    """Queue a refresh after commit; a transaction that touches many cases queues them once.

    `robust`: if the broker is down the write still succeeds, the cases stay marked stale, and the
    next reader (or the nightly sweep) refreshes them.
    """
    db = transaction.get_connection()
    if db.in_atomic_block:
        for _savepoints, callback, *_ in db.run_on_commit:
            if isinstance(callback, _PendingRefresh) and not callback.queued:
                callback.case_ids.update(ids)
                return
    pending = _PendingRefresh()
    pending.case_ids.update(ids)
    transaction.on_commit(pending, robust=True)


# --- Stale or fresh -----------------------------------------------------------------------------------


def fresh(today: date):
    """A condition on cases: stored flags computed for `today` from the latest version of the case."""
    return Exists(DriftCaseState.objects.filter(case_id=OuterRef("pk"), computed_version__gte=F("version"), computed_for__gte=today))


# --- Refreshing -----------------------------------------------------------------------------------------


def drift_flags_refresh(*, case_ids, today: date | None = None, only_stale: bool = False) -> list[int]:
    """Recompute and store the flags of `case_ids` as of `today`; returns the ids refreshed.

    Each batch is one transaction: lock the state rows that are free (skipping those being written
    or refreshed right now), run the rules for those cases in bulk (a fixed number of queries per
    batch), replace their flag rows and record the version and day computed with the case's place
    in the queue. With `only_stale`, cases already fresh for `today` are left alone (readers use
    this; the sweep and the event task recompute what they are given).
    """
    today = today or timezone.localdate()
    refreshed = []
    for chunk in batches(sorted(set(case_ids))):
        _ensure_state_rows(chunk)
        with transaction.atomic():
            locked = DriftCaseState.objects.select_for_update(skip_locked=True).filter(case_id__in=chunk).order_by("case_id")
            if only_stale:
                locked = locked.exclude(computed_version__gte=F("version"), computed_for__gte=today)
            states = {state.case_id: state for state in locked}
            if not states:
                continue
            flags = rules.drift_flags_for_cases(user=whole_record_reader(), case_ids=list(states), today=today)
            now = timezone.now()
            DriftFlag.objects.filter(case_id__in=list(states)).delete()
            DriftFlag.objects.bulk_create([row for case_id, found in flags.items() for row in _rows(case_id, found, now)])
            for case_id, state in states.items():
                _summarise(state, flags.get(case_id, []), today, now)
            DriftCaseState.objects.bulk_update(
                states.values(), ["computed_version", "computed_for", "computed_at", "flag_count", "worst", "oldest_red", "oldest", "codes"]
            )
            refreshed += list(states)
    return refreshed


def _ensure_state_rows(ids):
    """A state row for every case (new cases have none), in its own short transaction.

    Kept out of the locking transaction: an insert can wait for a writer inserting the same row,
    and must not do so while holding other rows' locks.
    """
    DriftCaseState.objects.bulk_create([DriftCaseState(case_id=case_id, version=1, computed_version=0) for case_id in ids], ignore_conflicts=True)


def _rows(case_id, flags, now):
    """The case's flags as rows; `position` counts the flags of each rule in the rules' order (0 for the first)."""
    positions = Counter()
    for flag in flags:
        evidence = evidence_json(flag)
        yield DriftFlag(
            case_id=case_id,
            code=flag.code,
            subject=flag.subject,
            position=positions[flag.code],
            severity=flag.severity,
            reason=flag.reason,
            since=flag.since,
            evidence=evidence,
            computed_at=now,
        )
        positions[flag.code] += 1


def _summarise(state, flags, today, now):
    """Record the version read and the case's place in the queue (`rules.QueueRow.sort_key`)."""
    row = rules.QueueRow(case=None, flags=flags)
    open_flags = row.open_flags
    state.computed_version = state.version
    state.computed_for, state.computed_at = today, now
    state.flag_count = len(flags)
    state.worst = row.worst
    state.oldest_red = row.oldest_red
    state.oldest = min((flag.since for flag in open_flags), default=None)
    state.codes = codes_text({flag.code for flag in flags})


def evidence_json(flag) -> list[dict]:
    """A flag's evidence as stored: [{"label", "url", "record"}]."""
    return [{"label": item.label, "url": item.url, "record": item.record} for item in flag.evidence]


def live_acknowledgements(case_ids, today) -> dict[int, list]:
    """{case id: acknowledgements not yet due for review} of `case_ids` (ids the caller read from `cases_visible_to`); one query."""
    found = defaultdict(list)
    for acknowledgement in DriftAcknowledgement.objects.filter(case_id__in=list(case_ids), review_on__gt=today).select_related("acknowledged_by"):
        found[acknowledgement.case_id].append(acknowledgement)
    return found


def stored_flag(*, code, severity, reason, since, evidence, subject, acknowledgements, today) -> rules.DriftFlag:
    """A stored flag as the rules give it: its title from the rules, the acknowledgement covering it today (read, never stored)."""
    flag = rules.DriftFlag(
        code=code,
        severity=severity,
        title=rules.RULES.get(code, code),
        reason=reason,
        since=since,
        evidence=tuple(rules.Evidence(**item) for item in evidence),
        subject=subject,
    )
    return replace(flag, acknowledgement=rules._covering(flag, acknowledgements, today))


def codes_text(codes) -> str:
    """The rules that flag a case as `DriftCaseState.codes` stores them: "|a|b|" ("" for none)."""
    return f"|{'|'.join(sorted(codes))}|" if codes else ""


def codes_of(text) -> list[str]:
    """The rules in a stored `DriftCaseState.codes` (what `codes_text` wrote; none for "" or no state)."""
    return [code for code in (text or "").strip("|").split("|") if code]


def has_code(code) -> str:
    """What `DriftCaseState.codes` contains when the case has a flag of `code`."""
    return f"|{code}|"


def drift_flags_forget_closed() -> int:
    """Remove stored flags of cases that are no longer open (drift is about work still open)."""
    closed = ~Q(case__status=CaseStatus.OPEN)
    deleted, _ = DriftFlag.objects.filter(closed).delete()
    DriftCaseState.objects.filter(closed, flag_count__gt=0).update(flag_count=0, worst=0, oldest_red=None, oldest=None, codes="")
    return deleted


def open_case_ids():
    """Every open case, in id order (the nightly sweep's work list)."""
    return Case.objects.filter(status=CaseStatus.OPEN).order_by("pk").values_list("pk", flat=True)
