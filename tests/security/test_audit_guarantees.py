"""Issue 10's audit and session checklist items not covered elsewhere.

- A superuser flag reaches no child data in pages or the API, and each attempt is logged.
- Exactly one audit row per PDF, per CSV export and per denial.
- Control characters (and bidirectional overrides) in every logged request value are neutralised.
"""

import pytest
from django.test import Client
from django.urls import reverse

from agencies.tokens import token_issue
from audit.models import AccessEvent, AuditAction


def _new_events(before):
    return list(AccessEvent.objects.filter(pk__gt=before).order_by("pk"))


def _last_pk():
    return AccessEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _token_client(user):
    return Client(HTTP_AUTHORIZATION=f"Token {token_issue(user=user)[1]}")


@pytest.mark.parametrize("page", ["case", "chronology", "chronology_pdf"])
def test_superuser_gets_no_child_page_and_the_attempt_is_logged_once(world, client_for, page):
    urls = {
        "case": reverse("cases:case_detail", args=[world.case.pk]),
        "chronology": reverse("chronologies:child_chronology", args=[world.case.child_id]),
        "chronology_pdf": reverse("chronologies:child_chronology_pdf", args=[world.case.child_id]),
    }
    client = client_for(world.users["superuser"])  # signing in is itself logged: count after it
    before = _last_pk()
    response = client.get(urls[page])
    assert response.status_code == 404
    events = _new_events(before)
    assert [(event.action, event.username) for event in events] == [(AuditAction.DENIED, "superuser")]


@pytest.mark.parametrize("name", ["api:case-list", "api:case-detail", "api:chronology-entry-list"])
def test_superuser_gets_no_child_data_from_the_api_and_the_attempt_is_logged_once(world, name):
    url = reverse(name, args=[world.case.pk]) if name.endswith("detail") else reverse(name)
    client = _token_client(world.users["superuser"])
    before = _last_pk()
    response = client.get(url)
    assert response.status_code == 403
    assert str(world.case.child.family_name) not in response.content.decode()
    events = _new_events(before)
    assert [(event.action, event.username, event.path) for event in events] == [(AuditAction.DENIED, "superuser", url)]


def test_a_chronology_pdf_writes_exactly_one_export_row(world, client_for):
    client = client_for(world.users["lead_practitioner"])
    before = _last_pk()
    response = client.get(reverse("chronologies:child_chronology_pdf", args=[world.case.child_id]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    events = _new_events(before)
    assert [(event.action, event.child_id) for event in events] == [(AuditAction.EXPORT, world.case.child_id)]


def test_an_audit_csv_export_writes_exactly_one_export_row(world, client_for):
    client = client_for(world.users["auditor"])
    before = _last_pk()
    response = client.get(reverse("audit:event_export"))
    assert response.status_code == 200
    assert [(event.action, event.object_type) for event in _new_events(before)] == [(AuditAction.EXPORT, "audit_log")]


@pytest.mark.parametrize("via", ["page", "api"])
def test_a_denial_writes_exactly_one_row(world, client_for, via):
    outsider = world.users["outsider"]
    client = client_for(outsider) if via == "page" else _token_client(outsider)
    before = _last_pk()
    response = client.get(reverse("cases:case_detail" if via == "page" else "api:case-detail", args=[world.case.pk]))
    assert response.status_code == 404
    assert [(event.action, event.object_id) for event in _new_events(before)] == [(AuditAction.DENIED, str(world.case.pk))]


def test_control_characters_in_every_logged_request_value_are_neutralised(world, client_for):
    client = client_for(world.users["lead_practitioner"])
    before = _last_pk()
    client.get(
        reverse("cases:case_detail", args=[world.case.pk]) + "?note=%0D%0AFAKE%20LINE%1B%5B31m%E2%80%AEtxt.exe",
        HTTP_USER_AGENT="agent\r\n2026-11-24 FAKE ENTRY\x1b[0m\u2028\u202e",
    )
    (event,) = _new_events(before)
    assert event.user_agent == "agent??2026-11-24 FAKE ENTRY?[0m??"
    assert "\r" not in event.path and "\n" not in event.path and "\x1b" not in event.path
    assert not any(
        ord(ch) < 32 or 0x7F <= ord(ch) <= 0x9F or ch in "\u2028\u2029\u202e" for field in (event.path, event.user_agent, event.detail) for ch in field
    )
