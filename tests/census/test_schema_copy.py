"""The shipped schema is the partnership's shared copy, unchanged."""

from pathlib import Path

import pytest
from django.conf import settings

from census.export import SHIPPED_SCHEMA

SHARED = Path(settings.BASE_DIR).parent / "shared" / "standards" / "cin" / "CIN_schema_2026.xsd"


def test_shipped_schema_equals_the_shared_standard():
    if not SHARED.exists():
        pytest.skip("shared/standards is not beside this clone (CI has it)")
    assert SHIPPED_SCHEMA.read_bytes() == SHARED.read_bytes()
