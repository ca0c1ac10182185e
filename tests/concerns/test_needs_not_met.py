"""A concern at the Universal or Universal Plus level may name no type of neglect: it is recorded as
"needs not met", in the practitioner's own words (issue 21; concerns/models.py, `NEEDS_NOT_MET_LEVELS`)."""

import json
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from cases.models import Threshold
from concerns.models import NEGLECT_TYPE_NEEDED, Concern, neglect_type_required
from concerns.services import concern_amend
from tests.factories import make_concern

from .test_api import CONCERN


@pytest.mark.parametrize(
    ("level", "required"),
    [(Threshold.UNIVERSAL, False), (Threshold.UNIVERSAL_PLUS, False), (Threshold.TARGETED_EARLY_HELP, True), (Threshold.SPECIALIST, True), ("", True)],
)
def test_types_are_optional_only_at_the_universal_levels(level, required):
    assert neglect_type_required(level) is required


def test_a_concern_at_universal_plus_is_recorded_as_needs_not_met(world):
    concern = make_concern(world.case, world.users["partner_practitioner"], neglect_types=(), suggested_threshold=Threshold.UNIVERSAL_PLUS)
    assert concern.neglect_types == [] and concern.is_needs_not_met


@pytest.mark.parametrize("level", [Threshold.TARGETED_EARLY_HELP, ""])
def test_above_the_universal_levels_or_unsure_a_type_is_asked_for(world, level):
    with pytest.raises(ValidationError) as refused:
        make_concern(world.case, world.users["partner_practitioner"], neglect_types=(), suggested_threshold=level)
    assert refused.value.message_dict["neglect_types"] == [NEGLECT_TYPE_NEEDED]
    assert not Concern.objects.exists()


def test_an_amendment_follows_the_same_rule(world):
    user = world.users["partner_practitioner"]
    concern = make_concern(world.case, user)
    content = {"observed_on": date(2026, 11, 1), "description": "Hungry again", "impact_on_child": "Tired", "action_taken": ""}
    amendment = concern_amend(actor=user, concern=concern, reason="Not neglect yet", neglect_types=[], suggested_threshold=Threshold.UNIVERSAL, **content)
    assert amendment.is_needs_not_met
    with pytest.raises(ValidationError):
        concern_amend(actor=user, concern=concern, reason="x", neglect_types=[], suggested_threshold=Threshold.SPECIALIST, **content)


def test_the_database_holds_the_rule_too(world):
    fields = {
        "case": world.case,
        "child": world.case.child,
        "recorded_by": world.users["csc_practitioner"],
        "agency": world.csc,
        "observed_on": date(2026, 11, 1),
        "description": "x",
        "impact_on_child": "y",
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        Concern.objects.create(suggested_threshold=Threshold.TARGETED_EARLY_HELP, **fields)
    assert Concern.objects.create(suggested_threshold=Threshold.UNIVERSAL, **fields).is_needs_not_met


def test_the_api_records_needs_not_met_and_says_so(world, client_for):
    client = client_for(world.users["partner_practitioner"])
    data = {**CONCERN, "child": world.case.child_id, "neglect_types": [], "suggested_threshold": "universal_plus"}
    response = client.post(reverse("api:concern-list"), json.dumps(data), content_type="application/json")
    assert response.status_code == 201, response.content
    assert (response.json()["neglect_types"], response.json()["needs_not_met"]) == ([], True)
    refused = client.post(reverse("api:concern-list"), json.dumps({**data, "suggested_threshold": "specialist"}), content_type="application/json")
    assert refused.status_code == 400 and "neglect_types" in refused.json()


def test_the_case_page_shows_needs_not_met_in_plain_words(world, client_for):
    make_concern(world.case, world.users["partner_practitioner"], neglect_types=(), suggested_threshold=Threshold.UNIVERSAL)
    page = client_for(world.users["partner_practitioner"]).get(reverse("cases:case_detail", args=[world.case.pk])).content.decode()
    assert '<strong class="govuk-tag govuk-tag--grey">Needs not met</strong>' in page


def test_the_concern_form_says_when_types_may_be_left_out(world, client_for):
    page = client_for(world.users["partner_practitioner"]).get(reverse("cases:case_concern_new", args=[world.case.pk])).content.decode()
    assert "you can leave them all unticked: the concern is recorded as needs not met" in page
