"""Retention tests run on a frozen clock: "today" is Tuesday 24 November 2026 (noon, London)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from cases.models import Threshold
from cases.services import case_close
from tests.factories import make_case, make_child

TODAY = date(2026, 11, 24)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime(2026, 11, 24, 12, 0, tzinfo=ZoneInfo("Europe/London")), tick=False):
        yield


def closed_case(world, *, born, closed_on, opened_on=None, threshold=Threshold.TARGETED_EARLY_HELP, child=None, **child_fields):
    """A child (new unless given) with one case closed on `closed_on`."""
    child = child or make_child(date_of_birth=born, **child_fields)
    case = make_case(world.health, child=child, opened_on=opened_on or closed_on, threshold=threshold)
    case_close(actor=world.users["lead_manager"], case=case, closed_on=closed_on, closure_reason="Outcomes met")
    return case
