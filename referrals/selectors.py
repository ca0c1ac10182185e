"""Reads of referrals. Every function takes `user=` and starts from the access layer's visibility rules."""

from datetime import date

from django.db.models import Q

from agencies.access import case_visible, child_visible
from cases.models import Case, Child

from .history import is_repeat_referral
from .models import Referral

REFERRALS_ON_THE_CASE_PAGE = 20


def referrals_with_repeat_flag(*, user, child: Child | None = None):
    """Referrals the user may see (of one child, if given), newest first, each annotated `is_repeat`.

    The rule is `referrals.history.is_repeat_referral`: the same child was referred on an earlier day
    no more than 12 months before. As with plans (plans/selectors.py), earlier referrals are looked for among all of
    the child's referrals.

    A referral is visible on a case the user may see or, before it is linked to a case, when the
    user may see the child.
    """
    visible = Q(case_visible(user)) | Q(child_visible(user), case__isnull=True)
    referrals = Referral.objects.filter(visible)
    if child is not None:
        referrals = referrals.filter(child=child)
    return referrals.annotate(is_repeat=is_repeat_referral()).select_related("child", "referring_agency").order_by("-referred_on", "-pk")


def referrals_for_case_page(*, user, case: Case, today: date) -> list[Referral]:
    """The case page's referrals of the case's child, with the repeat flag (registered in `referrals/apps.py`)."""
    return list(referrals_with_repeat_flag(user=user, child=case.child)[:REFERRALS_ON_THE_CASE_PAGE])
