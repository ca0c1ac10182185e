"""Links are shown only to people who may follow them (the booleans come from agencies/access.py)."""

from django.urls import reverse

from tests.chronologies.builders import make_entry
from tests.factories import make_concern


def test_amend_is_shown_to_the_recording_agency_and_not_to_another_agency_on_the_team(world, client_for):
    concern = make_concern(world.case, world.users["lead_practitioner"], description="Cold at school")
    amend = reverse("cases:concern_amend", args=[world.case.pk, concern.pk])
    page = reverse("cases:case_detail", args=[world.case.pk])

    other = client_for(world.users["partner_practitioner"])
    response = other.get(page)
    assert response.status_code == 200 and "Cold at school" in response.content.decode()
    assert amend not in response.content.decode()
    assert other.get(amend).status_code == 403

    owner = client_for(world.users["lead_practitioner"])
    assert amend in owner.get(page).content.decode()
    assert owner.get(amend).status_code == 200


def _html(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_oversight_and_change_of_lead_only_for_the_lead_agency_manager(world, client_for):
    page = reverse("cases:case_detail", args=[world.case.pk])
    links = [reverse("cases:oversight_new", args=[world.case.pk]), reverse("cases:reassign_lead", args=[world.case.pk])]
    for refused in ("lead_practitioner", "partner_dsl"):
        client = client_for(world.users[refused])
        html = _html(client, page)
        for link in links:
            assert link not in html, (refused, link)
            assert client.get(link).status_code == 403, (refused, link)
    manager = client_for(world.users["lead_manager"])
    html = _html(manager, page)
    for link in links:
        assert link in html
        assert manager.get(link).status_code == 200


def test_recording_links_on_the_case_page_lead_to_forms_the_user_may_use(world, client_for):
    page = reverse("cases:case_detail", args=[world.case.pk])
    links = [reverse(name, args=[world.case.pk]) for name in ("cases:case_concern_new", "cases:voice_new", "cases:referral_new")]
    for kind in ("partner_practitioner", "granted", "csc_practitioner"):
        client = client_for(world.users[kind])
        html = _html(client, page)
        for link in links:
            assert link in html, (kind, link)
            assert client.get(link).status_code == 200, (kind, link)


def test_chronology_amend_only_for_the_recording_agency(world, client_for):
    entry = make_entry(world.case.child, world.users["lead_practitioner"], summary="Home visit: cold house.")
    page = reverse("chronologies:child_chronology", args=[world.case.child_id])
    amend = reverse("chronologies:entry_amend", args=[entry.pk])

    partner = client_for(world.users["partner_practitioner"])
    html = _html(partner, page)
    assert "cold house" in html and amend not in html
    assert partner.get(amend).status_code == 403

    lead = client_for(world.users["lead_practitioner"])
    assert amend in _html(lead, page)
    assert lead.get(amend).status_code == 200


def test_household_changes_only_for_those_who_may_change_it(world, client_for):
    family = world.case.child.family
    page = reverse("households:family_detail", args=[family.pk])
    links = [
        reverse(name, args=[family.pk])
        for name in ("households:family_member_add", "households:family_move", "households:family_edit", "households:family_merge")
    ]

    partner = client_for(world.users["partner_dsl"])
    html = _html(partner, page)
    for link in links:
        assert link not in html
        assert partner.get(link).status_code == 403
    assert "No longer lives here" not in html

    csc = client_for(world.users["csc_practitioner"])
    html = _html(csc, page)
    for link in links:
        assert link in html
        assert csc.get(link).status_code == 200
    assert "No longer lives here" in html


def test_scheduling_a_conference_only_for_those_who_may_convene(world, client_for):
    page = reverse("conferences:case_conferences", args=[world.case.pk])
    schedule = reverse("conferences:conference_schedule", args=[world.case.pk])

    partner = client_for(world.users["partner_practitioner"])
    assert schedule not in _html(partner, page)
    assert partner.get(schedule).status_code == 403

    csc = client_for(world.users["csc_practitioner"])
    assert schedule in _html(csc, page)
    assert csc.get(schedule).status_code == 200
