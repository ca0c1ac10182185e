"""The level-of-need page and the case page's level: who sees the link, refusals, errors with the text kept."""

import html
from datetime import timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from agencies.access import LEVEL_OF_NEED_REFUSED, LEVEL_OF_NEED_STATUTORY_REFUSED
from audit.models import AccessEvent, AuditAction
from cases.models import Case, Threshold
from need.levels import level_label, level_labels
from need.models import LevelOfNeedDecision

pytestmark = pytest.mark.django_db


def url(world):
    return reverse("need:change", args=[world.case.pk])


def case_page(world, client_for, user):
    return html.unescape(client_for(world.users[user]).get(reverse("cases:case_detail", args=[world.case.pk])).content.decode())


def step_down(**extra):
    return {"to_level": "universal_plus", "reasons": "Needs met at school", "review_on": (timezone.localdate() + timedelta(days=28)).isoformat(), **extra}


@pytest.mark.parametrize(("user", "shown"), [("lead_manager", True), ("csc_manager", True), ("partner_dsl", False), ("lead_practitioner", False)])
def test_the_case_page_links_to_the_change_only_for_those_who_may(world, client_for, user, shown):
    assert (url(world) in case_page(world, client_for, user)) == shown


def test_a_step_down_redirects_to_the_case_page_which_shows_the_level_and_its_history(world, client_for):
    client = client_for(world.users["lead_manager"])
    response = client.post(url(world), step_down())
    assert response.status_code == 302 and response.url.endswith("#summary")
    page = case_page(world, client_for, "lead_manager")
    assert "Universal Plus" in page
    assert "stepped down from Targeted Early Help to Universal Plus" in page
    assert "Reasons: Needs met at school" in page


def test_errors_are_shown_with_the_text_kept(world, client_for):
    response = client_for(world.users["lead_manager"]).post(url(world), {"to_level": "universal_plus", "reasons": "Needs met at school, mostly"})
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "Enter the date the step down will be reviewed" in page
    assert "Needs met at school, mostly" in page
    assert page.count("Error:") >= 1
    assert not LevelOfNeedDecision.objects.exists()


def test_a_partner_is_refused_with_the_reason_and_one_audit_row(world, client_for):
    client = client_for(world.users["partner_dsl"])
    before = set(AccessEvent.objects.values_list("pk", flat=True))
    response = client.post(url(world), step_down())
    assert response.status_code == 403
    assert LEVEL_OF_NEED_REFUSED in html.unescape(response.content.decode())
    rows = AccessEvent.objects.exclude(pk__in=before)
    assert [(row.action, row.object_type, row.child_id) for row in rows] == [(AuditAction.DENIED, "case", world.case.child_id)]


def test_the_lead_agency_stepping_up_to_specialist_is_refused_with_the_reason(world, client_for):
    client = client_for(world.users["lead_manager"])
    before = set(AccessEvent.objects.values_list("pk", flat=True))
    response = client.post(url(world), {"to_level": "specialist", "reasons": "Section 47"})
    assert response.status_code == 403
    assert LEVEL_OF_NEED_STATUTORY_REFUSED in html.unescape(response.content.decode())
    rows = AccessEvent.objects.exclude(pk__in=before)
    assert [(row.action, row.object_type, row.child_id) for row in rows] == [(AuditAction.DENIED, "case", world.case.child_id)]
    assert Case.objects.get(pk=world.case.pk).threshold == Threshold.TARGETED_EARLY_HELP


def test_the_page_offers_every_other_level_in_the_partnerships_words(world, client_for, settings):
    settings.PARTNERSHIP_LEVEL_LABELS = {"universal_plus": "Level 2: Early Help", "nonsense": "ignored"}
    page = html.unescape(client_for(world.users["csc_manager"]).get(url(world)).content.decode())
    assert "Level 2: Early Help" in page
    assert 'value="targeted_early_help"' not in page  # the level the case is at now
    assert "ignored" not in page


@override_settings(PARTNERSHIP_LEVEL_LABELS={"specialist": "Level 4"})
def test_labels_keep_the_codes_and_order():
    assert list(level_labels()) == ["universal", "universal_plus", "targeted_early_help", "specialist"]
    assert (level_label("specialist"), level_label("universal")) == ("Level 4", "Universal")
