"""The export job: once per claim, failures recorded with the reason, retries bounded, a real worker on Redis."""

from datetime import date

import pytest
from celery.exceptions import Retry
from django.db import OperationalError

from neglect_portal.celery import app
from subject_access.models import RequestStatus, SubjectAccessRequest
from subject_access.tasks import subject_access_export


def _queued(world, child):
    return SubjectAccessRequest.objects.create(
        subject_kind="child",
        child=child,
        requester_name="Dana Moss",
        requester_relationship="Mother",
        requester_contact="dana@example.org",
        received_on=date(2026, 11, 20),
        due_on=date(2026, 12, 21),
        created_by=world.users["admin"],
    )


@pytest.mark.django_db
def test_running_the_job_twice_makes_one_export(world, record):
    sar = _queued(world, record.child)
    assert subject_access_export.apply(args=[sar.pk]).get() == "done"
    first = bytes(SubjectAccessRequest.objects.get(pk=sar.pk).export_json)
    assert subject_access_export.apply(args=[sar.pk]).get() == "not queued"
    sar.refresh_from_db()
    assert sar.status == RequestStatus.DONE and bytes(sar.export_json) == first


@pytest.mark.django_db
def test_a_fault_marks_the_request_failed_with_the_reason(world, record, monkeypatch):
    sar = _queued(world, record.child)

    def broken(**kwargs):
        raise ValueError("template missing")

    monkeypatch.setattr("subject_access.tasks.subject_access_compute", broken)
    assert subject_access_export.apply(args=[sar.pk]).get() == "failed"
    sar.refresh_from_db()
    assert (sar.status, sar.failure_reason) == (RequestStatus.FAILED, "ValueError: template missing")


@pytest.mark.django_db
def test_a_database_hiccup_gives_the_claim_back_and_retries(world, record, monkeypatch):
    sar = _queued(world, record.child)

    def hiccup(**kwargs):
        raise OperationalError("server closed the connection")

    monkeypatch.setattr("subject_access.tasks.subject_access_compute", hiccup)
    with pytest.raises(Retry):
        subject_access_export.apply(args=[sar.pk], throw=True)
    sar.refresh_from_db()
    assert (sar.status, sar.claimed_at) == (RequestStatus.QUEUED, None)


@pytest.mark.django_db
def test_retries_are_bounded_then_the_request_fails(world, record, monkeypatch):
    sar = _queued(world, record.child)
    monkeypatch.setattr("subject_access.tasks.subject_access_compute", lambda **kw: (_ for _ in ()).throw(OperationalError("down")))
    result = subject_access_export.apply(args=[sar.pk], retries=subject_access_export.max_retries)
    assert result.get() == "failed"
    sar.refresh_from_db()
    assert sar.status == RequestStatus.FAILED and sar.failure_reason.startswith("Gave up after 3 retries")


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_on_redis_makes_the_export_end_to_end(world, record, redis_broker_url):
    from celery.contrib.testing.worker import start_worker

    sar = _queued(world, record.child)
    assert app.conf.broker_url == redis_broker_url
    app.conf.task_always_eager = False
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            assert subject_access_export.delay(sar.pk).get(timeout=60) == "done"
            assert subject_access_export.delay(sar.pk).get(timeout=30) == "not queued"
    finally:
        app.conf.task_always_eager = True
    sar.refresh_from_db()
    assert sar.status == RequestStatus.DONE and bytes(sar.export_pdf).startswith(b"%PDF") and sar.redaction_count > 0
