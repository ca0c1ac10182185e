"""Issue 22, finding 4: identifier lookups answer the same whatever the register holds, and are audited.

A police officer (`outsider`) cannot see `world.case`'s child, whose NHS number is KNOWN. Each test sends
the same request twice, once with KNOWN and once with UNKNOWN (a valid number nobody holds): the two
answers must be identical (status, message, fields; only the ids of records made by the request may
differ), the officer must see no more afterwards than before, and each lookup writes exactly one
`child_lookup` audit row (naming the child it matched, so "who looked this child up" is answerable).
"""

import json
import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from agencies.access import cases_visible_to, children_visible_to
from audit.models import AccessEvent, AuditAction
from cases.models import Child

pytestmark = pytest.mark.django_db

KNOWN = "9434765919"
UNKNOWN = "4010232137"
CONCERN = {
    "observed_on": "2026-11-20",
    "neglect_types": ["supervision"],
    "description": "Left alone at home overnight",
    "impact_on_child": "Frightened, tired at school",
    "sharing_reason": "The team needs to know she is left alone",
    "lawful_basis": "public_task",
    "sharing_condition": "safeguarding",
    "family_informed": "yes",
}


@pytest.fixture
def known(world):
    Child.objects.filter(pk=world.case.child_id).update(nhs_number=KNOWN)
    world.case.child.refresh_from_db()
    return world.case.child


def _last_id():
    return AccessEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def _send(client, method, name, data, *, json_body=True):
    """The response and the audit rows the request wrote."""
    before = _last_id()
    if json_body:
        response = client.generic(method, reverse(name), json.dumps(data), content_type="application/json")
    else:
        response = client.post(reverse(name), data)
    return response, list(AccessEvent.objects.filter(id__gt=before).order_by("id"))


def _lookups(rows):
    return [row for row in rows if row.object_type == "child_lookup"]


def _without_new_ids(body, *keys):
    return {key: value for key, value in body.items() if key not in keys}


def _identifiers(child, nhs_number, **changes):
    """The known child's own details with KNOWN; a child nobody holds (Mia Stone) with UNKNOWN."""
    if nhs_number == KNOWN:
        details = {"given_name": child.given_name, "family_name": child.family_name, "date_of_birth": child.date_of_birth.isoformat()}
    else:
        details = {"given_name": "Mia", "family_name": "Stone", "date_of_birth": "2019-04-02"}
    return {**details, "nhs_number": nhs_number, **changes}


def test_a_concern_by_nhs_number_alone_answers_the_same_and_is_audited(world, client_for, known):
    officer = client_for(world.users["outsider"])
    answers = [_send(officer, "POST", "api:concern-list", {**CONCERN, "child_identifiers": {"nhs_number": number}}) for number in (KNOWN, UNKNOWN)]
    (first, first_rows), (second, second_rows) = answers
    assert first.status_code == second.status_code
    assert first.json() == second.json()
    assert [len(first_rows), len(second_rows)] == [1, 1]
    assert [len(_lookups(first_rows)), len(_lookups(second_rows))] == [1, 1]
    assert first_rows[0].child_id == known.pk and second_rows[0].child_id is None
    assert not cases_visible_to(world.users["outsider"]).filter(pk=world.case.pk).exists()


def test_a_full_concern_by_identifiers_answers_the_same_and_opens_nothing(world, client_for, known):
    officer_user = world.users["outsider"]
    officer = client_for(officer_user)
    visible_before = set(children_visible_to(officer_user).values_list("pk", flat=True))
    (first, first_rows), (second, second_rows) = [
        _send(officer, "POST", "api:concern-list", {**CONCERN, "child_identifiers": _identifiers(known, number)}) for number in (KNOWN, UNKNOWN)
    ]
    assert first.status_code == second.status_code == 201
    assert _without_new_ids(first.json(), "reference") == _without_new_ids(second.json(), "reference")
    assert set(first.json()) == {"reference", "detail"}
    assert [len(_lookups(first_rows)), len(_lookups(second_rows))] == [1, 1]
    assert _lookups(first_rows)[0].child_id == known.pk
    assert set(children_visible_to(officer_user).values_list("pk", flat=True)) == visible_before
    assert world.case.concerns.count() == 1


def test_a_contradicted_match_answers_like_an_unknown_child(world, client_for, known):
    officer = client_for(world.users["outsider"])
    (first, _), (second, _) = [
        _send(officer, "POST", "api:concern-list", {**CONCERN, "child_identifiers": _identifiers(known, number, given_name="Someone")})
        for number in (KNOWN, UNKNOWN)
    ]
    assert first.status_code == second.status_code == 201
    assert _without_new_ids(first.json(), "reference") == _without_new_ids(second.json(), "reference")


def _message(response):
    return [re.sub(r"\d+", "N", str(message)) for message in get_messages(response.wsgi_request)]


def test_the_concern_page_answers_the_same_whatever_the_register_holds(world, client_for, known):
    form = CONCERN
    (first, first_rows), (second, second_rows) = [  # a client each, so that each answer's messages are its own
        _send(client_for(world.users["outsider"]), "POST", "cases:concern_new", {**form, **_identifiers(known, number)}, json_body=False)
        for number in (KNOWN, UNKNOWN)
    ]
    assert (first.status_code, first["Location"]) == (second.status_code, second["Location"]) == (302, reverse("home"))
    assert _message(first) == _message(second) and _message(first)
    assert [len(_lookups(first_rows)), len(_lookups(second_rows))] == [1, 1]


def test_registering_a_child_answers_the_same_whatever_the_register_holds(world, client_for, known):
    officer = client_for(world.users["outsider"])
    child = {"given_name": "Mia", "family_name": "Stone", "date_of_birth": "2019-04-02"}
    (first, first_rows), (second, second_rows) = [_send(officer, "POST", "api:child-list", {**child, "nhs_number": number}) for number in (KNOWN, UNKNOWN)]
    assert first.status_code == second.status_code == 201
    assert _without_new_ids(first.json(), "id") == _without_new_ids(second.json(), "id")
    assert [len(_lookups(first_rows)), len(_lookups(second_rows))] == [1, 1]
    assert _lookups(first_rows)[0].child_id == known.pk and _lookups(second_rows)[0].child_id is None
    assert not cases_visible_to(world.users["outsider"]).filter(pk=world.case.pk).exists()
    assert Child.objects.get(pk=known.pk).nhs_number == KNOWN


def test_each_lookup_row_is_a_view_naming_no_identifier(world, client_for, known):
    _, rows = _send(client_for(world.users["outsider"]), "POST", "api:concern-list", {**CONCERN, "child_identifiers": _identifiers(known, KNOWN)})
    [lookup] = _lookups(rows)
    assert lookup.action == AuditAction.VIEW
    assert KNOWN not in lookup.detail + lookup.path and known.family_name not in lookup.detail
