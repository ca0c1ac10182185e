from datetime import date

import pytest
import time_machine

TODAY = date(2026, 11, 24)


@pytest.fixture(autouse=True)
def frozen_today():
    """Drift is all about dates: the clock stands at Tuesday 24 November 2026, noon in London."""
    with time_machine.travel("2026-11-24 12:00 +0000", tick=False):
        yield
