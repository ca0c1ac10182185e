"""Access-matrix rows for chronologies: the merged views, the PDF, entries, import, and the API.

Everything about a child follows `world.case`: whoever can see the case reads the chronology (404
for everyone else, existence not leaked). Amending is for the recording agency only: the entry is
recorded by the lead (health) practitioner, so the other agencies that can see it get 403. Import
is open to every case-working role; which children a file may touch is the importer's own rule.
"""

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from chronologies.models import EntryKind
from chronologies.services import chronology_entry_record

from .matrix import CASE_VISIBLE, CASE_WORKERS, MEMBERS, Row, api, page

# Who may amend an entry recorded by the health agency, and who can see it but may not.
RECORDERS = frozenset({"lead_practitioner", "lead_manager"})
VISIBLE_NOT_RECORDERS = CASE_VISIBLE - RECORDERS

CONTENT = {
    "occurred_on": "2026-10-01",
    "date_precision": "day",
    "kind": "home_visit",
    "significance": "routine",
    "summary": "No heating on a home visit.",
    "impact_on_child": "Slept in a cold room.",
}


def child_id(world):
    return {"child_id": world.case.child_id}


def family_id(world):
    return {"family_id": world.case.child.family_id}


def child_pattern(world):
    return {**child_id(world), "code": "cumulative_concerns"}


def family_pattern(world):
    return {**family_id(world), "code": "cumulative_concerns"}


def health_entry(world):
    return chronology_entry_record(
        actor=world.users["lead_practitioner"],
        child=world.case.child,
        occurred_on=date(2026, 10, 1),
        kind=EntryKind.HOME_VISIT,
        summary="Home visit",
        impact_on_child="Cold house",
    )


def entry_id(world):
    return {"entry_id": health_entry(world).pk}


def entry_pk(world):
    return {"pk": health_entry(world).pk}


def amend_only(expected):
    """The agencies that can see the entry but did not record it are refused with 403."""
    return {**expected, **dict.fromkeys(VISIBLE_NOT_RECORDERS, 403)}


def csv_text(world):
    child = world.case.child
    return (
        "external_id,given_name,family_name,date_of_birth,date,kind,summary,impact_on_child\n"
        f"M1,{child.given_name},{child.family_name},{child.date_of_birth:%Y-%m-%d},2026-10-01,school_absence,Absent,Missed lessons\n"
    )


def csv_upload(world):
    return {"file": SimpleUploadedFile("entries.csv", csv_text(world).encode(), content_type="text/csv")}


ROUTES = {
    ("chronologies:child_chronology", "GET"): Row(page(CASE_VISIBLE, denied=404), kwargs=child_id),
    ("chronologies:child_chronology_pdf", "GET"): Row(page(CASE_VISIBLE, denied=404), kwargs=child_id),
    ("chronologies:family_chronology", "GET"): Row(page(CASE_VISIBLE, denied=404), kwargs=family_id),
    # A pattern's entries: read like the chronology it belongs to (the page says when the pattern is not found).
    ("chronologies:child_pattern", "GET"): Row(page(CASE_VISIBLE, denied=404), kwargs=child_pattern),
    ("chronologies:family_pattern", "GET"): Row(page(CASE_VISIBLE, denied=404), kwargs=family_pattern),
    ("chronologies:entry_create", "GET"): Row(page(CASE_VISIBLE, denied=404), kwargs=child_id),
    ("chronologies:entry_create", "POST"): Row(page(CASE_VISIBLE, allowed_status=302, denied=404), kwargs=child_id, data=lambda w: CONTENT),
    ("chronologies:entry_amend", "GET"): Row(amend_only(page(RECORDERS, denied=404)), kwargs=entry_id),
    ("chronologies:entry_amend", "POST"): Row(
        amend_only(page(RECORDERS, allowed_status=302, denied=404)), kwargs=entry_id, data=lambda w: {**CONTENT, "reason": "Wrong day"}
    ),
    ("chronologies:import_upload", "GET"): Row(page(CASE_WORKERS)),
    ("chronologies:import_upload", "POST"): Row(page(CASE_WORKERS), data=csv_upload),
    ("chronologies:import_confirm", "POST"): Row(page(CASE_WORKERS, allowed_status=302), data=lambda w: {"text": csv_text(w)}),
    ("api:chronology-entry-list", "GET"): Row(api(MEMBERS)),
    ("api:chronology-entry-list", "POST"): Row(api(CASE_VISIBLE, allowed_status=201), data=lambda w: {**CONTENT, "child": w.case.child_id}, encoding="json"),
    ("api:chronology-entry-detail", "GET"): Row(api(CASE_VISIBLE), kwargs=entry_pk),
    ("api:chronology-entry-amend", "POST"): Row(
        amend_only(api(RECORDERS, allowed_status=201)), kwargs=entry_pk, data=lambda w: {**CONTENT, "reason": "Wrong day"}, encoding="json"
    ),
    ("api:chronology-patterns", "GET"): Row(api(CASE_VISIBLE), kwargs=child_id),
}
