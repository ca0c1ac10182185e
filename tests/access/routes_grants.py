"""Access-matrix rows for explicit case grants (issue 22, hardening): partnership admins only.

The page names cases by number; granting and revoking redirect to the list. `world` already holds
one grant (world.case to the `granted` police officer, tests/conftest.py), which the revoke row ends.
"""

from datetime import timedelta

from django.utils import timezone

from cases.models import CaseUserObjectPermission

from .matrix import ADMIN, Row, page


def grant_form(world):
    until = (timezone.localdate() + timedelta(days=30)).isoformat()
    return {"case_number": world.case.pk, "agency": world.police.pk, "reason": "Joint investigation with the police", "expires_on": until}


def the_worlds_grant(world):
    return {"kind": "user", "grant_id": CaseUserObjectPermission.objects.get(user=world.users["granted"]).pk}


ROUTES = {
    ("agencies:case_grants", "GET"): Row(page(ADMIN)),
    ("agencies:case_grants", "POST"): Row(page(ADMIN, allowed_status=302), data=grant_form),
    ("agencies:case_grant_revoke", "POST"): Row(page(ADMIN, allowed_status=302), kwargs=the_worlds_grant),
}
