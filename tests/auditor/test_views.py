import csv
import io

from django.urls import reverse

from audit.models import AccessEvent, AuditAction
from audit.services import audit_record


def _content(response):
    return b"".join(response.streaming_content).decode()


def test_auditor_finds_who_viewed_a_child(world, client_for):
    case = world.case
    client_for(world.users["partner_practitioner"]).get(reverse("cases:case_detail", args=[case.pk]))
    response = client_for(world.users["auditor"]).get(reverse("audit:event_list"), {"child_id": case.child_id, "action": "view"})
    assert response.status_code == 200
    events = list(response.context["page"])
    assert [e.username for e in events] == ["partner_practitioner"]


def test_search_by_user_and_agency(world, client_for):
    audit_record(user=world.users["outsider"], action=AuditAction.VIEW, object_type="case_list")
    audit_record(user=world.users["lead_manager"], action=AuditAction.VIEW, object_type="case_list")
    client = client_for(world.users["auditor"])
    by_user = client.get(reverse("audit:event_list"), {"username": "outsider"}).context["page"]
    by_agency = client.get(reverse("audit:event_list"), {"agency": world.health.pk, "action": "view"}).context["page"]
    assert {e.username for e in by_user} == {"outsider"}
    assert {e.username for e in by_agency} == {"lead_manager"}


def test_bad_date_range_is_explained_and_kept(world, client_for):
    response = client_for(world.users["auditor"]).get(reverse("audit:event_list"), {"date_from": "2026-05-02", "date_to": "2026-05-01"})
    assert "To date must be the same as or after the from date." in response.content.decode()
    assert 'name="date_from_day" type="text" inputmode="numeric" value="2"' in response.content.decode()


def test_csv_export_is_itself_audited_and_defuses_formulas(world, client_for):
    audit_record(user=None, action=AuditAction.LOGIN_FAILED, username='=HYPERLINK("x")')
    before = AccessEvent.objects.filter(action=AuditAction.EXPORT).count()
    response = client_for(world.users["auditor"]).get(reverse("audit:event_export"), {"action": "login_failed"})
    rows = list(csv.reader(io.StringIO(_content(response))))
    assert rows[0][:5] == ["at", "username", "agency_name", "role", "action"]
    assert rows[1][1].startswith("'=HYPERLINK")
    assert AccessEvent.objects.filter(action=AuditAction.EXPORT, username="auditor").count() == before + 1


def test_the_export_row_records_the_dates_typed_in_the_three_boxes(world, client_for):
    query = {
        "action": "login_failed",
        "date_from_day": "2",
        "date_from_month": "5",
        "date_from_year": "2026",
        "date_to_day": "",
        "date_to_month": "",
        "date_to_year": "",
    }
    response = client_for(world.users["auditor"]).get(reverse("audit:event_export"), query)
    assert response.status_code == 200
    row = AccessEvent.objects.filter(action=AuditAction.EXPORT, username="auditor").latest("pk")
    assert row.detail == "filters: action=login_failed&date_from=2026-05-02"


def test_the_audit_pages_answer_only_reads(world, client_for):
    """A POST (or any other write method) to the access log's pages is refused with 405, before any access check."""
    client = client_for(world.users["auditor"])
    for name in ("audit:event_list", "audit:event_export"):
        assert client.get(reverse(name)).status_code == 200
        before = AccessEvent.objects.count()
        assert client.post(reverse(name), {"username": "x"}).status_code == 405
        assert client.delete(reverse(name)).status_code == 405
        assert client.put(reverse(name)).status_code == 405
        assert AccessEvent.objects.count() == before  # refused before the access check: nothing served, nothing logged
    assert client.head(reverse("audit:event_list")).status_code == 200
