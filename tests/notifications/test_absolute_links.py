"""Emails carry absolute links, built from SITE_URL (issue 14)."""

from django.core import mail

from notifications.services import notification_create
from notifications.tasks import absolute_link


def test_a_path_gains_the_site_address(settings):
    settings.SITE_URL = "https://portal.example.org/"
    assert absolute_link("/cases/4/") == "https://portal.example.org/cases/4/"
    assert absolute_link("https://elsewhere.example.org/x") == "https://elsewhere.example.org/x"
    assert absolute_link("") == "https://portal.example.org/"


def test_the_email_links_to_the_portal_absolutely(world, settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://portal.example.org"
    with django_capture_on_commit_callbacks(execute=True):
        notification_create(recipient=world.users["lead_practitioner"], subject="New concern", body="A school recorded a concern.", link="/cases/1/")
    assert mail.outbox[0].body.endswith("Sign in to Neglect Portal to see it: https://portal.example.org/cases/1/")
