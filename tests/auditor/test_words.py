"""The audit log in words: roles and record types by name, "System" for jobs (issue 20, item 6)."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from audit.models import AuditAction
from audit.services import audit_record
from auditor import words


@pytest.mark.parametrize(
    ("code", "name"),
    [("dsl", "Designated safeguarding lead"), ("partnership_admin", "Partnership admin"), ("", "")],
)
def test_roles_by_name(code, name):
    assert words.role_name(code) == name


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("case", "Case"),
        ("case_list", "List of cases"),
        ("sharing_decision", "Information-sharing decision"),
        ("chronology_entry_list", "List of chronology entries"),
        ("concern_amendment", "Concern amendment"),
        ("child_listed", "Child shown in a list"),
        ("something_new", "Something new"),
    ],
)
def test_record_types_by_name(code, name):
    assert words.record_type_name(code) == name


def test_the_log_page_names_roles_record_types_and_system_jobs(world, client_for):
    audit_record(user=world.users["partner_dsl"], action=AuditAction.VIEW, object_type="sharing_decision", object_id="7")
    audit_record(user=None, action=AuditAction.UPDATE, object_type="retention_scan", detail="weekly scan")
    request = RequestFactory().get("/login/")
    audit_record(user=None, action=AuditAction.LOGIN_FAILED, object_type="session", request=request)
    html = client_for(world.users["auditor"]).get(reverse("audit:event_list")).content.decode()
    assert "Riverside School (Designated safeguarding lead)" in html
    assert "Information-sharing decision 7" in html
    assert "System (a scheduled or background job)" in html
    assert "Not signed in" in html
    assert "anonymous" not in html
    assert "(dsl)" not in html
