"""Access-matrix rows for assessment tools: definitions (partnership admins), runs and progress (case workers).

Run pages act on a draft that the lead practitioner started on `world.case`; the finalise rows use
a draft with every answer in, so an allowed POST really finalises. Admins manage definitions but
never see a run (their role has no case content), so run pages answer them 404 like anyone else
who cannot see the case.
"""

import json

from tests.tools.builders import PRESENT, all_grades, draft_run, final_run, published, shipped_document
from tools.services import definition_new_version

from .matrix import ADMIN, CASE_VISIBLE, CASE_WORKERS, MEMBERS, Row, api, page

RUN_PAGE = page(CASE_VISIBLE, denied=404)
RUN_POST = page(CASE_VISIBLE, allowed_status=302, denied=404)
ADMIN_POST = page(ADMIN, allowed_status=302)


def case_id(world):
    return {"case_id": world.case.pk}


def child_id(world):
    return {"child_id": world.case.child_id}


def published_gcp2(world):
    return {"definition_id": published("gcp2").pk}


def draft_definition(world):
    return {"definition_id": definition_new_version(definition=published("eha"), actor=world.users["admin"]).pk}


def draft(world):
    return draft_run(world.case, world.users["lead_practitioner"], complete_details=False)


def run_id(world):
    return {"run_id": draft(world).pk}


def run_pk(world):
    return {"pk": draft(world).pk}


def complete_run_id(world):
    return {"run_id": draft_run(world.case, world.users["lead_practitioner"], values=all_grades(2)).pk}


def complete_run_pk(world):
    return {"pk": draft_run(world.case, world.users["lead_practitioner"], values=all_grades(2)).pk}


def final_run_id(world):
    return {"run_id": final_run(world.case, world.users["lead_practitioner"], values=all_grades(2)).pk}


def safety_area(world):
    return {**run_id(world), "area_id": "safety"}


def safety_answers(world):
    return {
        "value-safety_in_presence": "2",
        "evidence-safety_in_presence": "Stair gate fitted",
        "value-safety_in_absence": "3",
        "evidence-safety_in_absence": "",
    }


def new_tool(world):
    document = shipped_document("eha") | {"key": "local_eha", "name": "Local Early Help Assessment"}
    return {"document": json.dumps(document)}


ROUTES = {
    # Definitions: partnership admins only (403 for every other signed-in user).
    ("tools:definition_list", "GET"): Row(page(ADMIN)),
    ("tools:definition_load", "GET"): Row(page(ADMIN)),
    ("tools:definition_load", "POST"): Row(ADMIN_POST, data=new_tool),
    ("tools:definition_detail", "GET"): Row(page(ADMIN), kwargs=published_gcp2),
    ("tools:definition_edit", "GET"): Row(page(ADMIN), kwargs=draft_definition),
    ("tools:definition_edit", "POST"): Row(ADMIN_POST, kwargs=draft_definition, data=lambda w: {"document": json.dumps(shipped_document("eha"))}),
    ("tools:definition_publish", "POST"): Row(ADMIN_POST, kwargs=draft_definition),
    ("tools:definition_retire", "POST"): Row(ADMIN_POST, kwargs=published_gcp2),
    ("tools:definition_new_version", "POST"): Row(ADMIN_POST, kwargs=published_gcp2),
    # Runs and progress: whoever can see the case (404 for everyone else, existence not leaked).
    ("tools:case_runs", "GET"): Row(RUN_PAGE, kwargs=case_id),
    ("tools:run_start", "GET"): Row(RUN_PAGE, kwargs=case_id),
    ("tools:run_start", "POST"): Row(RUN_POST, kwargs=case_id, data=lambda w: {"definition": published("gcp2").pk}),
    ("tools:run_detail", "GET"): Row(RUN_PAGE, kwargs=run_id),
    ("tools:run_details", "GET"): Row(RUN_PAGE, kwargs=run_id),
    ("tools:run_details", "POST"): Row(
        RUN_POST, kwargs=run_id, data=lambda w: {"assessed_on": "2026-03-02", "age_band": "age_5_to_10", "people_present": PRESENT}
    ),
    ("tools:run_area", "GET"): Row(RUN_PAGE, kwargs=safety_area),
    ("tools:run_area", "POST"): Row(RUN_POST, kwargs=safety_area, data=safety_answers),
    ("tools:run_voice", "GET"): Row(RUN_PAGE, kwargs=run_id),
    ("tools:run_voice", "POST"): Row(RUN_POST, kwargs=run_id, data=lambda w: {"child_voice": "Drew her family with the dog in the middle."}),
    ("tools:run_finalise", "GET"): Row(RUN_PAGE, kwargs=complete_run_id),
    ("tools:run_finalise", "POST"): Row(RUN_POST, kwargs=complete_run_id),
    ("tools:child_progress", "GET"): Row(RUN_PAGE, kwargs=child_id),
    # The printed assessment: whoever can see the case; the export writes its own audit row.
    ("tools:run_pdf", "GET"): Row(RUN_PAGE, kwargs=final_run_id),
    # A tool's page holds no case content: case workers (published versions) and admins (every version).
    ("tools:tool_about", "GET"): Row(page(CASE_WORKERS | ADMIN, denied=404), kwargs=published_gcp2),
    # API: definitions hold no case content (case workers and admins read them); runs follow the case.
    ("api:tool-definition-list", "GET"): Row(api(MEMBERS)),
    ("api:tool-definition-detail", "GET"): Row(api(CASE_WORKERS | ADMIN), kwargs=lambda w: {"pk": published("gcp2").pk}),
    ("api:tool-run-list", "GET"): Row(api(MEMBERS)),
    ("api:tool-run-list", "POST"): Row(
        api(CASE_VISIBLE, allowed_status=201), data=lambda w: {"case": w.case.pk, "definition": published("gcp2").pk}, encoding="json"
    ),
    ("api:tool-run-detail", "GET"): Row(api(CASE_VISIBLE), kwargs=run_pk),
    ("api:tool-run-detail", "PATCH"): Row(api(CASE_VISIBLE), kwargs=run_pk, data=lambda w: {"people_present": PRESENT}, encoding="json"),
    ("api:tool-run-finalise", "POST"): Row(api(CASE_VISIBLE), kwargs=complete_run_pk, encoding="json"),
    ("api:tool-progress", "GET"): Row(api(CASE_VISIBLE), kwargs=child_id),
}
