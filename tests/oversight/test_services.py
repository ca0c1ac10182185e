"""Recording management oversight (oversight/services.py)."""

import pytest
from django.core.exceptions import ValidationError

from oversight.services import oversight_record

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def test_the_next_oversight_review_must_come_after_this_one(world):
    with pytest.raises(ValidationError) as error:
        oversight_record(
            actor=world.users["lead_manager"],
            case=world.case,
            recorded_on=TODAY,
            decision="Continue",
            reasons="Progress",
            next_review_on=TODAY,
        )
    assert error.value.message_dict["next_review_on"] == ["The next review date must be after the date of this oversight"]
