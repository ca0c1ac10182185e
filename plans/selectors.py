"""Reads of plans and their actions. Every function takes `user=` (or a case the access layer returned)
and starts from the access layer's scoped querysets, like every selector (cases/selectors.py).

The case page shows a case's plans with their actions in a fixed number of queries, whatever their
number; the home page lists the actions due for the user's agency. Both pages belong to case work
and reach these through the hooks registered in `plans/apps.py`.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Prefetch

from agencies import access
from agencies.access import case_visible, membership_of
from cases.home_page import Listed
from cases.models import Case

from .history import is_repeat_plan
from .models import Plan, PlanAction

ACTIONS_DUE_WITHIN = timedelta(days=14)
ACTIONS_DUE_ON_THE_HOME_PAGE = 20


def plans_with_repeat_flag(*, user, case: Case | None = None):
    """Plans the user may see (of one case, if given), newest first, each annotated `is_repeat`.

    The rule is `plans.history.is_repeat_plan`: the same child had a plan of the same kind and
    category that started on an earlier day. The earlier plan is looked for among all of the
    child's plans, not only those the user may see: the flag says that one exists, never which or
    where, and a repeat plan is exactly the pattern the partnership must not miss (docs/domain.md,
    "Drift and delay").
    """
    plans = Plan.objects.filter(case_visible(user))
    if case is not None:
        plans = plans.filter(case=case)
    return plans.annotate(is_repeat=is_repeat_plan()).order_by("-started_on", "-pk")


def plans_of_case(*, user, case: Case, today: date) -> list[Plan]:
    """The case's plans newest first, each with `is_repeat` and its actions (`plan.actions.all()`), each with `overdue` as of `today`.

    `case` is one the caller obtained from the access layer; the plans are read through
    `plans_with_repeat_flag`, which starts from the scoped condition again.
    """
    actions = PlanAction.objects.select_related("owner_agency").with_overdue_flag(today).order_by("due_on", "pk")
    return list(plans_with_repeat_flag(user=user, case=case).prefetch_related(Prefetch("actions", queryset=actions)))


@dataclass(frozen=True)
class CasePlans:
    """The case page's plans (`plans_of_case`) and the ids of the actions whose progress the user may update."""

    plans: list[Plan]
    updatable_action_ids: set[int]


def plans_for_case_page(*, user, case: Case, today: date) -> CasePlans:
    """The case page's "Plans and actions" (registered in `plans/apps.py`).

    An action links to its progress form only for the agency that owns it and the case's lead
    (`access.can_update_action`, which `action_update` enforces too).
    """
    plans = plans_of_case(user=user, case=case, today=today)
    ids = set()
    for plan in plans:
        plan.case = case  # the case is already loaded: no query per plan
        ids.update(action.pk for action in plan.actions.all() if access.can_update_action(user, action))
    return CasePlans(plans=plans, updatable_action_ids=ids)


def actions_due(*, user, today: date):
    """Unfinished actions owned by the user's agency on open plans, overdue or due within 14 days.

    Soonest first, each annotated `overdue`.
    """
    membership = membership_of(user)
    if membership is None:
        return PlanAction.objects.none()
    return (
        PlanAction.objects.unfinished()
        .filter(
            case_visible(user, "plan__case_id"),
            owner_agency_id=membership.agency_id,
            plan__ended_on__isnull=True,
            due_on__lte=today + ACTIONS_DUE_WITHIN,
        )
        .with_overdue_flag(today)
        .select_related("plan__case__child", "owner_agency")
        .order_by("due_on", "pk")
    )


def actions_due_for_home_page(*, user, today: date) -> Listed:
    """The home page's "Actions due for your agency" (registered in `plans/apps.py`), and the children they name."""
    rows = list(actions_due(user=user, today=today)[:ACTIONS_DUE_ON_THE_HOME_PAGE])
    return Listed(rows=rows, child_ids=[action.plan.case.child_id for action in rows])


# --- Records on a case (the case itself already came through the access layer) -----------------


def plan_on_case(*, case: Case, plan_id: int) -> Plan | None:
    """One of the case's plans; None when the id belongs to another case (the view answers 404)."""
    return case.plans.filter(pk=plan_id).first()


def plan_action_on_case(*, case: Case, action_id: int) -> PlanAction | None:
    return PlanAction.objects.select_related("plan", "owner_agency").filter(plan__case=case, pk=action_id).first()
