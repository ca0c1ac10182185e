import pytest
from django.db import DatabaseError, connection, transaction

from audit.models import AccessEvent, AppendOnlyError, AuditAction
from audit.services import audit_record


@pytest.fixture
def event(db):
    return audit_record(user=None, action=AuditAction.LOGIN_FAILED, username="someone")


def test_saving_an_existing_event_is_refused(event):
    event.detail = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()


def test_deleting_an_event_is_refused(event):
    with pytest.raises(AppendOnlyError):
        event.delete()


def test_bulk_update_and_delete_are_refused(event):
    with pytest.raises(AppendOnlyError):
        AccessEvent.objects.filter(pk=event.pk).update(detail="changed")
    with pytest.raises(AppendOnlyError):
        AccessEvent.objects.all().delete()
    assert AccessEvent.objects.get(pk=event.pk).detail == ""


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
@pytest.mark.parametrize("statement", ["UPDATE audit_accessevent SET detail = 'x'", "DELETE FROM audit_accessevent"])
def test_postgresql_trigger_rejects_raw_update_and_delete(event, statement):
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    assert AccessEvent.objects.filter(pk=event.pk, detail="").exists()


def test_control_characters_in_logged_values_are_neutralised(db):
    event = audit_record(user=None, action=AuditAction.LOGIN_FAILED, username="eve\r\nFAKE LINE\x1b[31m")
    assert event.username == "eve??FAKE LINE?[31m"
