"""The referral history rule (referrals/history.py) that the case page, drift, the dashboard and the census share."""

from datetime import date

import pytest

from referrals.history import is_repeat_referral
from referrals.models import Referral
from tests.factories import make_referral

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("earlier_on", "is_neglect", "repeats"),
    [
        (date(2025, 3, 31), False, True),  # the same calendar day a year before, a referral for anything
        (date(2025, 3, 30), True, False),  # a year and a day before
        (date(2026, 3, 30), True, True),
    ],
)
def test_a_repeat_referral_follows_one_made_in_the_12_months_before(world, earlier_on, is_neglect, repeats):
    dsl = world.users["partner_dsl"]
    make_referral(world.case.child, dsl, referred_on=earlier_on, is_neglect=is_neglect)
    later = make_referral(world.case.child, dsl, referred_on=date(2026, 3, 31))
    assert Referral.objects.annotate(repeat=is_repeat_referral()).get(pk=later.pk).repeat is repeats
