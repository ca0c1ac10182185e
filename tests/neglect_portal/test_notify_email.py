"""Email through GOV.UK Notify (neglect_portal/notify_email.py) against a fake Notify API on 127.0.0.1.

The fake is a real HTTP server: the Notify client signs its request, sends it over the network and
reads the answer, as it would with Notify. The server checks the signature with the key's secret.
"""

import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
from celery.exceptions import Retry
from django.core import mail

from neglect_portal.notify_email import NotifyRefused
from notifications.models import Notification
from notifications.tasks import notification_email

SERVICE_ID = str(uuid.uuid4())
SECRET = str(uuid.uuid4())
API_KEY = f"test_key-{SERVICE_ID}-{SECRET}"
TEMPLATE_ID = str(uuid.uuid4())


class FakeNotify(BaseHTTPRequestHandler):
    """Answers POST /v2/notifications/email as Notify does; `server.status` chooses the answer."""

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        token = self.headers["Authorization"].removeprefix("Bearer ")
        claims = jwt.decode(token, SECRET, algorithms=["HS256"])
        self.server.received.append({"path": self.path, "body": body, "issuer": claims["iss"]})
        status = self.server.status
        answer = {"id": str(uuid.uuid4()), "content": {"subject": body["personalisation"]["subject"]}} if status == 201 else {"errors": [{"error": "Error"}]}
        payload = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def notify(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeNotify)
    server.received, server.status = [], 201
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.EMAIL_BACKEND = "neglect_portal.notify_email.NotifyEmailBackend"
    settings.NOTIFY_API_KEY = API_KEY
    settings.NOTIFY_EMAIL_TEMPLATE_ID = TEMPLATE_ID
    settings.NOTIFY_BASE_URL = f"http://127.0.0.1:{server.server_address[1]}"
    settings.NOTIFY_TIMEOUT_SECONDS = 5
    yield server
    server.shutdown()
    server.server_close()


def test_an_email_goes_to_notify_with_its_subject_and_body(notify):
    sent = mail.send_mail("Your password link", "Set your password here.", "portal@example.org", ["a@example.org", "b@example.org"])
    assert sent == 2
    assert [r["body"]["email_address"] for r in notify.received] == ["a@example.org", "b@example.org"]
    first = notify.received[0]
    assert first["path"] == "/v2/notifications/email"
    assert first["body"]["template_id"] == TEMPLATE_ID
    assert first["body"]["personalisation"] == {"subject": "Your password link", "body": "Set your password here."}
    assert first["issuer"] == SERVICE_ID


def test_a_notification_is_emailed_through_notify_once(world, notify):
    note = Notification.objects.create(recipient=world.users["lead_practitioner"], subject="New concern", body="A school recorded a concern.", link="/cases/1/")
    assert notification_email.apply(args=[note.pk]).get() == "sent"
    assert notification_email.apply(args=[note.pk]).get() == "already sent or being sent"
    assert len(notify.received) == 1
    personalisation = notify.received[0]["body"]["personalisation"]
    assert personalisation["subject"].endswith("] New concern")
    assert "A school recorded a concern." in personalisation["body"]


def test_notify_unavailable_releases_the_claim_for_the_retry(world, notify):
    notify.status = 503
    note = Notification.objects.create(recipient=world.users["lead_practitioner"], subject="s", body="b")
    with pytest.raises(Retry):
        notification_email.apply(args=[note.pk], throw=True)
    note.refresh_from_db()
    assert (note.email_claimed_at, note.emailed_at) == (None, None)


def test_a_refusal_is_not_retried_as_if_notify_were_down(notify):
    notify.status = 400
    with pytest.raises(NotifyRefused):
        mail.send_mail("s", "b", "portal@example.org", ["not-an-address@example.org"])
    assert mail.send_mail("s", "b", "portal@example.org", ["x@example.org"], fail_silently=True) == 0
