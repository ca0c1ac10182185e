"""Chronology PDFs too long for the request: a Celery job, a "being prepared" page, a download when ready (issue 18).

Access is checked when the PDF is asked for, again when the job runs and again at each download; the
job is claimed once however often it is delivered.
"""

import pytest
from django.urls import reverse

from agencies.access import case_grant_revoke
from audit.models import AccessEvent, AuditAction
from cases.models import CaseUserObjectPermission
from chronologies.models import ChronologyExport, ExportStatus
from chronologies.tasks import chronology_export_make

from .builders import bulk_entries

pytestmark = pytest.mark.django_db


@pytest.fixture
def long_chronology(world, settings):
    settings.CHRONOLOGY_PDF_MAX_ENTRIES = 5  # "over 1,000 entries", scaled down
    bulk_entries(world.case.child, world.school, 8)
    return world.case.child


def _ask(client, child, **query):
    return client.get(reverse("chronologies:child_chronology_pdf", args=[child.pk]), query)


def test_a_long_chronology_is_prepared_by_a_job_and_downloaded_when_ready(world, client_for, long_chronology, django_capture_on_commit_callbacks):
    client = client_for(world.users["csc_practitioner"])
    before = AccessEvent.objects.count()
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = _ask(client, long_chronology, kind="home_visit")
    export = ChronologyExport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("chronologies:pdf_export", args=[export.pk])
    assert (export.status, export.entry_count, export.query) == (ExportStatus.QUEUED, 8, "kind=home_visit")
    assert [(e.action, e.object_type) for e in AccessEvent.objects.order_by("pk")[before:]] == [(AuditAction.CREATE, "chronology_export")]
    waiting = client.get(response["Location"])
    assert "The chronology PDF is being prepared" in waiting.content.decode() and '<meta http-equiv="refresh" content="5">' in waiting.content.decode()

    assert len(queued) == 1
    queued[0]()  # the worker runs the job after commit
    export.refresh_from_db()
    assert export.status == ExportStatus.DONE and bytes(export.pdf).startswith(b"%PDF")
    ready = client.get(reverse("chronologies:pdf_export", args=[export.pk]))
    assert "The chronology PDF is ready" in ready.content.decode() and "http-equiv" not in ready.content.decode()
    before = AccessEvent.objects.count()
    download = client.get(reverse("chronologies:pdf_export_download", args=[export.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    [event] = AccessEvent.objects.order_by("pk")[before:]
    assert (event.action, event.object_type, event.child_id) == (AuditAction.EXPORT, "chronology", long_chronology.pk)


def test_the_job_runs_once_however_often_it_is_delivered(world, client_for, long_chronology):
    _ask(client_for(world.users["csc_practitioner"]), long_chronology)
    export = ChronologyExport.objects.get()
    assert chronology_export_make.apply(args=[export.pk]).get() == "done"
    assert chronology_export_make.apply(args=[export.pk]).get() == "not queued"


def test_asking_again_while_it_is_prepared_does_not_queue_a_second_job(world, client_for, long_chronology):
    client = client_for(world.users["csc_practitioner"])
    first, second = _ask(client, long_chronology), _ask(client, long_chronology)
    assert first["Location"] == second["Location"] and ChronologyExport.objects.count() == 1


def _revoke_the_grant(world):
    grant = CaseUserObjectPermission.objects.get(user=world.users["granted"])
    case_grant_revoke(revoked_by=world.users["admin"], kind="user", grant_id=grant.pk)


def test_the_job_checks_access_again_when_it_runs(world, client_for, long_chronology):
    _ask(client_for(world.users["granted"]), long_chronology)  # the police officer with a grant
    export = ChronologyExport.objects.get()
    _revoke_the_grant(world)
    assert chronology_export_make.apply(args=[export.pk]).get() == "failed"
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED and "no longer see this child" in export.failure_reason and not export.pdf


def test_the_download_checks_access_again(world, client_for, long_chronology):
    client = client_for(world.users["granted"])
    _ask(client, long_chronology)
    export = ChronologyExport.objects.get()
    chronology_export_make.apply(args=[export.pk])
    _revoke_the_grant(world)
    before = AccessEvent.objects.count()
    assert client.get(reverse("chronologies:pdf_export_download", args=[export.pk])).status_code == 404
    assert [e.action for e in AccessEvent.objects.order_by("pk")[before:]] == [AuditAction.DENIED]


def test_nobody_else_reads_someone_elses_export(world, client_for, long_chronology):
    _ask(client_for(world.users["csc_practitioner"]), long_chronology)
    export = ChronologyExport.objects.get()
    chronology_export_make.apply(args=[export.pk])
    for kind in ("csc_manager", "lead_practitioner"):  # both see the child, neither asked
        assert client_for(world.users[kind]).get(reverse("chronologies:pdf_export_download", args=[export.pk])).status_code == 404
