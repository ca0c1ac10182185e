import pytest
from django.core.cache import cache

from quality.texting import LocmemTextBackend


@pytest.fixture(autouse=True)
def fresh_throttle_and_outbox(settings):
    """The family page's failure counter lives in the cache, and texts in a class list: each test starts with neither."""
    cache.clear()
    LocmemTextBackend.outbox.clear()
    settings.QUALITY_TEXT_BACKEND = "quality.texting.LocmemTextBackend"
    yield
    cache.clear()
