"""Optimistic concurrency: two people editing the same record get a clear conflict, never a lost update."""

import pytest
from django.urls import reverse

from cases.models import CaseStatus
from cases.services import case_close, case_reassign_lead
from neglect_portal.concurrency import CONFLICT, EditConflict

from .conftest import TODAY

pytestmark = pytest.mark.django_db


# --- Services ---------------------------------------------------------------------------------------


def test_reassigning_the_lead_on_a_stale_version_is_refused(world):
    version = world.case.version
    case_reassign_lead(
        actor=world.users["lead_manager"], case=world.case, lead_professional=world.users["lead_manager"], reason="Leave", expected_version=version
    )
    with pytest.raises(EditConflict):
        case_reassign_lead(
            actor=world.users["csc_manager"],
            case=world.case,
            lead_professional=world.users["csc_practitioner"],
            reason="Statutory now",
            expected_version=version,
        )
    world.case.refresh_from_db()
    assert world.case.lead_professional == world.users["lead_manager"]


def test_closing_a_case_someone_changed_since_is_refused(world):
    stale = world.case.version
    case_reassign_lead(actor=world.users["lead_manager"], case=world.case, lead_professional=world.users["lead_manager"], reason="Leave")
    with pytest.raises(EditConflict):
        case_close(actor=world.users["lead_manager"], case=world.case, closed_on=TODAY, closure_reason="Needs met", expected_version=stale)
    world.case.refresh_from_db()
    assert world.case.status == CaseStatus.OPEN


# --- Pages --------------------------------------------------------------------------------------------


def test_a_second_reassignment_of_the_lead_shows_a_conflict(world, client_for):
    url = reverse("cases:reassign_lead", args=[world.case.pk])
    version = world.case.version
    assert (
        client_for(world.users["lead_manager"])
        .post(url, {"lead_professional": world.users["lead_manager"].pk, "reason": "Leave", "version": version})
        .status_code
        == 302
    )
    response = client_for(world.users["csc_manager"]).post(
        url, {"lead_professional": world.users["lead_practitioner"].pk, "reason": "Back from leave", "version": version}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert CONFLICT.split(".")[0] in html and "Back from leave" in html


# --- API ------------------------------------------------------------------------------------------------
