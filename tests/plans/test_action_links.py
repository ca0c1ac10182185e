"""The case page links to a plan's forms only for those who may use them."""

from django.urls import reverse

from tests.factories import make_action, make_plan


def _html(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_an_action_links_to_its_progress_form_only_for_its_owner_and_the_lead(world, client_for):
    plan = make_plan(world.case, actor=world.users["lead_practitioner"])
    lead_owned = make_action(plan, world.health, what="Weekly home visit", actor=world.users["lead_practitioner"])
    school_owned = make_action(plan, world.school, what="Breakfast club place", actor=world.users["lead_practitioner"])
    page = reverse("cases:case_detail", args=[world.case.pk])
    lead_update = reverse("cases:action_update", args=[world.case.pk, lead_owned.pk])
    school_update = reverse("cases:action_update", args=[world.case.pk, school_owned.pk])

    partner = client_for(world.users["partner_practitioner"])
    html = _html(partner, page)
    assert "Weekly home visit" in html and lead_update not in html
    assert partner.get(lead_update).status_code == 403
    assert school_update in html
    assert partner.get(school_update).status_code == 200

    lead = client_for(world.users["lead_practitioner"])
    html = _html(lead, page)
    assert lead_update in html and school_update in html


def test_plan_links_only_for_the_lead_agency(world, client_for):
    plan = make_plan(world.case, actor=world.users["lead_practitioner"])
    page = reverse("cases:case_detail", args=[world.case.pk])
    links = [
        reverse("cases:plan_new", args=[world.case.pk]),
        reverse("cases:action_new", args=[world.case.pk, plan.pk]),
        reverse("cases:plan_end", args=[world.case.pk, plan.pk]),
    ]
    partner = client_for(world.users["partner_practitioner"])
    html = _html(partner, page)
    for link in links:
        assert link not in html
        assert partner.get(link).status_code == 403
    lead = client_for(world.users["lead_practitioner"])
    html = _html(lead, page)
    for link in links:
        assert link in html
        assert lead.get(link).status_code == 200
