"""Reads of drift flags: the case page's flags and the manager queue, from the stored flags (issue 18).

Every read starts from the access layer: the cases come from `cases_visible_to(user)` (the queue from
`cases.selectors.agency_cases`, which starts there). The flags come from the table drift/refresh.py
keeps (models.DriftFlag), computed from the whole record; a reader gets them only where that is also
their own view of the child:

* readers who see the whole record (children's social care, `access.sees_whole_record`) get the
  stored flags: they equal what drift/rules.py computes for them (tests/drift/test_read_model.py);
* anyone else gets the stored flags of cases where no record the rules read is hidden from them
  (`access.record_hidden_from`: a restricted entry of another agency, a run on a case they may not
  see), and flags from their own view for the rest: stored under a key made from that view
  (drift/own_view.py), computed by the rules on that view when not stored yet;
* links to records the reader may not see are dropped from every flag's evidence when it is read.

Cases whose stored flags are stale (written since, or computed for an earlier day) are refreshed
before they are read (drift/refresh.py), so a reader never sees flags older than their own writes.
The queue is filtered, counted and paged in SQL (Django's Paginator over the cases queryset, ordered
by the stored place of each case): its cost does not grow with the number of flags, and nothing is
capped.
"""

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date

from django.core.cache import cache
from django.db.models import Count, F
from django.utils import timezone

from agencies.access import (
    cases_visible_to,
    chronology_entries_visible_to,
    conferences_visible_to,
    records_visible_to,
    sees_whole_record,
)
from cases.models import CaseStatus
from neglect_portal.lookups import any_of
from neglect_portal.pagination import page_of

from . import rules
from .models import DriftFlag
from .own_view import own_view_flags, views_of
from .refresh import codes_of, drift_flags_refresh, fresh, has_code, live_acknowledgements, stored_flag

PAGE_SIZE = 25


# --- Flags of some cases -----------------------------------------------------------------------------


def drift_flags_for_reader(*, user, case_ids, today: date | None = None) -> dict[int, list[rules.DriftFlag]]:
    """{case id: flags} for the open cases among `case_ids` the user may see, as `rules.drift_flags_for_cases` says.

    In a fixed number of queries for a given reader, whatever the number of cases or records.
    """
    today = today or timezone.localdate()
    visible = cases_visible_to(user).filter(pk__in=case_ids, status=CaseStatus.OPEN)
    found = {}
    if not sees_whole_record(user):
        places, keys = views_of(user=user, cases=visible, today=today)
        found = own_view_flags(user=user, case_ids=sorted(places), today=today, keys=keys) if places else {}
    stored = visible.exclude(pk__in=list(found)) if found else visible
    ids = _refresh_stale(stored, today, all_ids=True)
    found.update({pk: [] for pk in ids})
    found.update(_stored_flags(case_ids=ids, today=today))
    return _without_hidden_evidence(user, found)


def case_flags(*, user, case, today: date | None = None) -> list[rules.DriftFlag]:
    """The case page's flags (registered in apps.py); an empty list for a closed case, as `rules.flags_for_case`."""
    return drift_flags_for_reader(user=user, case_ids=[case.pk], today=today).get(case.pk, [])


def _refresh_stale(cases, today, *, all_ids=False) -> list[int]:
    """Refresh the stale ones among `cases` (one query when none is stale).

    Returns the ids of all of `cases` when `all_ids` (read in the same query), else of the stale ones.
    """
    if all_ids:
        rows = list(cases.annotate(is_fresh=fresh(today)).order_by().values_list("pk", "is_fresh"))
    else:
        rows = [(pk, False) for pk in cases.filter(~fresh(today)).order_by().values_list("pk", flat=True)]
    stale = [pk for pk, is_fresh in rows if not is_fresh]
    if stale:
        drift_flags_refresh(case_ids=stale, today=today, only_stale=True)
    return [pk for pk, _ in rows]


def _stored_flags(*, case_ids, today) -> dict[int, list[rules.DriftFlag]]:
    """The stored flags of `case_ids` (ids the caller read from `cases_visible_to`), with live acknowledgements, in two queries."""
    case_ids = list(case_ids)
    acknowledgements = live_acknowledgements(case_ids, today)
    found = defaultdict(list)
    for row in DriftFlag.objects.filter(case_id__in=case_ids):
        flag = stored_flag(
            code=row.code,
            severity=row.severity,
            reason=row.reason,
            since=row.since,
            evidence=row.evidence,
            subject=row.subject,
            acknowledgements=acknowledgements[row.case_id],
            today=today,
        )
        found[row.case_id].append((row.position, flag))
    return {case_id: _in_order(flags) for case_id, flags in found.items()}


def _in_order(flags):
    """`rules.flags_from_facts`'s order: unacknowledged first, most severe, oldest, by rule; equals as the rules gave them."""
    flags = sorted(flags, key=lambda item: (item[1].is_acknowledged, -item[1].rank, item[1].since, item[1].code, item[0]))
    return [flag for _, flag in flags]


# Models whose records a flag's evidence may link to, and how to ask which of them a user may see.
# Plans and plan actions are records of the flagged case itself, which the reader sees.
_EVIDENCE_CHECKS = {
    "chronologies.chronologyentry": lambda user: chronology_entries_visible_to(user),
    "tools.assessmentrun": lambda user: records_visible_to(user, _model("tools.AssessmentRun")),
    "conferences.conference": lambda user: conferences_visible_to(user),
}


def _model(label):
    from django.apps import apps

    return apps.get_model(label)


EVIDENCE_SHOWN = 20  # records listed behind one flag; the rest are summed up in one link


def _as_shown(flag):
    """At most `EVIDENCE_SHOWN` records behind a flag, then one line for the rest.

    Cumulative concerns list every concern of six months (hundreds on a busy chronology), all
    links to the same chronology: the page shows the first ones and says how many more there are,
    so its cost does not grow with the record.
    """
    if len(flag.evidence) <= EVIDENCE_SHOWN:
        return flag
    shown, rest = flag.evidence[:EVIDENCE_SHOWN], flag.evidence[EVIDENCE_SHOWN:]
    urls = {item.url for item in rest}
    more = rules.Evidence(f"And {len(rest)} more record{'s' if len(rest) > 1 else ''}", urls.pop() if len(urls) == 1 else rest[0].url)
    return replace(flag, evidence=(*shown, more))


def _without_hidden_evidence(user, found):
    """Drop evidence links to records the user may not see, asking the access layer once per kind of record; then `_as_shown`.

    Readers who see the whole record see every record. For anyone else the three questions are
    always asked (an impossible id when there is nothing to ask), so a page's number of queries
    does not depend on what its flags link to.
    """
    if sees_whole_record(user):
        return {case_id: [_as_shown(flag) for flag in flags] for case_id, flags in found.items()}
    wanted = defaultdict(set)
    for flags in found.values():
        for flag in flags:
            for item in flag.evidence:
                label, _, pk = item.record.partition(":")
                if label in _EVIDENCE_CHECKS:
                    wanted[label].add(int(pk))
    seen = {
        label: {f"{label}:{pk}" for pk in visible(user).filter(pk__in=sorted(wanted[label]) or [0]).values_list("pk", flat=True)}
        for label, visible in _EVIDENCE_CHECKS.items()
    }
    shown = set().union(*seen.values())

    def keep(item):
        label = item.record.partition(":")[0]
        return label not in _EVIDENCE_CHECKS or item.record in shown

    return {
        case_id: [_as_shown(replace(flag, evidence=tuple(item for item in flag.evidence if keep(item)))) for flag in flags] for case_id, flags in found.items()
    }


# --- The manager queue ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueuePage:
    """One page of a manager's queue: `rows` (`rules.QueueRow`, worst first), the Django `page`,
    counts per rule (cases with a flag of that rule, after the team and locality filters, before
    the rule filter), the filters' choices and how many open cases were checked."""

    rows: list
    page: object
    counts: dict
    teams: list
    localities: list
    cases_checked: int

    @property
    def flagged(self):
        """How many cases have flags (after every filter): what the pages page through."""
        return self.page.paginator.count


CHOICES_SECONDS = 600


def _filter_choices(user, overseen):
    """The team and locality filters' choices: the lead agencies and localities of the cases overseen.

    Reading every overseen case's family is the dearest query of the page (tens of milliseconds at
    county scale), and the answer changes only when a case opens or changes lead, so it is kept
    for each user for ten minutes (settings.CACHES); a new team or locality may take that long to
    be offered. The filters themselves always run on the live cases.
    """
    key = f"drift-queue-choices:{user.pk}"
    choices = cache.get(key)
    if choices is None:
        choices = list(overseen.order_by().values_list("lead_agency_id", "lead_agency__name", "child__family__locality").distinct())
        cache.set(key, choices, CHOICES_SECONDS)
    teams = sorted({(agency_id, name) for agency_id, name, _ in choices}, key=lambda team_: team_[1])
    localities = sorted({locality_ for _, _, locality_ in choices if locality_})
    return teams, localities


def drift_queue_page(
    *,
    user,
    today: date | None = None,
    code: str = "",
    team: int | None = None,
    locality: str = "",
    page_number=1,
    page_size: int = PAGE_SIZE,
) -> QueuePage:
    """A manager's (or DSL's) cases with flags, worst first (`rules.QueueRow.sort_key`), one page at a time.

    The cases are `agency_cases` (their agency's, and for children's social care every statutory
    case), filtered by lead agency and locality in SQL; `code` keeps cases with a flag of that rule.
    A reader of the whole record is paged entirely in SQL. For anyone else, the few cases where a
    record is hidden from them have their flags computed from their own view and take their place
    among the rest by the same order.
    """
    from cases.selectors import agency_cases

    today = today or timezone.localdate()
    overseen = agency_cases(user=user).select_related("child__family", "lead_agency")
    teams, localities = _filter_choices(user, overseen)
    if team:
        overseen = overseen.filter(lead_agency_id=team)
    if locality:
        overseen = overseen.filter(child__family__locality=locality)
    cases_checked = overseen.count()
    places, keys_of_views = ({}, {}) if sees_whole_record(user) else views_of(user=user, cases=overseen, today=today)
    own_view = list(places)
    stored = overseen.exclude(any_of("pk", own_view)) if own_view else overseen
    _refresh_stale(stored, today)

    # Cases per rule, from each case's stored list of rules (no flag rows read): the cases counted by their
    # list (a few hundred different lists at most), added up here per rule, not a LIKE per rule and case.
    counts = dict.fromkeys(rules.RULES, 0)
    for codes, cases in stored.order_by().values("drift_state__codes").annotate(cases=Count("pk")).values_list("drift_state__codes", "cases"):
        for code_ in codes_of(codes):
            if code_ in counts:  # as the per-rule LIKEs counted: a code no rule has any more counts nowhere
                counts[code_] += cases
    flagged = stored.filter(drift_state__flag_count__gt=0)
    if code:
        flagged = flagged.filter(drift_state__codes__contains=has_code(code))
    in_order = ("-drift_state__worst", F("drift_state__oldest_red").asc(nulls_last=True), F("drift_state__oldest").asc(nulls_last=True), "pk")

    if not own_view:
        # Page over ids (the order needs only the case and its state), then read the page's 25 cases with what they show.
        page = page_of(flagged.select_related(None).order_by(*in_order).values_list("pk", flat=True), page_number, per_page=page_size)
        by_id = overseen.in_bulk(list(page.object_list))
        cases = [by_id[case_id] for case_id in page.object_list if case_id in by_id]
        found = {}
    else:
        # The reader's own places (stored with their views) take their place among the rest by the same order.
        flagged_own = {case_id: place for case_id, place in places.items() if place[4]}
        for _worst, _red, _oldest, codes, _count in flagged_own.values():
            for code_ in codes_of(codes):
                counts[code_] += 1
        if code:
            flagged_own = {case_id: place for case_id, place in flagged_own.items() if has_code(code) in place[3]}
        keys = [
            ((-worst, oldest_red or date.max, oldest or date.max, pk), pk)
            for pk, worst, oldest_red, oldest in flagged.values_list("pk", "drift_state__worst", "drift_state__oldest_red", "drift_state__oldest")
        ]
        keys += [((-worst, oldest_red or date.max, oldest or date.max, case_id), case_id) for case_id, (worst, oldest_red, oldest, _, _) in flagged_own.items()]
        page = page_of([case_id for _, case_id in sorted(keys)], page_number, per_page=page_size)
        by_id = overseen.in_bulk(list(page.object_list))
        cases = [by_id[case_id] for case_id in page.object_list]
        found = own_view_flags(user=user, case_ids=[case.pk for case in cases if case.pk in places], today=today, keys=keys_of_views)

    flags = _stored_flags(case_ids=[case.pk for case in cases if case.pk not in found], today=today)
    flags.update({case.pk: found[case.pk] for case in cases if case.pk in found})
    flags = _without_hidden_evidence(user, flags)
    rows = [rules.QueueRow(case=case, flags=flags.get(case.pk, [])) for case in cases]
    return QueuePage(rows=rows, page=page, counts=counts, teams=teams, localities=localities, cases_checked=cases_checked)
