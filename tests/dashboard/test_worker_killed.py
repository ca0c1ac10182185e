"""A worker killed in the middle of a snapshot: the job is redelivered and ends in exactly one complete snapshot.

Real Celery worker processes on the test Redis and the test database (the pytest-django `test_`
database, reached through DATABASE_URL in the subprocesses' environment). The first worker's
measure computation is slowed down by a wrapper run only in that subprocess, so the test can see
the job running (the claim is taken and the computation has started) before it SIGKILLs the worker.
Nothing is acknowledged (acks_late), so after the visibility timeout, shortened here to a few
seconds, Redis gives the message to the second worker, which takes over the dead worker's stale
claim (DASHBOARD_CLAIM_EXPIRY_SECONDS, also shortened) and stores measures and PDF once.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from dashboard.models import DashboardSnapshot, SnapshotStatus
from dashboard.services import snapshot_request
from neglect_portal.celery import app
from neglect_portal.quarters import parse_quarter

Q4 = parse_quarter("2025-26-Q4")
ROOT = Path(__file__).resolve().parents[2]
VISIBILITY_TIMEOUT = 4
CLAIM_EXPIRY = 2

# Run in the first worker's process only: the computation announces itself, then takes a minute.
SLOW_WORKER = """
import os, sys, time
import django
django.setup()
import dashboard.services as services
real = services.compute_measures
def slow_compute_measures(**kwargs):
    open(os.environ["COMPUTING_MARKER"], "w").write("computing")
    time.sleep(60)
    return real(**kwargs)
services.compute_measures = slow_compute_measures
from neglect_portal.celery import app
app.worker_main(sys.argv[1:])
"""

WORKER_ARGS = ["worker", "--pool=solo", "--loglevel=INFO", "--without-mingle", "--without-gossip", "--without-heartbeat"]


def _database_url():
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _start_worker(name, log, broker_url, marker, *, slow):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "neglect_portal.test_settings",
        "DATABASE_URL": _database_url(),
        "CELERY_TEST_BROKER_URL": broker_url,
        "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
        "DASHBOARD_CLAIM_EXPIRY_SECONDS": str(CLAIM_EXPIRY),
        "COMPUTING_MARKER": str(marker),
    }
    args = [*WORKER_ARGS, "-n", f"{name}@%h"]
    command = [sys.executable, "-c", SLOW_WORKER, *args] if slow else [sys.executable, "-m", "celery", "-A", "neglect_portal", *args]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def _kill(process):
    """SIGKILL the worker's process group (it is the leader of its own session), then reap it."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def _wait_for(condition, timeout, what, logs):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"Timed out after {timeout} s waiting for {what}.\n" + "\n".join(f"--- {p.name}\n{p.read_text()[-3000:]}" for p in logs))
        time.sleep(0.2)


def _task_ended(log):
    text = log.read_text()
    return "succeeded" in text or "raised" in text


def _snapshot():
    return DashboardSnapshot.objects.get(quarter=Q4.name)


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_snapshot_whose_worker_is_killed_mid_run_is_rerun_to_exactly_one_complete_result(county, redis_broker_url, tmp_path):  # noqa: F811
    marker = tmp_path / "computing"
    logs = [tmp_path / "killed-worker.log", tmp_path / "second-worker.log"]
    app.control.purge()
    workers = []
    app.conf.task_always_eager = False
    try:
        with logs[0].open("w") as log:
            workers.append(_start_worker("killed", log, redis_broker_url, marker, slow=True))
        snapshot_request(quarter=Q4, requested_by=county.world.users["admin"])  # sent to Redis on commit

        _wait_for(marker.exists, 45, "the first worker to start computing", logs)
        running = _snapshot()
        assert running.status == SnapshotStatus.RUNNING and running.claimed_at is not None
        _kill(workers[0])
        killed = _snapshot()
        assert (killed.status, killed.measures, bytes(killed.pdf)) == (SnapshotStatus.RUNNING, {}, b""), "nothing half-written"

        # Redis gives the unacknowledged message back once the visibility timeout has passed.
        time.sleep(VISIBILITY_TIMEOUT + 1)
        with logs[1].open("w") as log:
            workers.append(_start_worker("second", log, redis_broker_url, marker, slow=False))
        _wait_for(lambda: _snapshot().status in (SnapshotStatus.DONE, SnapshotStatus.FAILED), 45, "the redelivered job to finish", logs)
        # The task stores its result before the worker logs its end: wait for that line before killing.
        _wait_for(lambda: _task_ended(logs[1]), 15, "the second worker to log the end of the job", logs)
    finally:
        app.conf.task_always_eager = True
        for worker in workers:
            _kill(worker)

    snapshot = _snapshot()
    assert (snapshot.status, snapshot.failure_reason) == (SnapshotStatus.DONE, "")
    assert snapshot.measures["cp_children"] == 6 and bytes(snapshot.pdf[:4]) == b"%PDF"
    assert snapshot.computed_at > running.claimed_at and snapshot.claimed_at is None
    assert DashboardSnapshot.objects.count() == 1
    assert logs[1].read_text().count("succeeded") == 1, "the second worker ran the job once"
