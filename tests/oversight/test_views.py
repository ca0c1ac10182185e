"""Management oversight through the browser's HTTP: who records it."""

from django.urls import reverse


def test_a_manager_records_oversight_and_a_practitioner_cannot(world, client_for):
    url = reverse("cases:oversight_new", args=[world.case.pk])
    data = {"recorded_on": "2026-11-20", "decision": "Continue the plan", "reasons": "Attendance improving", "next_review_on": "2026-12-18"}
    assert client_for(world.users["lead_practitioner"]).post(url, data).status_code == 403
    assert client_for(world.users["lead_manager"]).post(url, data).status_code == 302
    assert world.case.oversights.get().decision == "Continue the plan"
