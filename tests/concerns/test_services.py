"""Concern services: recording one brings the agency into the team and reaches someone; amending keeps the original."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cases.models import CaseStatus, TeamMembership
from cases.services import case_close
from concerns.models import Concern
from concerns.services import concern_amend
from notifications.models import Notification
from tests.factories import make_case, make_child, make_concern

from .conftest import TODAY

pytestmark = pytest.mark.django_db

CORRECTED = {
    "observed_on": date(2026, 11, 2),
    "neglect_types": ["nutritional", "medical"],
    "description": "Arrived hungry; untreated tooth pain.",
    "impact_on_child": "In pain and cannot concentrate.",
}


def test_recording_a_concern_brings_the_recorders_agency_into_the_team(world):
    make_concern(world.case, world.users["csc_practitioner"])
    assert TeamMembership.objects.filter(case=world.case, agency=world.csc, reason="Recorded a concern").exists()


def test_the_lead_professional_is_told_of_a_concern_someone_else_records(world):
    make_concern(world.case, world.users["partner_practitioner"])
    notification = Notification.objects.get(recipient=world.users["lead_practitioner"])
    assert notification.link == f"/cases/{world.case.pk}/"
    assert world.case.child.family_name not in notification.subject + notification.body


def test_the_lead_professional_is_not_told_of_their_own_concern(world):
    make_concern(world.case, world.users["lead_practitioner"])
    assert not Notification.objects.filter(recipient=world.users["lead_practitioner"]).exists()


def test_a_concern_on_a_closed_case_is_never_lost_it_goes_to_a_new_case_for_review(world):
    case_close(actor=world.users["lead_manager"], case=world.case, closed_on=TODAY, closure_reason="Needs met")
    concern = make_concern(world.case, world.users["partner_practitioner"])
    assert concern.case_id != world.case.pk
    assert (concern.case.child_id, concern.case.status, concern.case.lead_agency) == (world.case.child_id, CaseStatus.OPEN, world.health)


def test_a_concern_is_flagged_adolescent_from_the_childs_age_on_the_day_observed(world):
    child = make_child(date_of_birth=date(2013, 11, 10))
    case = make_case(world.health, child=child)
    before_birthday = make_concern(case, world.users["lead_practitioner"], observed_on=date(2026, 11, 9))
    on_birthday = make_concern(case, world.users["lead_practitioner"], observed_on=date(2026, 11, 10))
    assert (before_birthday.is_adolescent_concern, on_birthday.is_adolescent_concern) == (False, True)


def test_an_unknown_neglect_type_is_refused(world):
    with pytest.raises(ValidationError) as error:
        make_concern(world.case, world.users["lead_practitioner"], neglect_types=["financial"])
    assert "neglect_types" in error.value.message_dict


def test_amending_a_concern_keeps_the_original_exactly_as_recorded(world):
    concern = make_concern(world.case, world.users["lead_practitioner"], observed_on=date(2026, 11, 1))
    amendment = concern_amend(actor=world.users["lead_manager"], concern=concern, reason="Wrong date and types", **CORRECTED)
    original = Concern.objects.get(pk=concern.pk)
    assert (original.observed_on, original.neglect_types) == (date(2026, 11, 1), ["physical"])
    assert original.latest_version == amendment
    assert (amendment.observed_on, amendment.neglect_types) == (date(2026, 11, 2), ["nutritional", "medical"])


def test_only_the_recording_agency_amends_a_concern(world):
    concern = make_concern(world.case, world.users["lead_practitioner"])
    with pytest.raises(PermissionDenied):
        concern_amend(actor=world.users["partner_practitioner"], concern=concern, reason="I disagree", **CORRECTED)


def test_an_amendment_needs_a_reason(world):
    concern = make_concern(world.case, world.users["lead_practitioner"])
    with pytest.raises(ValidationError) as error:
        concern_amend(actor=world.users["lead_practitioner"], concern=concern, reason=" ", **CORRECTED)
    assert error.value.message_dict["reason"] == ["Say why the concern is being amended"]
