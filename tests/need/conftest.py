import pytest
import time_machine


@pytest.fixture(autouse=True)
def frozen_today():
    """Tuesday 24 November 2026, noon in London."""
    with time_machine.travel("2026-11-24 12:00 +0000", tick=False):
        yield
