"""Absence feedback through a real Celery worker on Redis: queued after commit, sent once, and once only.

The clock is real here (a frozen clock would stall the worker's broker timeouts), so dates are
relative to today.
"""

import time
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from conferences.models import AbsenceFeedback, Attendance, ConferenceKind
from conferences.tasks import conference_absence_feedback
from neglect_portal.celery import app
from notifications.models import Notification

from .builders import held_review, record


@pytest.fixture
def frozen_today():
    """Overrides the package's frozen clock for this module."""
    yield


def wait_for(condition, timeout=30):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the worker did not finish in time"
        time.sleep(0.2)


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_tells_the_absent_agency_once(world, redis_broker_url):
    from celery.contrib.testing.worker import start_worker

    assert app.conf.broker_url == redis_broker_url, "test settings point the broker at the test Redis"
    conference = held_review(world, kind=ConferenceKind.CORE_GROUP)
    received = timezone.localdate() - timedelta(days=8)
    app.conf.task_always_eager = False
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            record(
                conference,
                world.users["csc_manager"],
                {world.csc: Attendance.IN_PERSON, world.health: Attendance.VIRTUAL, world.school: Attendance.DID_NOT_ATTEND},
                reports={world.csc: received, world.health: received},
            )
            # The absence feedback (the red flag the absence raises is told too, by its own task).
            feedback_notes = Notification.objects.filter(subject__contains="was absent from")
            wait_for(lambda: feedback_notes.filter(emailed_at__isnull=False).exists())
            feedback = AbsenceFeedback.objects.get()
            assert conference_absence_feedback.delay(feedback.pk).get(timeout=30) == "already sent or being sent"
    finally:
        app.conf.task_always_eager = True
    assert AbsenceFeedback.objects.get().outcome == "Told the agency's safeguarding leads: partner_dsl"
    assert [note.recipient.username for note in feedback_notes] == ["partner_dsl"]
    assert [message.to for message in mail.outbox if "was absent from" in message.subject] == [["partner_dsl@example.org"]]
