import pytest
from django.core.cache import cache

from quality.texting import LocmemTextBackend


@pytest.fixture(autouse=True)
def shipped_question_sets(request):
    """Tests using the database find the shipped sets, even after a transactional test has emptied the tables."""
    if request.node.get_closest_marker("django_db"):
        from .builders import shipped_sets

        shipped_sets()


@pytest.fixture(autouse=True)
def fresh_throttle_and_outbox(settings):
    """The family page's failure counter lives in the cache, and texts in a class list: each test starts with neither."""
    cache.clear()
    LocmemTextBackend.outbox.clear()
    settings.QUALITY_TEXT_BACKEND = "quality.texting.LocmemTextBackend"
    yield
    cache.clear()
