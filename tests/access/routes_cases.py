"""Access-matrix rows for case work pages (issue 3)."""

from datetime import date

from concerns.services import concern_record
from plans.models import CPCategory, PlanKind
from plans.services import plan_action_add, plan_start
from tests.factories import SHARING

from .matrix import CASE_LEAD_OVERSEERS, CASE_OVERSEERS, CASE_VISIBLE, CASE_WORKERS, Row, api, page

LEADS = frozenset({"lead_practitioner", "lead_manager", "csc_practitioner", "csc_manager"})
HEALTH_AGENCY = frozenset({"lead_practitioner", "lead_manager"})
SCHOOL = frozenset({"partner_practitioner", "partner_dsl"})
VISIBLE_OVERSEERS = CASE_OVERSEERS & CASE_VISIBLE
# Issue 22 finding 2: the school's DSL sees the case but neither oversees it nor changes its lead (403).
LEAD_OVERSEERS = CASE_LEAD_OVERSEERS


def visible_only(allowed):
    """Visible-but-not-allowed users get 403; users who cannot see the case get 404."""
    statuses = page(allowed, denied=404)
    return {kind: 403 if kind in CASE_VISIBLE - allowed and status == 404 else status for kind, status in statuses.items()}


def case_id(world):
    return {"case_id": world.case.pk}


def family_id(world):
    return {"family_id": world.case.child.family_id}


def _plan(world):
    plan = world.case.plans.filter(ended_on__isnull=True).first()
    return plan or plan_start(
        actor=world.users["csc_manager"], case=world.case, kind=PlanKind.CHILD_PROTECTION, cp_category=CPCategory.NEGLECT, started_on=date(2026, 2, 1)
    )


def plan_ids(world):
    return {"case_id": world.case.pk, "plan_id": _plan(world).pk}


def action_ids(world):
    action = plan_action_add(
        actor=world.users["csc_manager"],
        plan=_plan(world),
        what="Daily breakfast club",
        outcome_for_child="Eats before lessons",
        owner_agency=world.school,
        due_on=date(2026, 12, 1),
    )
    return {"case_id": world.case.pk, "action_id": action.pk}


def concern_ids(world):
    concern = concern_record(
        actor=world.users["lead_practitioner"],
        case=world.case,
        observed_on=date(2026, 3, 1),
        neglect_types=["physical"],
        description="Head lice again",
        impact_on_child="Teased at nursery",
        sharing=SHARING,
    )
    return {"case_id": world.case.pk, "concern_id": concern.pk}


def action_pk(world):
    ids = action_ids(world)
    return {"pk": ids["case_id"], "action_id": ids["action_id"]}


def _visible_api(allowed):
    """API twin of `visible_only`: 403 for those who see the case but may not act, 404 for the rest."""
    return {kind: 403 if kind in CASE_VISIBLE - allowed and status == 404 else status for kind, status in api(allowed).items()}


def case_pk(world):
    return {"pk": world.case.pk}


SHARING_FIELDS = {
    "sharing_reason": "The school needs to know she is hungry",
    "lawful_basis": "public_task",
    "sharing_condition": "safeguarding",
    "family_informed": "yes",
}
NEW_CHILD = {"given_name": "Mia", "family_name": "Stone", "date_of_birth": "2019-04-02"}


def concern_on_world_child(world):
    return {
        "child": world.case.child_id,
        "observed_on": "2026-03-01",
        "neglect_types": ["nutritional"],
        "description": "Came to school hungry",
        "impact_on_child": "Cannot concentrate in lessons",
        **SHARING_FIELDS,
    }


ROUTES = {
    ("api:case-plans", "GET"): Row(api(CASE_VISIBLE), kwargs=case_pk),
    ("api:case-oversight", "GET"): Row(api(CASE_VISIBLE), kwargs=case_pk),
    ("api:case-voice", "GET"): Row(api(CASE_VISIBLE), kwargs=case_pk),
    ("api:case-concerns", "GET"): Row(api(CASE_VISIBLE), kwargs=case_pk),
    ("api:case-sharing-decisions", "GET"): Row(api(CASE_VISIBLE), kwargs=case_pk),
    ("api:case-action", "GET"): Row(api(CASE_VISIBLE), kwargs=action_pk),
    # The owner agency (the school) reports progress, and the leads; the grantee sees but may not write.
    ("api:case-action", "PATCH"): Row(_visible_api(LEADS | SCHOOL), kwargs=action_pk, data=lambda w: {"version": 1, "status": "in_progress"}, encoding="json"),
    ("api:child-detail", "GET"): Row(api(CASE_VISIBLE), kwargs=lambda w: {"pk": w.case.child_id}),
    ("api:child-list", "POST"): Row(api(CASE_WORKERS, allowed_status=201, denied=403), data=lambda w: NEW_CHILD, encoding="json"),
    ("api:concern-list", "POST"): Row(api(CASE_VISIBLE, allowed_status=201), data=concern_on_world_child, encoding="json"),
    ("cases:find_child", "GET"): Row(page(CASE_WORKERS)),
    # The identifiers go in a POST body, never the URL (issue 22, hardening); results come back on the POST.
    ("cases:find_child", "POST"): Row(
        page(CASE_WORKERS),
        data=lambda w: {
            "given_name": w.case.child.given_name,
            "family_name": w.case.child.family_name,
            "date_of_birth": w.case.child.date_of_birth.isoformat(),
        },
    ),
    ("cases:concern_new", "GET"): Row(page(CASE_WORKERS)),
    ("cases:concern_new", "POST"): Row(page(CASE_WORKERS)),
    ("cases:manager_cases", "GET"): Row(page(CASE_OVERSEERS | {"csc_manager"})),
    ("cases:case_concern_new", "GET"): Row(page(CASE_VISIBLE, denied=404), kwargs=case_id),
    ("cases:case_concern_new", "POST"): Row(page(CASE_VISIBLE, denied=404), kwargs=case_id),
    ("cases:concern_amend", "GET"): Row(visible_only(HEALTH_AGENCY), kwargs=concern_ids),
    ("cases:concern_amend", "POST"): Row(visible_only(HEALTH_AGENCY), kwargs=concern_ids),
    ("cases:plan_new", "GET"): Row(visible_only(LEADS), kwargs=case_id),
    ("cases:plan_new", "POST"): Row(visible_only(LEADS), kwargs=case_id),
    ("cases:plan_end", "GET"): Row(visible_only(LEADS), kwargs=plan_ids),
    ("cases:plan_end", "POST"): Row(visible_only(LEADS), kwargs=plan_ids),
    ("cases:action_new", "GET"): Row(visible_only(LEADS), kwargs=plan_ids),
    ("cases:action_new", "POST"): Row(visible_only(LEADS), kwargs=plan_ids),
    ("cases:action_update", "GET"): Row(visible_only(LEADS | SCHOOL), kwargs=action_ids),
    ("cases:action_update", "POST"): Row(visible_only(LEADS | SCHOOL), kwargs=action_ids),
    ("cases:referral_new", "GET"): Row(page(CASE_VISIBLE, denied=404), kwargs=case_id),
    ("cases:referral_new", "POST"): Row(page(CASE_VISIBLE, denied=404), kwargs=case_id),
    ("cases:oversight_new", "GET"): Row(visible_only(LEAD_OVERSEERS), kwargs=case_id),
    ("cases:oversight_new", "POST"): Row(visible_only(LEAD_OVERSEERS), kwargs=case_id),
    ("cases:voice_new", "GET"): Row(page(CASE_VISIBLE, denied=404), kwargs=case_id),
    ("cases:voice_new", "POST"): Row(page(CASE_VISIBLE, denied=404), kwargs=case_id),
    ("cases:reassign_lead", "GET"): Row(visible_only(LEAD_OVERSEERS), kwargs=case_id),
    ("cases:reassign_lead", "POST"): Row(visible_only(LEAD_OVERSEERS), kwargs=case_id),
    ("households:family_detail", "GET"): Row(page(CASE_VISIBLE, denied=404), kwargs=family_id),
    ("households:adult_new", "GET"): Row(page(CASE_VISIBLE, denied=404), kwargs=family_id),
    ("households:adult_new", "POST"): Row(page(CASE_VISIBLE, denied=404), kwargs=family_id),
}
