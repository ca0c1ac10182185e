"""Access-matrix rows for agency action plans and the partnership profile.

Strategy members and partnership admins read every plan; a strategy member edits only their own
agency's plan (here the strategy member's Public Health plan, so both may edit it: the refusal of
another agency's plan is in tests/partnership/test_views.py); only admins change the profile.
Everyone else is refused with 403: the plans name no child, so there is nothing to hide with 404.
"""

from datetime import date

from partnership.models import ActionPlan, ActionPlanRow, ActionPlanUpdate, Rag

from .matrix import ADMIN, Row, api, page

PLAN_READERS = frozenset({"strategy", "admin"})
QUARTER = "2025-26-Q3"


def _row(world):
    """The strategy member's agency's plan with one row (made once, whatever the order of the calls)."""
    plan, _ = ActionPlan.objects.get_or_create(agency=world.public_health)
    row = plan.rows.first()
    if row is None:
        author = world.users["strategy"]
        row = ActionPlanRow.objects.create(
            plan=plan,
            objective="Every practitioner uses GCP2",
            action="Train 200 staff",
            input="Two trainers",
            desired_outcome="Neglect recognised earlier",
            lead="Head of Public Health Nursing",
            timescale=date(2026, 3, 31),
            created_by=author,
            updated_by=author,
        )
        ActionPlanUpdate.objects.create(row=row, quarter=QUARTER, rag=Rag.AMBER, progress="120 trained", recorded_by=author)
    return row


def plan(world):
    return {"plan_id": _row(world).plan_id}


def row(world):
    return {"row_id": _row(world).pk}


def row_form(world):
    return {
        "objective": "Every practitioner uses GCP2",
        "action": "Train 250 staff",
        "input": "Two trainers",
        "desired_outcome": "Neglect recognised earlier",
        "lead": "Head of Public Health Nursing",
        "timescale": "2026-06-30",
        "version": _row(world).version,
    }


def new_row_form(world):
    return {**row_form(world), "quarter": QUARTER, "rag": "green", "progress": "Started"}


def update_form(world):
    return {"quarter": QUARTER, "rag": "green", "progress": "All trained", "version": _row(world).version}


def start_form(world):
    return {"agency": world.public_health.pk}


def profile_form(world):
    return {"name": "Example County Safeguarding Children Partnership", "under_18_population": "150000", "version": "1"}


ROUTES = {
    ("partnership:plan_list", "GET"): Row(page(PLAN_READERS)),
    ("partnership:plan_start", "POST"): Row(page(PLAN_READERS, allowed_status=302), data=start_form),
    ("partnership:plan_detail", "GET"): Row(page(PLAN_READERS), kwargs=plan),
    ("partnership:row_new", "GET"): Row(page(PLAN_READERS), kwargs=plan),
    ("partnership:row_new", "POST"): Row(page(PLAN_READERS, allowed_status=302), kwargs=plan, data=new_row_form),
    ("partnership:row_edit", "GET"): Row(page(PLAN_READERS), kwargs=row),
    ("partnership:row_edit", "POST"): Row(page(PLAN_READERS, allowed_status=302), kwargs=row, data=row_form),
    ("partnership:row_update", "GET"): Row(page(PLAN_READERS), kwargs=row),
    ("partnership:row_update", "POST"): Row(page(PLAN_READERS, allowed_status=302), kwargs=row, data=update_form),
    ("partnership:settings", "GET"): Row(page(ADMIN)),
    ("partnership:profile", "GET"): Row(page(ADMIN)),
    ("partnership:profile", "POST"): Row(page(ADMIN, allowed_status=302), data=profile_form),
    ("api:action-plan-list", "GET"): Row(api(PLAN_READERS, denied=403)),
    ("api:action-plan-detail", "GET"): Row(api(PLAN_READERS, denied=403), kwargs=plan),
    ("api:action-plan-row-detail", "GET"): Row(api(PLAN_READERS, denied=403), kwargs=row),
    ("api:action-plan-row-updates", "POST"): Row(api(PLAN_READERS, allowed_status=201, denied=403), kwargs=row, data=update_form, encoding="json"),
}
