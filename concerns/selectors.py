"""Reads of concerns: the case page's recent concerns and the home page's "your recent concerns".

Both start from what the access layer lets the user see (the case came through `access_case`; the
user's own concerns are filtered by `case_visible`).
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch

from agencies import access
from agencies.access import case_visible
from cases.home_page import Listed
from cases.models import Case

from .models import Concern, ConcernAmendment

RECENT_CONCERNS = 20
RECENT_CONCERNS_ON_THE_HOME_PAGE = 10


@dataclass(frozen=True)
class CaseConcerns:
    """The case page's "Recent concerns": each with `amendments.all()` and `latest_version`, and those this user may amend."""

    concerns: list[Concern]
    amendable_ids: set[int]


def _recent_concerns(case):
    amendments = ConcernAmendment.objects.select_related("recorded_by", "agency").order_by("created_at", "pk")
    return (
        case.concerns.select_related("recorded_by", "agency")
        .prefetch_related(Prefetch("amendments", queryset=amendments), "agencies_told")
        .order_by("-created_at", "-pk")[:RECENT_CONCERNS]
    )


def concerns_for_case_page(*, user, case: Case, today: date) -> CaseConcerns:
    """The case page's recent concerns (registered in `concerns/apps.py`).

    The "Amend" link shows only on the concerns this user's agency recorded (others would get 403).
    """
    concerns = list(_recent_concerns(case))
    return CaseConcerns(concerns=concerns, amendable_ids={concern.pk for concern in concerns if access.can_amend_concern(user, concern)})


def my_recent_concerns(*, user):
    """The concerns the user recorded most recently, on cases they may still see."""
    return (
        Concern.objects.filter(case_visible(user), recorded_by=user).select_related("case", "child", "agency").order_by("-created_at", "-pk")[:RECENT_CONCERNS]
    )


def concerns_for_home_page(*, user, today: date) -> Listed:
    """The home page's "Your recent concerns" (registered in `concerns/apps.py`), and the children they name."""
    rows = list(my_recent_concerns(user=user)[:RECENT_CONCERNS_ON_THE_HOME_PAGE])
    return Listed(rows=rows, child_ids=[concern.child_id for concern in rows])
