"""Reads for retention: which children are due, what an approver sees, and what a deletion removes.

Not scoped by `cases_visible_to`: retention is the partnership's data-protection function
(agencies.access.can_review_retention), and what it shows is ids, initials, dates and counts only.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.apps import apps
from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import timezone

from cases.models import Case, CaseStatus, Child, Family
from conferences.models import Conference, ConferenceChild
from plans.models import Plan

from .models import Decision, Outcome, RetentionItem, ReviewStatus
from .rules import case_due_on, record_type, rules


@dataclass(frozen=True)
class DueSubject:
    child_id: int
    case_ids: list
    record_type: str
    basis: str
    due_on: date


def _due_for(child_cases, *, plan_kinds, conferenced, date_of_birth):
    """(due_on, record type) of a child from all their cases; None when any case is open."""
    latest = None
    for case in child_cases:
        kind = record_type(plan_kinds=plan_kinds.get(case.pk, set()), threshold=case.threshold, had_conference=case.pk in conferenced)
        due = case_due_on(kind=kind, closed_on=case.closed_on, date_of_birth=date_of_birth)
        if due is None:
            return None
        if latest is None or due > latest[0]:
            latest = (due, kind)
    return latest


def _held_or_listed_child_ids(now):
    """Children already on a review not yet carried out, or held back within RETENTION_HOLD_DAYS."""
    listed = (
        RetentionItem.objects.filter(outcome=Outcome.NONE)
        .exclude(decision=Decision.EXCLUDED)
        .exclude(review__status__in=[ReviewStatus.DONE, ReviewStatus.FAILED])
    )
    held = RetentionItem.objects.filter(decision=Decision.EXCLUDED, review__decided_at__gte=now - timedelta(days=settings.RETENTION_HOLD_DAYS))
    return set(listed.values_list("child_id", flat=True)) | set(held.values_list("child_id", flat=True))


def _cases_of_children_without_open_cases(child_ids=None):
    open_case = Case.objects.filter(child_id=OuterRef("child_id"), status=CaseStatus.OPEN)
    cases = Case.objects.exclude(Exists(open_case)).select_related("child").only("pk", "threshold", "closed_on", "status", "child__date_of_birth", "child_id")
    if child_ids is not None:
        cases = cases.filter(child_id__in=child_ids)
    return list(cases.order_by("child_id", "pk"))


def subjects_due(*, today: date, child_ids=None) -> list[DueSubject]:
    """Every child whose whole record is past its retention date today (all cases closed), oldest due first.

    Children already listed on a review awaiting action, or recently held back, are left out.
    """
    rules()  # a misconfiguration fails here, loudly, before anything is listed
    cases = _cases_of_children_without_open_cases(child_ids)
    case_ids = [case.pk for case in cases]
    plan_kinds = defaultdict(set)
    for case_id, kind in Plan.objects.filter(case_id__in=case_ids).values_list("case_id", "kind"):
        plan_kinds[case_id].add(kind)
    conferenced = set(ConferenceChild.objects.filter(case_id__in=case_ids).values_list("case_id", flat=True))
    by_child = defaultdict(list)
    for case in cases:
        by_child[case.child_id].append(case)
    skip = _held_or_listed_child_ids(timezone.now()) if child_ids is None else set()
    due = []
    for child_id, child_cases in by_child.items():
        if child_id in skip:
            continue
        found = _due_for(child_cases, plan_kinds=plan_kinds, conferenced=conferenced, date_of_birth=child_cases[0].child.date_of_birth)
        if found and found[0] <= today:
            due_on, kind = found
            due.append(DueSubject(child_id, [case.pk for case in child_cases], kind, rules()[kind].basis, due_on))
    return sorted(due, key=lambda subject: (subject.due_on, subject.child_id))


def subject_still_due(*, child_id: int, today: date) -> DueSubject | None:
    """The check made again just before deleting: a new case, or a changed rule, keeps the record."""
    found = subjects_due(today=today, child_ids=[child_id])
    return found[0] if found else None


def child_exists(*, child_id: int) -> bool:
    return Child.objects.filter(pk=child_id).exists()


@dataclass
class ReviewRow:
    item: RetentionItem
    initials: str


def review_rows(*, review) -> list[ReviewRow]:
    """The review's items with the child's initials while the record exists (nothing else of it)."""
    items = list(review.items.all())
    names = {
        pk: (given[:1] + family[:1]).upper()
        for pk, given, family in Child.objects.filter(pk__in=[item.child_id for item in items]).values_list("pk", "given_name", "family_name")
    }
    return [ReviewRow(item, names.get(item.child_id, "–")) for item in items]


# --- What deleting a child removes -----------------------------------------------------------------


def _referencing(model):
    """(model, field) pairs whose foreign key (or one-to-one) points at `model`, through tables included."""
    for candidate in apps.get_models(include_auto_created=True):
        for field in candidate._meta.concrete_fields:
            if field.is_relation and field.related_model is model and (field.many_to_one or field.one_to_one):
                yield candidate, field


def _close_over(plan, roots):
    """Add to `plan` every row that references a row in it, transitively (breadth first)."""
    queue = list(roots)
    while queue:
        model = queue.pop(0)
        ids = plan[model]
        for candidate, field in _referencing(model):
            found = set(candidate._base_manager.filter(**{f"{field.attname}__in": ids}).values_list("pk", flat=True)) - plan[candidate]
            if found:
                plan[candidate] |= found
                queue.append(candidate)


def deletion_plan(*, child_id: int) -> dict:
    """Model -> ids of every row a child's deletion removes.

    The foreign keys decide: a row that references the child, or a row already in the plan, is part of
    the child's record (cases, concerns and amendments, plans and actions, referrals, oversight, the
    child's voice, chronology entries, tool runs, conference links, sharing decisions, team rows and
    grants, subject access requests...). A new model with a foreign key to any of them is covered
    without a change here. Then: a conference left with no child is removed with its invitations;
    the household and its adults go when no other child is left in it. The audit log has no foreign
    keys and is never reached.
    """
    plan = defaultdict(set)
    plan[Child] = {child_id}
    _close_over(plan, [Child])
    conference_ids = set(ConferenceChild.objects.filter(pk__in=plan[ConferenceChild]).values_list("conference_id", flat=True))
    orphaned = set(
        Conference.objects.filter(pk__in=conference_ids)
        .exclude(Exists(ConferenceChild.objects.filter(conference_id=OuterRef("pk")).exclude(pk__in=plan[ConferenceChild])))
        .values_list("pk", flat=True)
    )
    if orphaned:
        plan[Conference] |= orphaned
        _close_over(plan, [Conference])
    family_id = Child.objects.filter(pk=child_id).values_list("family_id", flat=True).first()
    if family_id and not Child.objects.filter(family_id=family_id).exclude(pk__in=plan[Child]).exists():
        plan[Family] = {family_id}
        _close_over(plan, [Family])
    return {model: ids for model, ids in plan.items() if ids}
