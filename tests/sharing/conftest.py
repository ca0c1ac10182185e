"""Moved from tests/cases/ with their app: the same frozen clock as case work (Tuesday 24 November 2026)."""

from tests.cases.conftest import frozen_today  # noqa: F401  (autouse fixture)
