import pytest
import time_machine


@pytest.fixture
def frozen_today():
    """Pages date new runs today: the clock stands at 10 March 2026, noon in London."""
    with time_machine.travel("2026-03-10 12:00 +0000", tick=False):
        yield
