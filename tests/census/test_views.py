"""Downloads through HTTP: one audit row per download, problems shown to the admin."""

from django.urls import reverse

from audit.models import AccessEvent, AuditAction


def exports():
    return AccessEvent.objects.filter(action=AuditAction.EXPORT)


def test_census_download_is_xml_and_audited_once(world, client_for, histories):
    response = client_for(world.users["admin"]).get(reverse("census:cin_census_download"), {"year": 2026, "la_code": "931"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    assert b"<Message>" in response.content
    assert exports().filter(object_type="cin_census").count() == 1


def test_check_shows_data_quality_problems_without_an_export(world, client_for, histories):
    response = client_for(world.users["admin"]).get(reverse("census:cin_census_download"), {"year": 2026, "la_code": "931", "check": "1"})
    assert response.status_code == 200
    assert b"no initial child protection conference" in response.content
    assert not exports().exists()
    assert AccessEvent.objects.filter(action=AuditAction.VIEW, object_type="cin_census_check").count() == 1


def test_bad_la_code_is_an_error_message(world, client_for):
    response = client_for(world.users["admin"]).get(reverse("census:cin_census_download"), {"year": 2026, "la_code": "9x"})
    assert response.status_code == 400
    assert b"three digits" in response.content
    assert not exports().exists()


def test_annex_a_download_is_audited_once(world, client_for, histories):
    response = client_for(world.users["admin"]).get(reverse("census:annex_a_download"), {"list_number": 6, "as_of": "2026-03-31"})
    assert response.status_code == 200
    assert response.content.decode().startswith("Child Unique ID,Sex,Ethnicity")
    assert exports().filter(object_type="annex_a").count() == 1


def test_case_worker_is_refused_and_nothing_exported(world, client_for, histories):
    response = client_for(world.users["csc_manager"]).get(reverse("census:cin_census_download"), {"year": 2026, "la_code": "931"})
    assert response.status_code == 403
    assert not exports().exists()
