"""Reads of the child's voice: the case page's recent voices (the case came through `access_case`)."""

from datetime import date

from cases.models import Case

from .models import ChildVoice

RECENT_VOICES = 10


def voices_for_case_page(*, user, case: Case, today: date) -> list[ChildVoice]:
    """The case's most recent voices, newest first, with who recorded them (registered in `voice/apps.py`)."""
    return list(case.voices.select_related("recorded_by", "agency").order_by("-recorded_on", "-pk")[:RECENT_VOICES])
