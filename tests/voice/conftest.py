"""Child's voice tests run on a frozen clock: "today" is Tuesday 24 November 2026 (noon, London)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

TODAY = date(2026, 11, 24)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime(2026, 11, 24, 12, 0, tzinfo=ZoneInfo("Europe/London")), tick=False):
        yield
