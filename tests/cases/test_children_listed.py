"""Reads that show children name them in the access log (issue 22, hardening), and searches keep identifiers out of URLs.

A list writes its own row as before ("case_list", "child_search"...) and one `child_listed` VIEW row
per child it showed, so an auditor's search by child, and a subject access disclosure log, include
the lists a child appeared in. Being listed is not opening a record: the over-access alert ignores them.
"""

import json

import pytest
from django.test import override_settings
from django.urls import reverse

from audit.models import CHILD_LISTED, AccessEvent
from notifications.models import Notification
from tests.factories import make_case, make_child

pytestmark = pytest.mark.django_db


def _listed_after(before):
    return sorted(AccessEvent.objects.filter(id__gt=before, object_type=CHILD_LISTED).values_list("child_id", flat=True))


def _last_id():
    return AccessEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def _identifiers(child):
    return {"given_name": child.given_name, "family_name": child.family_name, "date_of_birth": child.date_of_birth.isoformat()}


def test_the_home_page_names_each_child_it_lists_once(world, client_for):
    other = make_case(world.health)
    before = _last_id()
    response = client_for(world.users["lead_practitioner"]).get(reverse("home"))
    assert response.status_code == 200
    assert _listed_after(before) == sorted([world.case.child_id, other.child_id])
    assert AccessEvent.objects.filter(id__gt=before, object_type="case_list").count() == 1


def test_the_manager_list_names_each_child(world, client_for):
    before = _last_id()
    client_for(world.users["lead_manager"]).get(reverse("cases:manager_cases"))
    assert _listed_after(before) == [world.case.child_id]


def test_the_api_case_list_names_each_child_on_the_page(world, client_for):
    before = _last_id()
    response = client_for(world.users["partner_practitioner"]).get(reverse("api:case-list"))
    assert [row["id"] for row in response.json()["results"]] == [world.case.pk]
    assert _listed_after(before) == [world.case.child_id]


def test_the_family_page_names_each_visible_child(world, client_for):
    sister = make_child(given_name="Amy", family=world.case.child.family)
    make_case(world.police, child=sister)  # the school cannot see her
    before = _last_id()
    response = client_for(world.users["partner_practitioner"]).get(reverse("households:family_detail", args=[world.case.child.family_id]))
    assert response.status_code == 200
    assert _listed_after(before) == [world.case.child_id]


def test_find_a_child_searches_on_post_only_and_names_each_result(world, client_for):
    client = client_for(world.users["partner_practitioner"])
    child = world.case.child
    before = _last_id()
    by_url = client.get(reverse("cases:find_child"), _identifiers(child))
    assert by_url.status_code == 200 and by_url.context["children"] is None
    assert _listed_after(before) == [] and not AccessEvent.objects.filter(id__gt=before, object_type="child_search").exists()
    found = client.post(reverse("cases:find_child"), _identifiers(child))
    assert found.status_code == 200 and [c.pk for c in found.context["children"]] == [child.pk]
    assert _listed_after(before) == [child.pk]
    search = AccessEvent.objects.get(id__gt=before, object_type="child_search")
    assert search.path == reverse("cases:find_child") and child.family_name not in search.path + search.detail


def test_the_search_page_posts_its_form_and_its_follow_on_concern_link(world, client_for):
    page = client_for(world.users["partner_practitioner"]).post(reverse("cases:find_child"), _identifiers(world.case.child)).content.decode()
    assert 'method="post"' in page and "?given_name" not in page and "csrfmiddlewaretoken" in page
    assert f'action="{reverse("cases:concern_new")}"' in page and 'name="prefill" value="1"' in page


def test_the_concern_page_is_filled_from_a_posted_search_without_recording_anything(world, client_for):
    child = world.case.child
    response = client_for(world.users["outsider"]).post(reverse("cases:concern_new"), {"prefill": "1", **_identifiers(child)})
    assert response.status_code == 200 and not response.context["form"].is_bound
    assert response.context["form"].initial["family_name"] == child.family_name
    assert not world.case.concerns.exists()


@override_settings(OVER_ACCESS_CHILDREN_PER_WINDOW=1)
def test_being_listed_is_not_an_over_access_read(world, client_for):
    for _ in range(3):
        make_case(world.health)
    client = client_for(world.users["csc_practitioner"])
    client.get(reverse("home"))
    assert AccessEvent.objects.filter(object_type=CHILD_LISTED).count() >= 4
    client.get(reverse("cases:case_detail", args=[world.case.pk]))  # one record opened: the check runs, and counts one child
    assert not Notification.objects.filter(recipient=world.users["admin"], subject="Unusual number of records opened").exists()


def test_the_drift_queue_api_names_each_child(world, client_for):
    response = client_for(world.users["lead_manager"]).get(reverse("api:drift-queue"))
    listed = [row["case_id"] for row in json.loads(response.content)["cases"]]
    assert AccessEvent.objects.filter(object_type=CHILD_LISTED).count() == len(listed)
