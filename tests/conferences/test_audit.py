"""Every conference page and endpoint writes exactly one audit row per read or write (allowed requests)."""

import json

import pytest
from django.urls import reverse

from audit.models import AccessEvent, AuditAction
from tests.access.routes_conferences import ROUTES

from .builders import held_review


def _request(client, method, url, data, encoding):
    if method == "GET":
        return client.get(url, data)
    if encoding == "json":
        return client.generic(method, url, json.dumps(data), content_type="application/json")
    return client.post(url, data)


@pytest.mark.parametrize(("name", "method"), sorted(ROUTES), ids=[f"{n}-{m}" for n, m in sorted(ROUTES)])
def test_one_audit_row_per_request(world, client_for, name, method):
    row = ROUTES[(name, method)]
    # Children's social care's manager, or for a partner's own route (recording its report) the school's DSL.
    kind = "csc_manager" if row.expected["csc_manager"] < 400 else "partner_dsl"
    client = client_for(world.users[kind])
    url = reverse(name, kwargs=row.kwargs(world))
    data = row.data(world)
    last = AccessEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    response = _request(client, method, url, data, row.encoding)
    assert response.status_code == row.expected[kind], response.content[:500]
    events = list(AccessEvent.objects.filter(pk__gt=last))
    assert len(events) == 1, [(e.action, e.object_type, e.detail) for e in events]
    assert events[0].action in ({AuditAction.VIEW} if method == "GET" else {AuditAction.CREATE, AuditAction.UPDATE})
    assert events[0].username == kind


@pytest.mark.parametrize(
    ("kind", "name", "status"),
    [("outsider", "conferences:conference_detail", 404), ("lead_practitioner", "conferences:conference_attendance", 403)],
)
def test_a_refusal_writes_one_denied_row(world, client_for, kind, name, status):
    client = client_for(world.users[kind])
    url = reverse(name, kwargs={"conference_id": held_review(world).pk})
    last = AccessEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    assert client.get(url).status_code == status
    events = [(e.action, e.object_type, e.username) for e in AccessEvent.objects.filter(pk__gt=last)]
    assert events == [(AuditAction.DENIED, "conference", kind)]
