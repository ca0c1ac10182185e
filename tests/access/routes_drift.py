"""Access-matrix rows for drift and delay (issue 7): the manager queue, acknowledging a flag, the API."""

from datetime import timedelta

from django.utils import timezone

from .matrix import CASE_LEAD_OVERSEERS, CASE_OVERSEERS, CASE_VISIBLE, Row, api, page
from .routes_cases import visible_only

# Acknowledging a flag is oversight of the case: the lead agency's managers and DSLs, or children's social care's (issue 22, finding 2).
LEAD_OVERSEERS = CASE_LEAD_OVERSEERS


def acknowledge_ids(world):
    """`world.case` has had no oversight since it opened (5 January 2026): `no_oversight` applies."""
    return {"case_id": world.case.pk, "code": "no_oversight"}


def decision(world):
    return {"reason": "Supervision booked for next week", "review_on": (timezone.localdate() + timedelta(days=14)).isoformat()}


def _redirects_when_allowed(allowed):
    return {kind: 302 if status == 200 else status for kind, status in visible_only(allowed).items()}


ROUTES = {
    ("drift:queue", "GET"): Row(page(CASE_OVERSEERS)),
    ("drift:acknowledge", "GET"): Row(visible_only(LEAD_OVERSEERS), kwargs=acknowledge_ids),
    ("drift:acknowledge", "POST"): Row(_redirects_when_allowed(LEAD_OVERSEERS), kwargs=acknowledge_ids, data=decision),
    ("api:case-flags", "GET"): Row(api(CASE_VISIBLE), kwargs=lambda w: {"pk": w.case.pk}),
    ("api:drift-queue", "GET"): Row(api(CASE_OVERSEERS, denied=403)),
}
