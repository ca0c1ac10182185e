"""Recording referrals (referrals/services.py): the outcome and the dates."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from referrals.services import referral_record

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def test_a_referral_outcome_needs_its_date(world):
    with pytest.raises(ValidationError) as error:
        referral_record(
            actor=world.users["csc_practitioner"],
            child=world.case.child,
            referring_agency=world.school,
            referred_on=TODAY,
            is_neglect=True,
            reasons="Hungry",
            outcome="early_help",
        )
    assert error.value.message_dict["outcome_on"] == ["Enter the date of the outcome"]


def test_a_referral_is_not_dated_in_the_future(world):
    with pytest.raises(ValidationError) as error:
        referral_record(
            actor=world.users["csc_practitioner"],
            child=world.case.child,
            referring_agency=world.school,
            referred_on=date(2026, 11, 25),
            is_neglect=True,
            reasons="Hungry",
        )
    assert error.value.message_dict["referred_on"] == ["Date referred must be today or in the past"]
