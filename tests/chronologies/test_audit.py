"""Every chronology page, PDF and API route writes exactly one audit row: one per read, export or change."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AccessEvent, AuditAction

from .builders import make_entry

pytestmark = pytest.mark.django_db

CONTENT = {
    "occurred_on": "2026-10-01",
    "date_precision": "day",
    "kind": "home_visit",
    "significance": "routine",
    "summary": "No heating.",
    "impact_on_child": "Cold at night.",
}


def csv_file(world):
    child = world.case.child
    text = f"external_id,given_name,family_name,date_of_birth,date,kind,summary,impact_on_child\nA1,{child.given_name},{child.family_name},2015-06-01,2026-10-01,other,Seen,Fine\n"
    return SimpleUploadedFile("entries.csv", text.encode(), content_type="text/csv")


# (route, method, kwargs from (world, entry), data from world, encoding, the audit action written)
ROUTES = [
    ("chronologies:child_chronology", "GET", lambda w, e: {"child_id": w.case.child_id}, None, "form", AuditAction.VIEW),
    ("chronologies:family_chronology", "GET", lambda w, e: {"family_id": w.case.child.family_id}, None, "form", AuditAction.VIEW),
    ("chronologies:child_chronology_pdf", "GET", lambda w, e: {"child_id": w.case.child_id}, None, "form", AuditAction.EXPORT),
    ("chronologies:entry_create", "GET", lambda w, e: {"child_id": w.case.child_id}, None, "form", AuditAction.VIEW),
    ("chronologies:entry_create", "POST", lambda w, e: {"child_id": w.case.child_id}, lambda w: CONTENT, "form", AuditAction.CREATE),
    ("chronologies:entry_amend", "GET", lambda w, e: {"entry_id": e.pk}, None, "form", AuditAction.VIEW),
    ("chronologies:entry_amend", "POST", lambda w, e: {"entry_id": e.pk}, lambda w: {**CONTENT, "reason": "Date"}, "form", AuditAction.CREATE),
    ("chronologies:import_upload", "POST", lambda w, e: {}, lambda w: {"file": csv_file(w)}, "form", AuditAction.VIEW),
    ("api:chronology-entry-list", "GET", lambda w, e: {}, None, "form", AuditAction.VIEW),
    ("api:chronology-entry-list", "POST", lambda w, e: {}, lambda w: {**CONTENT, "child": w.case.child_id}, "json", AuditAction.CREATE),
    ("api:chronology-entry-detail", "GET", lambda w, e: {"pk": e.pk}, None, "form", AuditAction.VIEW),
    ("api:chronology-entry-amend", "POST", lambda w, e: {"pk": e.pk}, lambda w: {**CONTENT, "reason": "Date"}, "json", AuditAction.CREATE),
    ("api:chronology-patterns", "GET", lambda w, e: {"child_id": w.case.child_id}, None, "form", AuditAction.VIEW),
]


@pytest.mark.parametrize(("name", "method", "kwargs", "data", "encoding", "action"), ROUTES, ids=[f"{r[0]}-{r[1]}" for r in ROUTES])
def test_one_audit_row_per_request(world, client_for, name, method, kwargs, data, encoding, action):
    entry = make_entry(world.case.child, world.users["lead_practitioner"])
    client = client_for(world.users["lead_practitioner"])
    url = reverse(name, kwargs=kwargs(world, entry))
    before = AccessEvent.objects.count()
    if method == "GET":
        response = client.get(url)
    elif encoding == "json":
        response = client.post(url, json.dumps(data(world)), content_type="application/json")
    else:
        response = client.post(url, data(world))
    assert response.status_code in (200, 201, 302)
    assert AccessEvent.objects.count() == before + 1
    assert AccessEvent.objects.first().action == action
