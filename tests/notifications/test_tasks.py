"""Notification emails: once each, through a real Celery worker on Redis as well as in-process."""

import pytest
from celery.exceptions import Retry
from django.conf import settings
from django.core import mail

from neglect_portal.celery import app
from notifications.models import Notification
from notifications.services import notification_create
from notifications.tasks import notification_email


def test_notification_is_emailed_once_after_commit(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        note = notification_create(recipient=world.users["lead_practitioner"], subject="New concern", body="A school recorded a concern.", link="/cases/1/")
    assert len(mail.outbox) == 1
    assert notification_email.delay(note.pk).get() == "already sent or being sent"
    assert len(mail.outbox) == 1
    note.refresh_from_db()
    assert note.emailed_at is not None


def test_mail_server_down_releases_the_claim_for_the_retry(world, monkeypatch):
    note = Notification.objects.create(recipient=world.users["lead_practitioner"], subject="s", body="b")

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("notifications.tasks.send_mail", refuse)
    with pytest.raises(Retry):
        notification_email.apply(args=[note.pk], throw=True)
    note.refresh_from_db()
    assert (note.email_claimed_at, note.emailed_at) == (None, None)


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_on_redis_sends_the_notification(world, redis_broker_url):
    from celery.contrib.testing.worker import start_worker

    note = Notification.objects.create(recipient=world.users["lead_practitioner"], subject="Conference absence", body="b")
    assert app.conf.broker_url == redis_broker_url, "test settings point the broker at the test Redis"
    app.conf.task_always_eager = False
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            result = notification_email.delay(note.pk)
            assert result.get(timeout=30) == "sent"
            again = notification_email.delay(note.pk)
            assert again.get(timeout=30) == "already sent or being sent"
    finally:
        app.conf.task_always_eager = True
    assert [m.subject for m in mail.outbox] == [f"[{settings.PARTNERSHIP_NAME}] Conference absence"]
