"""Uploaded returns nobody confirmed are deleted after CENSUS_UPLOAD_KEEP_HOURS by an hourly beat job;
confirmed ones and recent ones stay; each run that deletes writes one audit row."""

from datetime import timedelta

import pytest
from django.utils import timezone

from audit.models import AccessEvent, AuditAction
from census.models import CensusUpload
from census.services import CLEANUP_USERNAME, census_upload_discard_unconfirmed
from census.tasks import census_upload_discard_stale

pytestmark = pytest.mark.django_db


def upload(user, *, hours_ago, applied=False):
    row = CensusUpload.objects.create(uploaded_by=user, filename="return.xml", content=b"<Message/>", sha256="0" * 64)
    at = timezone.now() - timedelta(hours=hours_ago)
    CensusUpload.objects.filter(pk=row.pk).update(uploaded_at=at, applied_at=at + timedelta(minutes=5) if applied else None)
    return row


def cleanup_events():
    return AccessEvent.objects.filter(object_type="cin_census_upload", username=CLEANUP_USERNAME)


def test_unconfirmed_uploads_older_than_the_keep_hours_are_deleted_and_audited_once(world, settings):
    settings.CENSUS_UPLOAD_KEEP_HOURS = 24
    admin = world.users["admin"]
    stale, fresh, confirmed = upload(admin, hours_ago=25), upload(admin, hours_ago=23), upload(admin, hours_ago=48, applied=True)
    assert census_upload_discard_stale.delay().get() == "deleted 1"
    assert set(CensusUpload.objects.values_list("pk", flat=True)) == {fresh.pk, confirmed.pk}
    event = cleanup_events().get()
    assert event.user_id is None and event.action == AuditAction.DELETE and event.detail == f"deleted 1 unconfirmed upload older than 24 hours: {stale.pk}"


def test_the_keep_hours_setting_decides_what_is_stale(world, settings):
    admin = world.users["admin"]
    upload(admin, hours_ago=3)
    settings.CENSUS_UPLOAD_KEEP_HOURS = 4
    assert census_upload_discard_unconfirmed(now=timezone.now()) == 0
    settings.CENSUS_UPLOAD_KEEP_HOURS = 2
    assert census_upload_discard_unconfirmed(now=timezone.now()) == 1
    assert not CensusUpload.objects.exists()


def test_a_run_with_nothing_to_delete_writes_no_audit_row(world):
    upload(world.users["admin"], hours_ago=1)
    assert census_upload_discard_unconfirmed(now=timezone.now()) == 0
    assert not cleanup_events().exists()


def test_beat_runs_the_cleanup_every_hour(db):
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="census.tasks.census_upload_discard_stale")
    assert (task.crontab.minute, task.crontab.hour, task.enabled) == ("15", "*", True)
