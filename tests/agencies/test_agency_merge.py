"""Agencies: names unique ignoring case and spacing, their identifiers, and merging duplicates (issue 20, item 5)."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from agencies import services
from agencies.models import Agency, AgencyKind, Role
from agencies.selectors import agency_references
from audit.models import AccessEvent, AuditAction
from cases.models import TeamMembership
from chronologies.models import ChronologyEntry
from concerns.models import Concern
from tests.factories import make_agency, make_case, make_concern, make_user


def test_a_name_differing_only_in_case_and_spacing_is_refused(world, client_for):
    make_agency(AgencyKind.GP_ICB, name="Oakfield Medical Practice")
    response = client_for(world.users["admin"]).post(reverse("agencies:agency_create"), {"name": "  oakfield   medical PRACTICE ", "kind": "gp_icb"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "An agency called Oakfield Medical Practice already exists" in html
    assert Agency.objects.filter(name__iexact="oakfield medical practice").count() == 1


def test_identifiers_are_stored_upper_case_without_spaces(world, client_for):
    response = client_for(world.users["admin"]).post(reverse("agencies:agency_create"), {"name": "Northbury Hospital", "kind": "hospital", "ods_code": "rj 1"})
    assert response.status_code == 302
    assert Agency.objects.get(name="Northbury Hospital").ods_code == "RJ1"


@pytest.mark.parametrize(
    ("kind", "field", "value", "message"),
    [
        ("hospital", "ods_code", "R!", "Enter an ODS code of 3 to 6 letters and numbers"),
        ("school", "urn", "12345", "Enter a URN of 6 digits"),
        ("police", "police_force_code", "1A", "Enter a police force code of 2 digits"),
        ("police", "urn", "100001", "Leave the URN blank: only schools"),
        ("school", "ods_code", "RJ1", "Leave the ODS code blank: only health agencies"),
    ],
)
def test_identifiers_in_the_wrong_format_or_kind_are_refused(world, client_for, kind, field, value, message):
    response = client_for(world.users["admin"]).post(reverse("agencies:agency_create"), {"name": "New agency", "kind": kind, field: value})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Agency.objects.filter(name="New agency").exists()


def test_an_identifier_belongs_to_one_agency(world, client_for):
    services.agency_update(agency=world.school, actor=world.users["admin"], urn="100001")
    response = client_for(world.users["admin"]).post(reverse("agencies:agency_create"), {"name": "Riverside School (again)", "kind": "school", "urn": "100001"})
    assert "Another agency has this URN" in response.content.decode()


def test_the_backfill_leaves_earlier_duplicates_without_a_key_instead_of_failing(db):
    first = make_agency(AgencyKind.HOUSING, name="Oakfield Housing")
    # A duplicate made before names were compared, as the database may hold it.
    second = make_agency(AgencyKind.HOUSING, name="Other")
    Agency.objects.filter(pk=second.pk).update(name="oakfield  housing", name_key=None)
    Agency.objects.update(name_key=None)
    backfill = importlib.import_module("agencies.migrations.0006_agency_name_keys_backfill")
    backfill.forwards(django_apps, None)
    assert list(Agency.objects.order_by("pk").values_list("name_key", flat=True)) == ["oakfield housing", None]
    # The duplicate can still be edited while it keeps its name, and is listed as a possible duplicate.
    second.refresh_from_db()
    services.agency_update(agency=second, actor=None, locality="")
    listed = {agency.pk: agency.possible_duplicate for agency in services.selectors.agency_list()}
    assert listed == {first.pk: False, second.pk: True}


def _duplicate_with_records(world):
    """A second community health agency, with a user, a case it leads, a team place next to the original and a concern."""
    duplicate = make_agency(AgencyKind.COMMUNITY_HEALTH, name="Community Health Trust (duplicate)")
    worker = make_user(duplicate, Role.PRACTITIONER, "duplicate_worker")
    led = make_case(duplicate, team=[world.health])
    services_team_add(world.case, duplicate)
    concern = make_concern(world.case, worker)
    return duplicate, worker, led, concern


def services_team_add(case, agency):
    from cases.services import team_add

    team_add(case=case, agency=agency, reason="Joined for the test")


def test_merge_moves_every_reference_to_the_kept_agency(world, client_for):
    duplicate, worker, led, concern = _duplicate_with_records(world)
    assert agency_references(duplicate)  # the set-up did make references
    response = client_for(world.users["admin"]).post(reverse("agencies:agency_merge", args=[duplicate.pk]), {"keep": world.health.pk, "confirm": "on"})
    assert response.status_code == 302
    # Nothing in any model found through the app registry points at the merged agency or its group any more.
    assert agency_references(duplicate) == []
    duplicate.refresh_from_db()
    worker.refresh_from_db()
    led.refresh_from_db()
    assert (duplicate.is_active, duplicate.merged_into_id) == (False, world.health.pk)
    assert worker.membership.agency_id == world.health.pk
    assert list(worker.groups.all()) == [world.health.group]
    assert led.lead_agency_id == world.health.pk
    # Both were on the team of world.case: one place stays.
    assert TeamMembership.objects.filter(case=world.case, agency=world.health).count() == 1
    assert Concern.objects.get(pk=concern.pk).agency_id == world.health.pk
    assert not ChronologyEntry.objects.filter(agency=duplicate).exists()
    event = AccessEvent.objects.get(action=AuditAction.UPDATE, object_type="agency", object_id=str(world.health.pk))
    assert f"merged Community Health Trust (duplicate) (agency {duplicate.pk}) into Community Health Trust" in event.detail


def test_merged_agency_leaves_the_list_and_its_worker_sees_the_kept_agencys_cases(world, client_for):
    duplicate, worker, _led, _concern = _duplicate_with_records(world)
    services.agency_merge(keep=world.health, merge=duplicate, actor=world.users["admin"])
    html = client_for(world.users["admin"]).get(reverse("agencies:agency_list")).content.decode()
    assert "Community Health Trust (duplicate)" not in html
    response = client_for(worker).get(reverse("cases:case_detail", args=[world.case.pk]))
    assert response.status_code == 200


def test_recorded_once_rows_still_refuse_other_changes_after_a_merge(world):
    from django.db import DatabaseError, connection, models, transaction

    duplicate, _worker, _led, concern = _duplicate_with_records(world)
    services.agency_merge(keep=world.health, merge=duplicate, actor=world.users["admin"])
    assert connection.vendor == "postgresql", "the recorded-once triggers are PostgreSQL's"
    with pytest.raises(DatabaseError, match="recorded once"), transaction.atomic():
        # Past the model's own guard, to the database's: a merged agency's records do not go back.
        models.QuerySet(Concern).filter(pk=concern.pk).update(agency=duplicate)


def test_only_a_partnership_admin_may_merge_and_a_refusal_is_audited(world):
    duplicate = make_agency(AgencyKind.COMMUNITY_HEALTH, name="Health again")
    before = AccessEvent.objects.filter(action=AuditAction.DENIED).count()
    with pytest.raises(PermissionDenied):
        services.agency_merge(keep=world.health, merge=duplicate, actor=world.users["csc_manager"])
    assert AccessEvent.objects.filter(action=AuditAction.DENIED).count() == before + 1
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id is None


def test_merge_form_errors_are_in_words(world, client_for):
    response = client_for(world.users["admin"]).post(reverse("agencies:agency_merge", args=[world.public_health.pk]), {})
    html = response.content.decode()
    assert "Error:</span> Choose the agency to keep" in html
    assert "Error:</span> Confirm that you have checked these are the same organisation" in html
