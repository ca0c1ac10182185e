"""Recording a request, its status page and its downloads: partnership admins only, every read audited once."""

import json
import shutil
import subprocess
from datetime import date

import pytest
from django.urls import reverse

from audit.models import AccessEvent, AuditAction
from subject_access.models import RequestStatus, SubjectAccessRequest
from tests.conftest import require_or_skip

from .conftest import POLICE_SECRET

pytestmark = pytest.mark.django_db

LIST = reverse("subject_access:list")


def _form(child, **overrides):
    data = {
        "subject_kind": "child",
        "given_name": child.given_name,
        "family_name": child.family_name,
        "date_of_birth": child.date_of_birth.isoformat(),
        "requester_name": "Dana Moss",
        "requester_relationship": "Mother with parental responsibility",
        "requester_contact": "dana@example.org",
        "received_on": "2026-11-20",
        "identity_checked": "on",
    }
    return {**data, **overrides}


@pytest.fixture
def done_request(world, record, client_for, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.users["admin"]).post(LIST, _form(record.child))
    assert response.status_code == 302
    return SubjectAccessRequest.objects.get()


def test_an_admin_records_a_request_and_the_job_makes_the_export(done_request, record):
    assert (done_request.status, done_request.progress, done_request.child_id) == (RequestStatus.DONE, 100, record.child.pk)
    assert done_request.due_on == date(2026, 12, 21)  # 20 December 2026 is a Sunday
    document = json.loads(bytes(done_request.export_json))
    assert document["summary"]["redaction_review_items"] == done_request.redaction_count > 0


def test_recording_a_request_writes_one_create_row_naming_the_child(world, record, client_for, django_capture_on_commit_callbacks):
    client = client_for(world.users["admin"])
    before = AccessEvent.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(LIST, _form(record.child))
    rows = list(AccessEvent.objects.order_by("-id")[: AccessEvent.objects.count() - before])
    assert [(row.action, row.object_type, row.child_id) for row in rows] == [(AuditAction.CREATE, "subject_access_request", record.child.pk)]


def test_an_unknown_child_redisplays_the_form_with_the_text_kept(world, record, client_for):
    response = client_for(world.users["admin"]).post(LIST, _form(record.child, given_name="Nobody"))
    assert response.status_code == 400
    assert b"No child matches these identifiers" in response.content
    assert b'value="Dana Moss"' in response.content
    assert not SubjectAccessRequest.objects.exists()


def test_a_future_date_received_is_refused(world, record, client_for):
    response = client_for(world.users["admin"]).post(LIST, _form(record.child, received_on="2099-01-01"))
    assert response.status_code == 400 and b"The date received must be today or in the past" in response.content


def test_the_status_page_read_is_audited_once_with_the_child(world, done_request, client_for):
    client = client_for(world.users["admin"])
    before = AccessEvent.objects.count()
    response = client.get(reverse("subject_access:detail", args=[done_request.pk]))
    assert response.status_code == 200 and b"Download PDF" in response.content
    assert AccessEvent.objects.count() == before + 1
    row = AccessEvent.objects.order_by("-id").first()
    assert (row.action, row.child_id) == (AuditAction.VIEW, done_request.child_id)


@pytest.mark.parametrize(("name", "content_type"), [("subject_access:download_pdf", "application/pdf"), ("subject_access:download_json", "application/json")])
def test_each_download_writes_one_export_row(world, done_request, client_for, name, content_type):
    client = client_for(world.users["admin"])
    before = AccessEvent.objects.count()
    response = client.get(reverse(name, args=[done_request.pk]))
    assert response.status_code == 200 and response["Content-Type"] == content_type
    assert AccessEvent.objects.count() == before + 1
    row = AccessEvent.objects.order_by("-id").first()
    assert (row.action, row.object_type, row.object_id, row.child_id) == (
        AuditAction.EXPORT,
        "subject_access_request",
        str(done_request.pk),
        done_request.child_id,
    )


@pytest.mark.parametrize("kind", ["lead_practitioner", "csc_manager", "strategy", "auditor"])
def test_other_roles_are_refused_the_download_and_the_refusal_is_audited(world, done_request, client_for, kind):
    client = client_for(world.users[kind])
    before = AccessEvent.objects.count()
    response = client.get(reverse("subject_access:download_pdf", args=[done_request.pk]))
    assert response.status_code == 403
    assert list(AccessEvent.objects.order_by("-id").values_list("action", flat=True)[: AccessEvent.objects.count() - before]) == [AuditAction.DENIED]


def test_a_download_before_the_export_is_ready_is_refused(world, record, client_for):
    sar = SubjectAccessRequest.objects.create(
        subject_kind="child",
        child=record.child,
        requester_name="x",
        requester_relationship="y",
        requester_contact="z",
        received_on=date(2026, 11, 20),
        due_on=date(2026, 12, 21),
        created_by=world.users["admin"],
    )
    response = client_for(world.users["admin"]).get(reverse("subject_access:download_json", args=[sar.pk]))
    assert response.status_code == 409 and b"The export is not ready" in response.content


def test_the_pdf_marks_restricted_information_for_review(world, done_request, client_for, tmp_path):
    if shutil.which("pdftotext") is None:
        require_or_skip("poppler-utils (pdftotext) is not installed")
    path = tmp_path / "sar.pdf"
    path.write_bytes(client_for(world.users["admin"]).get(reverse("subject_access:download_pdf", args=[done_request.pk])).content)
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    assert POLICE_SECRET in text
    assert text.count("REVIEW BEFORE DISCLOSURE") == done_request.redaction_count + 1  # plus the explanation at the top
    assert "Restricted chronology entry: ask the recording agency (County Police)" in " ".join(text.split())


def test_an_adult_is_found_by_name_and_a_shared_name_asks_for_the_postcode(world, record, client_for, django_capture_on_commit_callbacks):
    from households.services import adult_add
    from tests.factories import make_child

    other = make_child(given_name="Zed", family_name="Other")
    other.family.postcode = "OX1 1AA"
    other.family.save()
    adult_add(actor=None, family=other.family, given_name="Dana", family_name="Moss")
    client = client_for(world.users["admin"])
    form = {**_form(record.child), "subject_kind": "adult", "adult_given_name": "dana", "adult_family_name": "MOSS"}
    response = client.post(LIST, form)
    assert response.status_code == 400 and b"More than one adult has this name: enter the household postcode" in response.content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(LIST, {**form, "adult_postcode": "ox1 1aa"})
    assert response.status_code == 302
    sar = SubjectAccessRequest.objects.get()
    assert (sar.subject_kind, sar.adult.family_id, sar.child_id, sar.status) == ("adult", other.family_id, None, RequestStatus.DONE)


def test_a_failed_export_can_be_run_again_and_then_succeeds(world, record, client_for, django_capture_on_commit_callbacks):
    sar = SubjectAccessRequest.objects.create(
        subject_kind="child",
        child=record.child,
        requester_name="x",
        requester_relationship="y",
        requester_contact="z",
        received_on=date(2026, 11, 20),
        due_on=date(2026, 12, 21),
        created_by=world.users["admin"],
        status=RequestStatus.FAILED,
        failure_reason="OperationalError: server closed the connection",
    )
    client = client_for(world.users["admin"])
    assert b"server closed the connection" in client.get(reverse("subject_access:detail", args=[sar.pk])).content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("subject_access:requeue", args=[sar.pk]))
    assert response.status_code == 302
    sar.refresh_from_db()
    assert (sar.status, sar.failure_reason) == (RequestStatus.DONE, "")


def test_a_mistyped_nhs_number_is_reported_on_its_field(world, record, client_for):
    response = client_for(world.users["admin"]).post(LIST, _form(record.child, given_name="", family_name="", date_of_birth="", nhs_number="123"))
    assert response.status_code == 400
    assert b'id="id_nhs_number-error-1"' in response.content


def test_the_list_page_writes_one_view_row_and_names_no_child(world, done_request, client_for):
    client = client_for(world.users["admin"])
    before = AccessEvent.objects.count()
    response = client.get(LIST)
    assert response.status_code == 200 and done_request.child.family_name.encode() not in response.content
    assert AccessEvent.objects.count() == before + 1
    assert AccessEvent.objects.order_by("-id").values_list("action", "child_id").first() == (AuditAction.VIEW, None)
