"""The partnership's name from the profile page reaches the header, e-mails and PDFs; the setting is the fallback."""

import pytest
from django.core import mail
from django.urls import reverse

from notifications.services import notification_create
from partnership.models import PartnershipProfile
from partnership.selectors import partnership_name

pytestmark = pytest.mark.django_db


def _name(name):
    PartnershipProfile.objects.update_or_create(pk=PartnershipProfile.SINGLETON_ID, defaults={"name": name})


def test_the_setting_is_the_name_until_an_admin_gives_one(settings):
    settings.PARTNERSHIP_NAME = "Shire Safeguarding Children Partnership"
    assert partnership_name() == "Shire Safeguarding Children Partnership"
    _name("")
    assert partnership_name() == "Shire Safeguarding Children Partnership"
    _name("Vale Safeguarding Partnership")
    assert partnership_name() == "Vale Safeguarding Partnership"


def test_the_header_shows_the_profiles_name(world, client_for):
    _name("Vale Safeguarding Partnership")
    page = client_for(world.users["lead_practitioner"]).get(reverse("home"))
    assert '<span class="govuk-header__logotype-text">Vale Safeguarding Partnership</span>' in page.content.decode()


def test_notification_e_mails_carry_the_profiles_name(world, django_capture_on_commit_callbacks):
    _name("Vale Safeguarding Partnership")
    with django_capture_on_commit_callbacks(execute=True):
        notification_create(recipient=world.users["lead_practitioner"], subject="New concern", body="b", link="/")
    assert [m.subject for m in mail.outbox] == ["[Vale Safeguarding Partnership] New concern"]
