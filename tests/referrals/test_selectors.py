"""Reading referrals (referrals/selectors.py): the repeat flag and who may see a referral."""

from datetime import date

import pytest

from referrals.selectors import referrals_with_repeat_flag
from tests.factories import make_child, make_referral

from .conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("earlier_on", "is_repeat"),
    [
        (date(2025, 11, 24), True),  # exactly 12 months before
        (date(2025, 11, 23), False),  # 12 months and a day before
        (date(2026, 11, 23), True),  # the day before
    ],
)
def test_a_referral_repeats_one_made_within_the_12_months_before(world, earlier_on, is_repeat):
    dsl = world.users["partner_dsl"]
    make_referral(world.case.child, dsl, referred_on=earlier_on, case=world.case)
    later = make_referral(world.case.child, dsl, referred_on=TODAY, case=world.case)
    flags = {referral.pk: referral.is_repeat for referral in referrals_with_repeat_flag(user=dsl)}
    assert flags[later.pk] is is_repeat


def test_from_29_february_the_repeat_window_starts_on_1_march_of_the_year_before(world):
    dsl = world.users["partner_dsl"]
    make_referral(world.case.child, dsl, referred_on=date(2023, 2, 28), case=world.case)
    on_leap_day = make_referral(world.case.child, dsl, referred_on=date(2024, 2, 29), case=world.case)
    assert referrals_with_repeat_flag(user=dsl).get(pk=on_leap_day.pk).is_repeat is False


def test_a_referral_of_another_child_does_not_make_a_repeat(world):
    dsl = world.users["partner_dsl"]
    make_referral(make_child(), dsl, referred_on=date(2026, 10, 1))
    referral = make_referral(world.case.child, dsl, referred_on=TODAY, case=world.case)
    assert referrals_with_repeat_flag(user=dsl).get(pk=referral.pk).is_repeat is False


def test_referrals_of_a_child_the_user_cannot_see_are_not_listed(world):
    make_referral(world.case.child, world.users["partner_dsl"], referred_on=TODAY)
    assert not referrals_with_repeat_flag(user=world.users["outsider"]).exists()
