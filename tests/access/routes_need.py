"""Access-matrix rows for the level of need (issue 15 item 2): the page to step a case up or down.

`world.case` is at targeted early help, led by the health trust: its managers and DSLs decide, and
children's social care's; the school (a partner) sees the case but may not (403 with the reason).
"""

from datetime import timedelta

from django.utils import timezone

from .matrix import CASE_LEAD_OVERSEERS, Row
from .routes_cases import case_id, visible_only


def step_down(world):
    return {
        "to_level": "universal_plus",
        "reasons": "Needs met by the school's pastoral support",
        "review_on": (timezone.localdate() + timedelta(days=28)).isoformat(),
    }


def _redirects_when_allowed(allowed):
    return {kind: 302 if status == 200 else status for kind, status in visible_only(allowed).items()}


ROUTES = {
    ("need:change", "GET"): Row(visible_only(CASE_LEAD_OVERSEERS), kwargs=case_id),
    ("need:change", "POST"): Row(_redirects_when_allowed(CASE_LEAD_OVERSEERS), kwargs=case_id, data=step_down),
}
