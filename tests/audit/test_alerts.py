"""Over-access alerts reach the partnership admins once per burst."""

from django.core.cache import cache

from audit.models import AuditAction
from audit.services import audit_record
from notifications.models import Notification


def _admin_alerts(world, subject):
    return Notification.objects.filter(recipient=world.users["admin"], subject=subject)


def test_reading_many_childrens_records_in_an_hour_alerts_admins_once(world, settings):
    cache.clear()
    settings.OVER_ACCESS_CHILDREN_PER_WINDOW = 3
    reader = world.users["csc_practitioner"]
    for child_id in range(1, 4):
        audit_record(user=reader, action=AuditAction.VIEW, object_type="case", child_id=child_id)
    assert not _admin_alerts(world, "Unusual number of records opened").exists(), "3 children is within the threshold"
    for child_id in range(4, 8):
        audit_record(user=reader, action=AuditAction.VIEW, object_type="case", child_id=child_id)
    alerts = _admin_alerts(world, "Unusual number of records opened")
    assert alerts.count() == 1
    assert "csc_practitioner" in alerts.get().body and "4 children" in alerts.get().body


def test_the_same_child_many_times_is_not_unusual(world, settings):
    cache.clear()
    settings.OVER_ACCESS_CHILDREN_PER_WINDOW = 3
    for _ in range(20):
        audit_record(user=world.users["lead_practitioner"], action=AuditAction.VIEW, object_type="case", child_id=world.case.child_id)
    assert not _admin_alerts(world, "Unusual number of records opened").exists()


def test_a_burst_of_denials_alerts_admins(world, settings, client_for):
    cache.clear()
    settings.OVER_ACCESS_DENIALS_PER_WINDOW = 5
    prober = client_for(world.users["outsider"])
    for case_id in range(world.case.pk, world.case.pk + 6):
        prober.get(f"/cases/{case_id}/")
    alerts = _admin_alerts(world, "Burst of refused access attempts")
    assert alerts.count() == 1 and "outsider" in alerts.get().body
