"""Reads of management oversight: the case page's reviews and a manager's cases to oversee.

Both start from the access layer: the case page's case came through `access_case`, and the cases to
oversee are `cases.selectors.agency_cases`, which starts from `cases_visible_to`.
"""

from datetime import date

from django.db.models import OuterRef, Subquery

from cases.models import Case
from cases.selectors import agency_cases

from .models import Oversight

CASES_TO_OVERSEE_PAGE = 50


def oversights_for_case_page(*, user, case: Case, today: date) -> list[Oversight]:
    """The case's oversight reviews, newest first, with their managers (registered in `oversight/apps.py`)."""
    return list(case.oversights.select_related("manager").order_by("-recorded_on", "-pk"))


def cases_to_oversee(*, user):
    """`agency_cases`, newest first, each with `last_oversight_on` (None when never overseen).

    The manager's "cases to oversee" list, paged by the view; the date is a subquery per shown case
    rather than every oversight of every case (issue 18: the list's cost does not grow with them).
    """
    latest = Oversight.objects.filter(case_id=OuterRef("pk")).order_by("-recorded_on").values("recorded_on")[:1]
    return agency_cases(user=user).annotate(last_oversight_on=Subquery(latest))
