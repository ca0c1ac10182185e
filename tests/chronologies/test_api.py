"""The chronology API: filterable lists, creating and amending entries, a child's patterns; 400, 403, 404."""

import json
from datetime import date

import pytest
from django.urls import reverse

from audit.models import AccessEvent, AuditAction
from chronologies.models import ChronologyEntry, EntryKind, Significance
from tests.factories import make_concern

from .builders import make_entry

pytestmark = pytest.mark.django_db

POLICE_SECRET = "Intelligence: adult under investigation"
LIST = reverse("api:chronology-entry-list")


def post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def content(**changes):
    return {"occurred_on": "2026-11-20", "kind": "home_visit", "summary": "No heating.", "impact_on_child": "Cold at night.", **changes}


def new_entry(child_id, **changes):
    return {"child": child_id, **content(**changes)}


@pytest.fixture
def police_secret(world):
    return make_entry(world.case.child, world.users["granted"], kind=EntryKind.POLICE_CALL_OUT, summary=POLICE_SECRET, restricted=True)


def summaries(response):
    assert response.status_code == 200
    return [entry["summary"] for entry in response.json()["results"]]


def test_the_list_leaves_out_restricted_entries_the_caller_may_not_see(world, client_for, police_secret):
    make_entry(world.case.child, world.users["partner_practitioner"], summary="School visit")
    query = {"child": world.case.child_id}
    assert summaries(client_for(world.users["partner_practitioner"]).get(LIST, query)) == ["School visit"]
    assert POLICE_SECRET in summaries(client_for(world.users["csc_practitioner"]).get(LIST, query))


def test_the_list_filters_like_the_page(world, client_for):
    make_concern(world.case, world.users["lead_practitioner"], observed_on=date(2026, 9, 1), neglect_types=("medical",), description="Untreated rash")
    make_entry(world.case.child, world.users["partner_practitioner"], summary="School visit", occurred_on=date(2026, 10, 1))
    client = client_for(world.users["lead_practitioner"])
    assert summaries(client.get(LIST, {"neglect_type": "medical"})) == ["Untreated rash"]
    assert summaries(client.get(LIST, {"agency": world.school.pk})) == ["School visit"]
    assert summaries(client.get(LIST, {"order": "oldest"})) == ["Untreated rash", "School visit"]


def test_a_bad_filter_answers_400_with_the_field(world, client_for):
    response = client_for(world.users["lead_practitioner"]).get(LIST, {"date_from": "soon"})
    assert response.status_code == 400 and response.json() == {"date_from": ["Enter a real date, for example 2026-03-14"]}


def test_the_list_writes_one_audit_row(world, client_for):
    client = client_for(world.users["lead_practitioner"])
    before = AccessEvent.objects.count()
    client.get(LIST, {"child": world.case.child_id})
    assert AccessEvent.objects.count() == before + 1
    assert (AccessEvent.objects.first().object_type, AccessEvent.objects.first().child_id) == ("chronology_entry_list", world.case.child_id)


def test_reading_a_restricted_entry_the_caller_may_not_see_answers_404(world, client_for, police_secret):
    url = reverse("api:chronology-entry-detail", args=[police_secret.pk])
    assert client_for(world.users["partner_practitioner"]).get(url).status_code == 404
    assert client_for(world.users["granted"]).get(url).json()["summary"] == POLICE_SECRET


def test_creating_an_entry(world, client_for):
    response = post(client_for(world.users["partner_practitioner"]), LIST, new_entry(world.case.child_id, neglect_types=["physical"], significance="critical"))
    assert response.status_code == 201
    body = response.json()
    assert (body["agency"]["name"], body["author"], body["neglect_types"], body["significance"]) == (
        "Riverside School",
        "partner_practitioner",
        ["physical"],
        "critical",
    )
    assert ChronologyEntry.objects.get().significance == Significance.CRITICAL


def test_invalid_input_answers_400_with_each_field(world, client_for):
    response = post(
        client_for(world.users["partner_practitioner"]), LIST, new_entry(world.case.child_id, impact_on_child="", kind="picnic", occurred_on="2026-12-01")
    )
    assert response.status_code == 400
    errors = response.json()
    assert errors["impact_on_child"] == ["Describe the impact on the child"] and "kind" in errors
    assert not ChronologyEntry.objects.exists()


def test_a_rule_the_service_enforces_answers_400_beside_its_field(world, client_for):
    response = post(client_for(world.users["partner_practitioner"]), LIST, new_entry(world.case.child_id, occurred_on="2026-11-25"))
    assert response.status_code == 400 and response.json() == {"occurred_on": ["The date must be today or in the past"]}


def test_creating_for_a_child_the_caller_cannot_see_answers_404(world, client_for):
    assert post(client_for(world.users["outsider"]), LIST, new_entry(world.case.child_id)).status_code == 404
    assert not ChronologyEntry.objects.exists()


def test_amending_an_entry(world, client_for):
    entry = make_entry(world.case.child, world.users["partner_practitioner"])
    url = reverse("api:chronology-entry-amend", args=[entry.pk])
    data = content(summary="Visited on Tuesday", reason="Wrong day")
    assert post(client_for(world.users["csc_practitioner"]), url, data).status_code == 403
    response = post(client_for(world.users["partner_dsl"]), url, data)
    assert response.status_code == 201
    assert (response.json()["supersedes"], response.json()["amendment_reason"]) == (entry.pk, "Wrong day")
    assert summaries(client_for(world.users["lead_practitioner"]).get(LIST)) == ["Visited on Tuesday"]


def test_an_amendment_without_a_reason_answers_400(world, client_for):
    entry = make_entry(world.case.child, world.users["partner_practitioner"])
    response = post(client_for(world.users["partner_practitioner"]), reverse("api:chronology-entry-amend", args=[entry.pk]), content())
    assert response.status_code == 400 and response.json() == {"reason": ["Say why the entry is being amended"]}


def test_a_childs_patterns(world, client_for):
    concerns = [
        make_concern(world.case, world.users[kind], observed_on=date(2026, 10, 1))
        for kind in ("lead_practitioner", "lead_practitioner", "partner_practitioner")
    ]
    client = client_for(world.users["lead_practitioner"])
    before = AccessEvent.objects.count()
    response = client.get(reverse("api:chronology-patterns", args=[world.case.child_id]))
    assert response.status_code == 200
    cumulative = next(pattern for pattern in response.json() if pattern["code"] == "cumulative_concerns")
    assert cumulative["since"] == "2026-10-01"
    assert sorted(cumulative["entries"]) == sorted(ChronologyEntry.objects.filter(source_id__in=[c.pk for c in concerns]).values_list("pk", flat=True))
    assert AccessEvent.objects.count() == before + 1 and AccessEvent.objects.first().action == AuditAction.VIEW


def test_a_rule_about_no_one_field_answers_400_under_non_field_errors(world, client_for):
    entry = make_entry(world.case.child, world.users["partner_practitioner"])
    url = reverse("api:chronology-entry-amend", args=[entry.pk])
    client = client_for(world.users["partner_dsl"])
    assert post(client, url, content(summary="Visited on Tuesday", reason="Wrong day")).status_code == 201
    again = post(client, url, content(summary="Visited on Wednesday", reason="Wrong again"))
    assert (again.status_code, again.json()) == (400, {"non_field_errors": ["This entry has already been amended. Amend its latest version instead."]})


def test_a_key_the_input_does_not_take_answers_400_naming_it(world, client_for):
    response = post(client_for(world.users["partner_practitioner"]), LIST, new_entry(world.case.child_id, agency=world.police.pk, author="someone"))
    assert (response.status_code, response.json()) == (400, {"agency": ["Unknown field."], "author": ["Unknown field."]})
    assert not ChronologyEntry.objects.exists()
