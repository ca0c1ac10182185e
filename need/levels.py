"""The four levels of need, their order, and the partnership's own words for them.

The codes are the case's `threshold` (cases/models.py, `Threshold`): universal, universal plus,
targeted early help and specialist/statutory. Partnerships name the levels differently ("Level 3",
"Early Help"), so the words shown come from the setting `PARTNERSHIP_LEVEL_LABELS` (JSON over the
defaults, by code); the codes, the order and every rule stay the same everywhere. A setting rather
than a field on the partnership profile: the labels change once, when a partnership adopts its
threshold document, and every page, chronology entry and notification must read the same words.
"""

from django.conf import settings

from cases.models import Threshold

# Lowest to highest: a move to a later level is a step up, to an earlier one a step down.
ORDER = (Threshold.UNIVERSAL, Threshold.UNIVERSAL_PLUS, Threshold.TARGETED_EARLY_HELP, Threshold.SPECIALIST)


def level_labels() -> dict[str, str]:
    """{code: the partnership's label}, lowest level first; unknown codes in the setting are ignored."""
    configured = getattr(settings, "PARTNERSHIP_LEVEL_LABELS", {}) or {}
    return {level.value: str(configured.get(level.value) or level.label) for level in ORDER}


def level_label(code: str) -> str:
    return level_labels().get(code, code)


def level_choices() -> list[tuple[str, str]]:
    return list(level_labels().items())


def is_step_down(from_level: str, to_level: str) -> bool:
    return ORDER.index(to_level) < ORDER.index(from_level)


def is_step_up(from_level: str, to_level: str) -> bool:
    return ORDER.index(to_level) > ORDER.index(from_level)
