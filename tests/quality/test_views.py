"""The quality pages through HTTP: the round report as PDF (audited as an export), grading and moderating pages, the API."""

import pytest
from django.urls import reverse

from audit.models import AccessEvent, AuditAction
from quality.models import AuditorGrade, QuestionSet, SampledCase

from .builders import audit_round, grade_form, moderation_form

pytestmark = pytest.mark.django_db


def test_the_round_report_is_a_pdf_naming_no_child_and_is_one_export_row(world, client_for):
    round_ = audit_round(world)
    client = client_for(world.users["strategy"])
    before = AccessEvent.objects.count()
    response = client.get(reverse("quality:round_report_pdf", args=[round_.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    rows = list(AccessEvent.objects.order_by("pk")[before:])
    assert [(row.action, row.object_type, row.child_id) for row in rows] == [(AuditAction.EXPORT, "audit_round", None)]


def test_the_round_page_shows_numbers_and_grades_but_no_evidence(world, client_for):
    round_ = audit_round(world)
    sampled = SampledCase.objects.get(audit_round=round_)
    client_for(world.users["outsider"]).post(reverse("quality:audit_case", args=[sampled.pk]), grade_form(round_, evidence="Father seen twice at home"))
    html = client_for(world.users["admin"]).get(reverse("quality:round_detail", args=[round_.pk])).content.decode()
    assert "Case A" in html and f">{world.case.pk}<" in html and "7 of 7" in html
    assert "Father seen twice" not in html and world.case.child.family_name not in html


def test_an_auditor_grades_on_the_page_and_errors_sit_beside_their_question(world, client_for):
    round_ = audit_round(world)
    sampled = SampledCase.objects.get(audit_round=round_)
    client = client_for(world.users["outsider"])
    page = client.get(reverse("quality:audit_case", args=[sampled.pk])).content.decode()
    assert world.case.child.family_name in page  # the auditor reads the case
    response = client.post(reverse("quality:audit_case", args=[sampled.pk]), {"grade_identification": "good", "evidence_identification": ""})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Give the evidence for your grade" in html and 'href="#id_evidence_identification"' in html
    assert not AuditorGrade.objects.exists()


def test_the_moderator_sees_every_agencys_evidence_and_records_the_agreed_grades(world, client_for):
    round_ = audit_round(world)
    sampled = SampledCase.objects.get(audit_round=round_)
    client_for(world.users["outsider"]).post(reverse("quality:audit_case", args=[sampled.pk]), grade_form(round_, evidence="Police evidence"))
    client_for(world.users["partner_dsl"]).post(
        reverse("quality:audit_case", args=[sampled.pk]), grade_form(round_, grade="inadequate", evidence="School evidence")
    )
    moderator = client_for(world.users["lead_manager"])
    page = moderator.get(reverse("quality:audit_moderate", args=[sampled.pk])).content.decode()
    assert "Police evidence" in page and "School evidence" in page and "County Police" in page and "Riverside School" in page
    own_page = client_for(world.users["partner_dsl"]).get(reverse("quality:audit_case", args=[sampled.pk])).content.decode()
    assert "Police evidence" not in own_page  # auditors grade on their own
    assert moderator.post(reverse("quality:audit_moderate", args=[sampled.pk]), moderation_form(round_, grade="requires_improvement")).status_code == 302
    sampled.refresh_from_db()
    assert sampled.overall_grade == "good" and sampled.moderated_grades.filter(grade="requires_improvement").count() == 7


def test_the_menu_offers_case_audits_to_those_who_run_them_and_to_auditors(world, client_for):
    audit_round(world)
    assert "Case audits" in client_for(world.users["strategy"]).get(reverse("quality:round_list")).content.decode()
    assert "Your case audits" in client_for(world.users["outsider"]).get(reverse("quality:my_audits")).content.decode()
    assert "Your case audits" not in client_for(world.users["csc_practitioner"]).get(reverse("home")).content.decode()


def test_the_api_gives_a_rounds_grades_by_reference_only(world, client_for):
    round_ = audit_round(world)
    body = client_for(world.users["admin"]).get(reverse("api:audit-round-detail", args=[round_.pk])).json()
    assert body["sample_size"] == 1 and body["cases"] == [
        {"reference": "Case A", "moderated": False, "overall_grade": "", "grades": dict.fromkeys([q.id for q in round_.questions], "")}
    ]
    assert len(body["grades_by_question"]) == 7


def test_the_measures_api_refuses_a_bad_quarter(world, client_for):
    response = client_for(world.users["admin"]).get(reverse("api:quality-measures", args=["2026-Q9"]))
    assert response.status_code == 400 and "quarter" in response.json()


def test_a_question_set_can_be_loaded_on_the_page(world, client_for):
    document = '{"key": "fathers_audit", "name": "Fathers", "kind": "case_audit", "questions": [{"id": "seen", "text": "Was the father seen?"}]}'
    response = client_for(world.users["admin"]).post(reverse("quality:question_set_load"), {"document": document})
    assert response.status_code == 302
    assert QuestionSet.objects.get(key="fathers_audit").is_draft
    bad = client_for(world.users["admin"]).post(reverse("quality:question_set_load"), {"document": '{"key": "x"}'})
    assert "kind: one of case_audit, family_feedback" in bad.content.decode()
