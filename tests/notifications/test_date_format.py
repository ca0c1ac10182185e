"""Notifications write dates one way, the GOV.UK way: "1 November 2026" (issue 20, item 4)."""

from datetime import date

from neglect_portal.dates import long_date
from notifications.models import Notification
from tests.factories import make_concern


def test_long_date_has_no_leading_zero_and_the_month_in_full():
    assert long_date(date(2026, 11, 1)) == "1 November 2026"
    assert long_date(date(2026, 12, 25)) == "25 December 2026"


def test_a_concern_notification_writes_its_date_the_same_way(world):
    make_concern(world.case, world.users["partner_practitioner"], observed_on=date(2026, 11, 1))
    bodies = list(Notification.objects.filter(recipient=world.users["lead_practitioner"]).values_list("body", flat=True))
    assert any("observed on 1 November 2026." in body for body in bodies), bodies
    assert not any("01 November" in body for body in bodies)
