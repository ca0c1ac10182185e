"""The printed assessment (tools/printing.py): one final run as a PDF, access-checked, with one EXPORT audit row."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessEvent, AuditAction
from tools import printing
from tools.models import AssessmentRun

from .builders import EVIDENCE, PRESENT, VOICE, draft_run, final_run

pytestmark = pytest.mark.usefixtures("frozen_today")

GRADES = {"physical_care": [1, 2, 4, 4, 1], "safety": [2, 3], "emotional_care": 2, "developmental_care": 2}


def _pdf_url(run, audience=None):
    url = reverse("tools:run_pdf", args=[run.pk])
    return f"{url}?for={audience}" if audience else url


def test_a_final_run_prints_as_a_pdf_with_one_export_row(world, client_for):
    run = final_run(world.case, world.users["lead_practitioner"], values=GRADES)
    client = client_for(world.users["partner_practitioner"])
    before = AccessEvent.objects.count()
    response = client.get(_pdf_url(run))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == f'attachment; filename="assessment-{run.pk}-gcp2-2026-03-02.pdf"'
    assert AccessEvent.objects.count() == before + 1
    event = AccessEvent.objects.first()
    assert (event.action, event.object_type, event.object_id, event.child_id, event.detail) == (
        AuditAction.EXPORT,
        "assessmentrun",
        str(run.pk),
        world.case.child_id,
        "PDF conference",
    )


def test_someone_who_cannot_see_the_case_gets_404_and_one_denied_row(world, client_for):
    run = final_run(world.case, world.users["lead_practitioner"], values=GRADES)
    client = client_for(world.users["outsider"])
    before = AccessEvent.objects.count()
    assert client.get(_pdf_url(run)).status_code == 404
    assert AccessEvent.objects.count() == before + 1 and AccessEvent.objects.first().action == AuditAction.DENIED


def test_a_draft_is_not_printed(world, client_for):
    run = draft_run(world.case, world.users["lead_practitioner"])
    client = client_for(world.users["lead_practitioner"])
    before = AccessEvent.objects.count()
    response = client.get(_pdf_url(run))
    assert response.status_code == 409 and "Only a final assessment can be printed" in response.content.decode()
    assert AccessEvent.objects.count() == before


def _printed(run, audience="conference"):
    context = printing.run_print_context(
        run=AssessmentRun.objects.get(pk=run.pk),
        audience=audience,
        partnership_name="Example County",
        printed_at=timezone.now(),
        printed_by=run.assessor,
    )
    return render_to_string("tools/run_pdf.html", context)


def test_the_printout_holds_the_areas_grades_evidence_voice_and_who_was_present(world):
    run = final_run(world.case, world.users["lead_practitioner"], values=GRADES)
    html = _printed(run)
    assert "Prepared for the child protection conference" in html
    assert PRESENT in html and VOICE in html and EVIDENCE in html
    # Physical care is shown at its worst sub-area grade, with every sub-area's grade and the rule beside it.
    assert "Nutrition: 1</li><li>Housing: 2</li><li>Clothing: 4</li><li>Hygiene: 4</li><li>Health: 1" in html
    assert "The highest (worst) of its sub-area grades" in html
    assert "4 – The child is often cold or wet, or in clothes and shoes that do not fit." in html


def test_the_familys_copy_says_who_to_tell_if_something_is_wrong(world, client_for):
    run = final_run(world.case, world.users["lead_practitioner"], values=GRADES)
    html = _printed(run, audience="family")
    assert "Prepared for the family" in html and "If anything here is wrong or missing, please tell" in html
    response = client_for(world.users["lead_practitioner"]).get(_pdf_url(run, "family"))
    assert response.status_code == 200 and AccessEvent.objects.first().detail == "PDF family"


def test_the_printer_fetches_nothing_over_the_network(world, monkeypatch):
    """Only data: URIs load while the PDF is made: anything else stops the render rather than call out."""
    from weasyprint.urls import FatalURLFetchingError

    run = final_run(world.case, world.users["lead_practitioner"], values=GRADES)
    context = printing.run_print_context(run=run, audience="family", partnership_name="P", printed_at=timezone.now(), printed_by=run.assessor)
    monkeypatch.setattr(printing, "render_to_string", lambda *args, **kwargs: '<p>x</p><img src="http://127.0.0.1:9/tracker.png" alt="">')
    with pytest.raises(FatalURLFetchingError):
        printing.run_pdf(context=context)
    monkeypatch.setattr(
        printing,
        "render_to_string",
        lambda *args, **kwargs: '<img src="data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciLz4=" alt="">',
    )
    assert printing.run_pdf(context=context).startswith(b"%PDF")
