"""The upload page: dry run first, kept for its uploader, confirmed once; errors shown, not hidden."""

import hashlib

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AccessEvent, AuditAction
from census.importing import ImportResult
from census.models import CensusUpload, ChildCensus
from tests.census.returns import VALID_RETURN
from tests.census.test_import import XXE

CONTENT = VALID_RETURN.encode()


def upload(client, content, name="return.xml"):
    return client.post(reverse("census:import_upload"), {"file": SimpleUploadedFile(name, content, content_type="application/xml")})


def test_upload_dry_runs_then_confirm_applies_once(world, client_for):
    client = client_for(world.users["admin"])
    response = upload(client, CONTENT)
    stored = CensusUpload.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("census:import_review", args=[stored.pk])
    assert stored.sha256 == hashlib.sha256(CONTENT).hexdigest() and stored.uploaded_by == world.users["admin"]
    assert not ChildCensus.objects.exists()
    page = client.get(response["Location"])
    assert b"This is a dry run" in page.content and b"Import 16 changes" in page.content
    assert client.post(reverse("census:import_apply", args=[stored.pk])).status_code == 302
    assert ChildCensus.objects.count() == 4
    stored.refresh_from_db()
    assert stored.applied_at and bytes(stored.content) == b""  # the file is not kept once imported
    client.post(reverse("census:import_apply", args=[stored.pk]))  # a second confirm does nothing
    assert AccessEvent.objects.filter(object_type="cin_census_import", action=AuditAction.CREATE).count() == 1
    assert AccessEvent.objects.filter(object_type="cin_census_import", action=AuditAction.VIEW).count() == 1


def test_dry_run_page_lists_rejected_elements_with_paths(world, client_for):
    client = client_for(world.users["admin"])
    broken = CONTENT.replace(b"<AssessmentActualStartDate>2025-05-02<", b"<AssessmentActualStartDate>2025-04-02<")
    page = client.get(upload(client, broken)["Location"])
    text = page.content.decode().replace("<wbr>", "")  # the page may wrap the path at each "/"
    assert "/Message/Children/Child[1]/CINdetails[1]/Assessments[1]/AssessmentActualStartDate" in text
    assert b"A100" in page.content and b"before the referral" in page.content


def test_schema_errors_are_listed_with_line_numbers_and_nothing_is_kept(world, client_for):
    response = upload(client_for(world.users["admin"]), CONTENT.replace(b"<Sex>U</Sex>", b"<Sex>Q</Sex>"))
    assert response.status_code == 400
    assert b"does not match the DfE schema" in response.content and b"line " in response.content
    assert not CensusUpload.objects.exists()


def test_a_file_with_entities_is_refused_on_the_page(world, client_for):
    response = upload(client_for(world.users["admin"]), XXE)
    assert response.status_code == 400 and b"DOCTYPE" in response.content
    assert not CensusUpload.objects.exists()


def test_a_file_over_the_limit_is_refused_by_its_size_with_the_limit_named(world, client_for, monkeypatch):
    from census.forms import CensusUploadForm
    from tests.neglect_portal.test_uploads import counting_upload

    monkeypatch.setattr("census.importing.MAX_BYTES", 1000)
    big, raw = counting_upload(5000)
    form = CensusUploadForm(data={}, files={"file": big})
    assert not form.is_valid() and raw.bytes_read == 0
    response = upload(client_for(world.users["admin"]), CONTENT)
    assert "The file must be 1 KB or smaller; this file is" in response.content.decode()
    assert not CensusUpload.objects.exists()


def test_only_the_uploader_sees_or_confirms_an_upload(world, client_for):
    other = CensusUpload.objects.create(
        uploaded_by=world.users["csc_manager"],
        filename="x.xml",
        content=CONTENT,
        sha256=hashlib.sha256(CONTENT).hexdigest(),
        dry_run=ImportResult(dry_run=True).as_dict(),
    )
    client = client_for(world.users["admin"])
    assert client.get(reverse("census:import_review", args=[other.pk])).status_code == 404
    assert client.post(reverse("census:import_apply", args=[other.pk])).status_code == 404
    assert not ChildCensus.objects.exists()
    assert AccessEvent.objects.filter(object_type="cin_census_upload", action=AuditAction.DENIED).count() == 2


def test_a_stored_file_changed_since_its_dry_run_is_not_applied(world, client_for):
    client = client_for(world.users["admin"])
    upload(client, CONTENT)
    stored = CensusUpload.objects.get()
    stored.content = CONTENT.replace(b"A100", b"Z999")
    stored.save()
    response = client.post(reverse("census:import_apply", args=[stored.pk]))
    assert response.status_code == 409 and b"upload it again" in response.content
    assert not ChildCensus.objects.exists()
