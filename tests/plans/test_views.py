"""Plan pages: starting a plan by hand, overdue actions on the case page, actions due on the home page."""

from datetime import date

from django.urls import reverse

from tests.factories import make_action, make_plan


def test_overdue_actions_are_marked_on_the_case_page(world, client_for):
    plan = make_plan(world.case)
    make_action(plan, world.school, due_on=date(2020, 1, 1), what="Register with a dentist")
    html = client_for(world.users["lead_practitioner"]).get(reverse("cases:case_detail", args=[world.case.pk])).content.decode()
    assert "Register with a dentist" in html and "Overdue" in html


def test_a_child_protection_plan_is_not_typed_in_by_hand_it_follows_a_conference(world, client_for):
    client = client_for(world.users["csc_practitioner"])
    refused = client.post(reverse("cases:plan_new", args=[world.case.pk]), {"kind": "child_protection", "cp_category": "neglect", "started_on": "2026-11-01"})
    assert refused.status_code == 200 and "starts only from a conference decision" in refused.content.decode()
    assert not world.case.plans.exists()
    with_category = client.post(
        reverse("cases:plan_new", args=[world.case.pk]), {"kind": "child_in_need", "cp_category": "neglect", "started_on": "2026-11-01"}
    )
    assert with_category.status_code == 200 and "cp_category" in with_category.context["form"].errors
    ok = client.post(reverse("cases:plan_new", args=[world.case.pk]), {"kind": "child_in_need", "cp_category": "", "started_on": "2026-11-01"})
    assert ok.status_code == 302 and world.case.plans.get().kind == "child_in_need"


def test_home_page_lists_actions_due_for_my_agency(world, client_for):
    plan = make_plan(world.case)
    make_action(plan, world.school, due_on=date(2020, 1, 1), what="Attendance meeting")
    html = client_for(world.users["partner_practitioner"]).get(reverse("home")).content.decode()
    assert "Actions due for your agency" in html and "Attendance meeting" in html
