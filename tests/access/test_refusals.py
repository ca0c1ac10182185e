"""Every refusal goes through the access layer and writes exactly one audit row (issue 19, item 3).

Before: another agency amending a concern had its GET logged as an allowed read and its POST logged
nothing; services raised PermissionDenied on their own. Now the access layer refuses (one DENIED row,
the reason on the 403 page), and no other module raises PermissionDenied or writes a DENIED row.
"""

import ast
import html
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from audit.models import AccessEvent, AuditAction
from concerns.models import ConcernAmendment
from concerns.services import concern_amend
from tests.factories import make_concern

ROOT = Path(__file__).resolve().parents[2]
AMEND_REASON = "Only the agency that recorded a concern can amend it"
AMENDMENT = {
    "observed_on": "2026-11-01",
    "neglect_types": ["physical"],
    "description": "Corrected words",
    "impact_on_child": "Cold",
    "reason": "Typed the wrong date",
}


def _rows_during(act):
    before = AccessEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    result = act()
    return result, list(AccessEvent.objects.filter(id__gt=before))


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_another_agency_amending_a_concern_is_refused_once_with_the_reason(world, client_for, method):
    concern = make_concern(world.case, world.users["lead_practitioner"])
    url = reverse("cases:concern_amend", args=[world.case.pk, concern.pk])
    client = client_for(world.users["partner_practitioner"])
    response, rows = _rows_during(lambda: client.get(url) if method == "GET" else client.post(url, AMENDMENT))
    assert response.status_code == 403
    assert AMEND_REASON in html.unescape(response.content.decode())
    assert [(row.action, row.object_type, row.child_id) for row in rows] == [(AuditAction.DENIED, "concern", world.case.child_id)]
    assert not ConcernAmendment.objects.exists()


def test_the_recording_agency_reads_the_amend_page_with_one_view_row(world, client_for):
    concern = make_concern(world.case, world.users["lead_practitioner"])
    client = client_for(world.users["lead_manager"])
    response, rows = _rows_during(lambda: client.get(reverse("cases:concern_amend", args=[world.case.pk, concern.pk])))
    assert response.status_code == 200
    assert [(row.action, row.object_type) for row in rows] == [(AuditAction.VIEW, "concern")]


def test_a_concern_on_another_case_answers_404(world, client_for):
    concern = make_concern(world.case, world.users["lead_practitioner"])
    response = client_for(world.users["lead_manager"]).get(reverse("cases:concern_amend", args=[world.case.pk + 1000, concern.pk]))
    assert response.status_code == 404


def test_the_service_refuses_another_agency_with_one_audit_row(world):
    concern = make_concern(world.case, world.users["lead_practitioner"])

    def amend():
        with pytest.raises(PermissionDenied, match=AMEND_REASON):
            concern_amend(
                actor=world.users["partner_practitioner"],
                concern=concern,
                reason="x",
                observed_on=concern.observed_on,
                neglect_types=["physical"],
                description="x",
                impact_on_child="x",
            )

    _, rows = _rows_during(amend)
    assert [row.action for row in rows] == [AuditAction.DENIED]


def _product_files():
    skipped = {"tests", "bench", "node_modules", "static", "var", ".venv"}
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in skipped or relative.parts[0].startswith(".") or "migrations" in relative.parts:
            continue
        yield relative.as_posix(), path


def _called(call):
    return call.func.id if isinstance(call.func, ast.Name) else call.func.attr if isinstance(call.func, ast.Attribute) else ""


def test_no_module_but_the_access_layer_raises_permission_denied_or_writes_a_denial():
    offences = []
    for relative, path in _product_files():
        if relative == "agencies/access.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Raise) and node.exc is not None:
                raised = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
                name = raised.id if isinstance(raised, ast.Name) else raised.attr if isinstance(raised, ast.Attribute) else ""
                if name == "PermissionDenied":
                    offences.append(f"{relative}:{node.lineno}: raises PermissionDenied")
            if (
                isinstance(node, ast.Call)
                and _called(node) in ("audit_record", "create")
                and any(keyword.arg == "action" and isinstance(keyword.value, ast.Attribute) and keyword.value.attr == "DENIED" for keyword in node.keywords)
            ):
                offences.append(f"{relative}:{node.lineno}: writes a DENIED audit row")
    assert offences == [], "Refuse through agencies/access.py (require, refusal_record, access_*):\n" + "\n".join(offences)
