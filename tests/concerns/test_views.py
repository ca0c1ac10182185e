"""Concern pages: recording by identifiers, form errors that keep the text, amending."""

from django.urls import reverse

from cases.models import TeamMembership
from concerns.models import Concern
from notifications.models import Notification
from tests.factories import make_concern

CONCERN = {
    "observed_on": "2026-11-20",
    "neglect_types": ["nutritional", "physical"],
    "description": "Came in without a coat, hungry at 9am",
    "impact_on_child": "Cold and unable to concentrate",
    "action_taken": "Breakfast club place offered",
    "sharing_reason": "The team needs to know he is hungry and cold",
    "lawful_basis": "public_task",
    "sharing_condition": "safeguarding",
    "family_informed": "yes",
}


def test_an_outside_agency_records_a_concern_by_identifiers_and_the_lead_is_told(world, client_for):
    """Issue 22, finding 4: the answer is the same whatever the register holds; the lead decides who else sees the case."""
    child = world.case.child
    data = {**CONCERN, "given_name": child.given_name.upper(), "family_name": child.family_name, "date_of_birth": child.date_of_birth.isoformat()}
    police = client_for(world.users["outsider"])
    assert police.get(reverse("cases:case_detail", args=[world.case.pk])).status_code == 404
    response = police.post(reverse("cases:concern_new"), data)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert Concern.objects.get().case == world.case
    assert not TeamMembership.objects.filter(case=world.case, agency=world.police).exists()
    assert Notification.objects.filter(recipient=world.users["lead_practitioner"]).count() == 1
    assert police.get(reverse("cases:case_detail", args=[world.case.pk])).status_code == 404


def test_concern_form_errors_keep_the_text_and_say_what_to_fix(world, client_for):
    data = {**CONCERN, "observed_on": "2026-12-25", "impact_on_child": "", "case": world.case.pk}
    response = client_for(world.users["lead_practitioner"]).post(reverse("cases:case_concern_new", args=[world.case.pk]), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Date observed must be today or in the past" in html
    assert "Describe the impact on the child" in html
    assert "Came in without a coat, hungry at 9am" in html
    assert 'value="nutritional" checked' in html
    assert not Concern.objects.exists()


def test_only_the_recording_agency_may_amend_and_the_original_stays(world, client_for):
    concern = make_concern(world.case, world.users["lead_practitioner"], description="Original words")
    url = reverse("cases:concern_amend", args=[world.case.pk, concern.pk])
    assert client_for(world.users["partner_practitioner"]).get(url).status_code == 403
    data = {**CONCERN, "observed_on": "2026-11-01", "description": "Corrected words", "reason": "Typed the wrong date"}
    assert client_for(world.users["lead_manager"]).post(url, data).status_code == 302
    concern.refresh_from_db()
    assert concern.description == "Original words"
    assert concern.latest_version.description == "Corrected words"
    html = client_for(world.users["lead_practitioner"]).get(reverse("cases:case_detail", args=[world.case.pk])).content.decode()
    assert "Corrected words" in html and "Original words" in html and "Typed the wrong date" in html
