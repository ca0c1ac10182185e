"""Reads of the level of need: the case's level in the partnership's words and its decisions."""

from dataclasses import dataclass

from agencies import access

from .levels import level_label
from .models import LevelOfNeedDecision


@dataclass(frozen=True)
class LevelOfNeed:
    """The case page's level of need: now, how it got there, and whether the reader may change it."""

    code: str
    label: str
    history: list
    can_change: bool


def level_of_need_history(*, user, case) -> list[LevelOfNeedDecision]:
    """The case's level-of-need decisions, newest first; none unless `user` may see the case."""
    if not access.cases_visible_to(user).filter(pk=case.pk).exists():
        return []
    return list(
        LevelOfNeedDecision.objects.filter(case_id=case.pk).select_related("decided_by", "early_help_lead").order_by("-decided_on", "-created_at", "-pk")
    )


def level_of_need(*, user, case) -> LevelOfNeed:
    return LevelOfNeed(
        code=case.threshold,
        label=level_label(case.threshold),
        history=level_of_need_history(user=user, case=case),
        can_change=case.is_open and access.can_change_level_of_need(user, case),
    )


def level_of_need_for_case_page(*, user, case, today) -> LevelOfNeed:
    """The case page's provider (cases/case_page.py): `today` is not needed, decisions are what they are."""
    return level_of_need(user=user, case=case)
