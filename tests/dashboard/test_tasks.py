"""The snapshot job: claimed once, written whole or not at all, retried on transient errors, on a real worker too."""

from datetime import timedelta

import pytest
from celery.exceptions import Retry
from django.db import OperationalError
from django.utils import timezone

from dashboard.models import DashboardSnapshot, SnapshotStatus
from dashboard.services import SnapshotNotAllowed, snapshot_request
from dashboard.tasks import (
    dashboard_snapshot_compute,
    dashboard_snapshot_previous_quarter,
)
from neglect_portal.celery import app
from neglect_portal.quarters import parse_quarter

Q4 = parse_quarter("2025-26-Q4")


def _queued(world):
    return DashboardSnapshot.objects.create(quarter=Q4.name, requested_by=world.users["admin"])


def test_a_request_queues_the_job_after_commit_and_the_job_stores_measures_and_pdf(county, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        snapshot_request(quarter=Q4, requested_by=county.world.users["admin"])
    snapshot = DashboardSnapshot.objects.get(quarter=Q4.name)
    assert (snapshot.status, snapshot.measures["cp_children"], bytes(snapshot.pdf[:4])) == (SnapshotStatus.DONE, 6, b"%PDF")
    assert snapshot.computed_at is not None and snapshot.failure_reason == ""


def test_running_the_task_twice_computes_once(county):
    _queued(county.world)
    assert dashboard_snapshot_compute.delay(Q4.name).get() == "done"
    first = DashboardSnapshot.objects.get(quarter=Q4.name).computed_at
    assert dashboard_snapshot_compute.delay(Q4.name).get() == "not queued"
    assert DashboardSnapshot.objects.get(quarter=Q4.name).computed_at == first


def test_requesting_again_replaces_the_snapshot(county, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        snapshot_request(quarter=Q4, requested_by=county.world.users["admin"])
    county.children["C"].cases.get().plans.update(ended_on=Q4.start)
    with django_capture_on_commit_callbacks(execute=True):
        snapshot_request(quarter=Q4, requested_by=county.world.users["admin"])
    assert DashboardSnapshot.objects.get(quarter=Q4.name).measures["cp_children"] == 5
    assert DashboardSnapshot.objects.count() == 1


def test_an_error_after_computing_leaves_the_earlier_snapshot_whole_and_says_why(county, monkeypatch):
    DashboardSnapshot.objects.create(quarter=Q4.name, status=SnapshotStatus.QUEUED, measures={"cp_children": 99}, pdf=b"%PDF old")

    def die(**kwargs):
        raise RuntimeError("worker killed while rendering")

    monkeypatch.setattr("dashboard.services.dashboard_pdf", die)
    assert dashboard_snapshot_compute.delay(Q4.name).get() == "failed"
    snapshot = DashboardSnapshot.objects.get(quarter=Q4.name)
    assert (snapshot.status, snapshot.measures, bytes(snapshot.pdf)) == (SnapshotStatus.FAILED, {"cp_children": 99}, b"%PDF old")
    assert snapshot.failure_reason == "RuntimeError: worker killed while rendering"


def test_a_worker_that_died_holding_the_claim_is_taken_over_after_the_expiry(county):
    DashboardSnapshot.objects.create(quarter=Q4.name, status=SnapshotStatus.RUNNING, claimed_at=timezone.now() - timedelta(minutes=5))
    assert dashboard_snapshot_compute.delay(Q4.name).get() == "not queued"  # still someone else's
    DashboardSnapshot.objects.filter(quarter=Q4.name).update(claimed_at=timezone.now() - timedelta(hours=1))
    assert dashboard_snapshot_compute.delay(Q4.name).get() == "done"


def test_a_transient_error_gives_the_claim_back_and_retries(county, monkeypatch):
    _queued(county.world)
    calls = []

    def flaky(**kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        from dashboard.selectors import compute_measures

        return compute_measures(**kwargs)

    monkeypatch.setattr("dashboard.services.compute_measures", flaky)
    with pytest.raises(Retry):
        dashboard_snapshot_compute.apply(args=[Q4.name], throw=True)
    assert DashboardSnapshot.objects.get(quarter=Q4.name).status == SnapshotStatus.QUEUED
    assert dashboard_snapshot_compute.delay(Q4.name).get() == "done"  # the retry
    assert len(calls) == 2


def test_only_partnership_admins_request_and_access_is_checked_again_when_the_job_runs(county):
    with pytest.raises(SnapshotNotAllowed):
        snapshot_request(quarter=Q4, requested_by=county.world.users["strategy"])
    admin = county.world.users["admin"]
    _queued(county.world)
    admin.membership.role = "strategy_member"
    admin.membership.save()
    assert dashboard_snapshot_compute.delay(Q4.name).get() == "failed"
    assert "no longer a partnership admin" in DashboardSnapshot.objects.get(quarter=Q4.name).failure_reason


def test_the_scheduled_run_queues_the_quarter_just_ended(county, django_capture_on_commit_callbacks, time_machine):
    time_machine.move_to("2026-04-05 06:00", tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert dashboard_snapshot_previous_quarter.delay().get() == "2025-26-Q4"
    assert DashboardSnapshot.objects.get(quarter="2025-26-Q4").status == SnapshotStatus.DONE


def test_beat_schedules_the_previous_quarter_on_the_5th_after_each_quarter(db):
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="dashboard.tasks.dashboard_snapshot_previous_quarter")
    assert (task.crontab.day_of_month, task.crontab.month_of_year, task.enabled) == ("5", "1,4,7,10", True)


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_on_redis_computes_the_snapshot_once(county, redis_broker_url):
    from celery.contrib.testing.worker import start_worker

    _queued(county.world)
    app.conf.task_always_eager = False
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            assert dashboard_snapshot_compute.delay(Q4.name).get(timeout=60) == "done"
            assert dashboard_snapshot_compute.delay(Q4.name).get(timeout=60) == "not queued"
    finally:
        app.conf.task_always_eager = True
    assert DashboardSnapshot.objects.get(quarter=Q4.name).measures["cp_children"] == 6
