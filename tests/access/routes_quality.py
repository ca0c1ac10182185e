"""Access-matrix rows for quality assurance (issue 17): case audit rounds, the auditors' pages, question sets,
measures, family feedback on a case and the family's own page.

* A round's pages (no case content: case numbers and grades) are for partnership admins and strategy
  members; everyone else is refused with 403, as for the dashboard.
* The auditors' pages answer the round's auditors while it is in progress (tests/quality/builders.py):
  the police practitioner (`outsider`, who reads `world.case` only through the round's grant), the
  school's DSL and the health manager, who moderates. Everyone else, including the police officer with
  an admin grant (`granted`: outside the round) and children's social care (who see every case), gets
  404, as for a case they cannot see. The moderation page is 403 to an auditor who is not the moderator.
  The same pages before the round starts and after it closes: tests/access/test_audit_round_states.py.
* Question sets are partnership admins' (403 for anyone else).
* Feedback on a case answers as the case (404 when not visible).
* The family's page needs no account: a good link answers anyone (each cell gets its own link).
"""

from datetime import timedelta

from django.utils import timezone

from quality import services
from quality.models import AuditRound, LearningActionStatus, SampledCase
from quality.question_sets import shipped_document
from tests.quality.builders import audit_round, grade_form, moderation_form, neglect_set, parent_answers, sent_link, shipped_sets

from .matrix import ADMIN, CASE_VISIBLE, SIGNED_IN, Row, api, everyone, page

RUNNERS = frozenset({"admin", "strategy"})
AUDITORS = frozenset({"outsider", "partner_dsl", "lead_manager"})
MODERATOR = frozenset({"lead_manager"})


def round_in_progress(world):
    return {"round_id": audit_round(world).pk}


def round_in_setup(world):
    return {"round_id": audit_round(world, state="setup").pk}


def round_ready(world):
    return {"round_id": audit_round(world, state="ready").pk}


def sample_of_setup_round(world):
    audit_round_ = audit_round(world, state="setup")
    return {"round_id": audit_round_.pk, "sampled_id": audit_round_.sample.get().pk}


def auditor_of_setup_round(world):
    audit_round_ = audit_round(world, state="setup")
    return {"round_id": audit_round_.pk, "auditor_id": audit_round_.auditors.get(user=world.users["outsider"]).pk}


def sampled_case(world):
    return {"sampled_id": SampledCase.objects.get(audit_round=audit_round(world)).pk}


def _action(world):
    audit_round_ = audit_round(world)
    return services.learning_action_add(
        actor=world.users["admin"],
        audit_round=audit_round_,
        what="Briefing on fathers",
        owner_agency=world.public_health,
        owner="Head of 0-19 services",
        due_on=timezone.localdate() + timedelta(days=30),
    )


def action(world):
    return {"action_id": _action(world).pk}


def draft_set(world):
    shipped_sets()
    document = shipped_document("family_feedback_parent") | {"name": "What parents tell us (plainer)"}
    return {"set_id": services.question_set_load(document=document, actor=world.users["admin"]).pk}


def published_set(world):
    return {"set_id": neglect_set().pk}


def case_id(world):
    shipped_sets()  # feedback pages need the family sets
    return {"case_id": world.case.pk}


def family_link(world):
    return {"token": sent_link(world)[1]}


def round_form(world):
    today = timezone.localdate()
    return {
        "title": "Fathers in neglect cases",
        "theme": "How fathers are seen",
        "question_set": neglect_set().pk,
        "starts_on": today.isoformat(),
        "ends_on": (today + timedelta(days=30)).isoformat(),
    }


def _grade(world):
    return grade_form(_current_round())


def _moderate(world):
    return moderation_form(_current_round())


def _current_round():
    return AuditRound.objects.latest("pk")


def action_update_form(world):
    return {"status": LearningActionStatus.IN_PROGRESS, "progress": "Briefing written", "evidence": "", "version": 1}


RUNNER_PAGE = page(RUNNERS)
RUNNER_POST = page(RUNNERS, allowed_status=302)

ROUTES = {
    ("quality:round_list", "GET"): Row(RUNNER_PAGE),
    ("quality:round_new", "GET"): Row(RUNNER_PAGE),
    ("quality:round_new", "POST"): Row(RUNNER_POST, data=round_form),
    ("quality:round_detail", "GET"): Row(RUNNER_PAGE, kwargs=round_in_progress),
    ("quality:round_sample", "GET"): Row(RUNNER_PAGE, kwargs=round_in_setup),
    ("quality:round_sample", "POST"): Row(
        RUNNER_POST,
        kwargs=lambda world: {"round_id": audit_round(world, state="setup", cases=[]).pk},
        data=lambda world: {"size": 1, "plan": "", "threshold": "", "status": "", "opened_since": "", "lead_agency": ""},
    ),
    ("quality:round_sample_add", "POST"): Row(
        RUNNER_POST, kwargs=lambda world: {"round_id": audit_round(world, state="setup", cases=[]).pk}, data=lambda world: {"case_number": world.case.pk}
    ),
    ("quality:round_sample_remove", "POST"): Row(RUNNER_POST, kwargs=sample_of_setup_round),
    ("quality:round_auditors", "GET"): Row(RUNNER_PAGE, kwargs=round_in_setup),
    ("quality:round_auditors", "POST"): Row(RUNNER_POST, kwargs=round_in_setup, data=lambda world: {"user": world.users["csc_practitioner"].pk}),
    ("quality:round_auditor_remove", "POST"): Row(RUNNER_POST, kwargs=auditor_of_setup_round),
    ("quality:round_moderator", "POST"): Row(RUNNER_POST, kwargs=round_in_setup, data=lambda world: {"moderator": world.users["partner_dsl"].pk}),
    ("quality:round_start", "POST"): Row(RUNNER_POST, kwargs=round_ready),
    ("quality:round_close", "POST"): Row(RUNNER_POST, kwargs=round_in_progress),
    ("quality:round_report_pdf", "GET"): Row(RUNNER_PAGE, kwargs=round_in_progress),
    ("quality:learning_new", "GET"): Row(RUNNER_PAGE, kwargs=round_in_progress),
    ("quality:learning_new", "POST"): Row(
        RUNNER_POST, kwargs=round_in_progress, data=lambda world: {"text": "Fathers unseen in most cases", "question_id": "fathers"}
    ),
    ("quality:action_new", "GET"): Row(RUNNER_PAGE, kwargs=round_in_progress),
    ("quality:action_new", "POST"): Row(
        RUNNER_POST,
        kwargs=round_in_progress,
        data=lambda world: {
            "what": "Briefing on fathers",
            "owner_agency": world.csc.pk,
            "owner": "Principal social worker",
            "due_on": (timezone.localdate() + timedelta(days=30)).isoformat(),
            "learning_point": "",
        },
    ),
    ("quality:action_update", "GET"): Row(RUNNER_PAGE, kwargs=action),
    ("quality:action_update", "POST"): Row(RUNNER_POST, kwargs=action, data=action_update_form),
    # The owner is the strategy member's own agency (Public Health): both admins and they may add to its plan.
    ("quality:action_to_plan", "POST"): Row(RUNNER_POST, kwargs=action),
    ("quality:my_audits", "GET"): Row(page(SIGNED_IN)),
    ("quality:audit_case", "GET"): Row(page(AUDITORS, denied=404), kwargs=sampled_case),
    ("quality:audit_case", "POST"): Row(page(AUDITORS, allowed_status=302, denied=404), kwargs=sampled_case, data=_grade),
    ("quality:audit_moderate", "GET"): Row({**page(MODERATOR, denied=404), "outsider": 403, "partner_dsl": 403}, kwargs=sampled_case),
    ("quality:audit_moderate", "POST"): Row(
        {**page(MODERATOR, allowed_status=302, denied=404), "outsider": 403, "partner_dsl": 403}, kwargs=sampled_case, data=_moderate
    ),
    ("quality:question_set_list", "GET"): Row(page(ADMIN)),
    ("quality:question_set_load", "GET"): Row(page(ADMIN)),
    ("quality:question_set_load", "POST"): Row(
        page(ADMIN, allowed_status=302),
        data=lambda world: {
            "document": '{"key": "fathers_audit", "name": "Fathers", "kind": "case_audit", "questions": [{"id": "seen", "text": "Was the father seen?"}]}'
        },
    ),
    ("quality:question_set_detail", "GET"): Row(page(ADMIN), kwargs=published_set),
    ("quality:question_set_publish", "POST"): Row(page(ADMIN, allowed_status=302), kwargs=draft_set),
    ("quality:measures", "GET"): Row(RUNNER_PAGE),
    ("quality:case_feedback", "GET"): Row(page(CASE_VISIBLE, denied=404), kwargs=case_id),
    ("quality:feedback_record", "GET"): Row(page(CASE_VISIBLE, denied=404), kwargs=case_id),
    ("quality:feedback_record", "POST"): Row(
        page(CASE_VISIBLE, allowed_status=302, denied=404),
        kwargs=case_id,
        data=lambda world: {"respondent": "parent", "occasion": "review", **parent_answers()},
    ),
    ("quality:feedback_send", "GET"): Row(page(CASE_VISIBLE, denied=404), kwargs=case_id),
    ("quality:feedback_send", "POST"): Row(
        page(CASE_VISIBLE, allowed_status=302, denied=404),
        kwargs=case_id,
        data=lambda world: {"respondent": "parent", "occasion": "case_closure", "channel": "email", "address": "parent@example.org"},
    ),
    ("family:feedback", "GET"): Row(everyone(200), kwargs=family_link),
    ("family:feedback", "POST"): Row(everyone(302), kwargs=family_link, data=lambda world: parent_answers()),
    ("family:thanks", "GET"): Row(everyone(200)),
    ("api:audit-round-list", "GET"): Row(api(RUNNERS, denied=403)),
    ("api:audit-round-detail", "GET"): Row(api(RUNNERS, denied=403), kwargs=round_in_progress),
    ("api:case-family-feedback", "GET"): Row(api(CASE_VISIBLE), kwargs=case_id),
    ("api:quality-measures", "GET"): Row(api(RUNNERS, denied=403), kwargs=lambda world: {"quarter": "2026-27-Q2"}),
}
