"""Issue 22, finding 1 (High): inviting an agency to a sibling group's conference must not open a hidden sibling's record.

`world.case` (health leads, the school is in the team) and a brother's case led by the police share one
conference. The school's designated safeguarding lead sees `world.case` only. Inviting an agency adds it
to the team of the cases the person inviting can see, never to the others: joining a team is what lets
an agency read a child's record.
"""

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from agencies.access import cases_visible_to
from cases.models import TeamMembership
from conferences.services import InvitationRequest, invitation_add
from sharing.models import SharingDecision
from tests.factories import make_agency, make_case, make_child

from .builders import make_conference
from .conftest import TODAY


@pytest.fixture
def brothers_case(world):
    brother = make_child(given_name="Ben", family=world.case.child.family)
    return make_case(world.police, child=brother)


@pytest.fixture
def sibling_conference(world, brothers_case):
    """Scheduled by children's social care (who see both children); the school is not invited yet."""
    return make_conference(
        world.case,
        actor=world.users["csc_manager"],
        chair=world.users["csc_manager"],
        held_on=TODAY,
        siblings=[brothers_case],
        invitations=[world.csc, world.health],
    )


def test_a_dsl_who_sees_one_child_cannot_open_the_hidden_siblings_record_by_inviting_their_agency(world, client_for, brothers_case, sibling_conference):
    dsl = client_for(world.users["partner_dsl"])
    assert dsl.get(reverse("api:case-detail", args=[brothers_case.pk])).status_code == 404
    response = dsl.post(
        reverse("api:conference-invitation-list"), json.dumps({"conference": sibling_conference.pk, "agency": world.school.pk}), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert dsl.get(reverse("api:case-detail", args=[brothers_case.pk])).status_code == 404
    assert not TeamMembership.objects.filter(case=brothers_case, agency=world.school).exists()
    assert not cases_visible_to(world.users["partner_dsl"]).filter(pk=brothers_case.pk).exists()


def test_an_invited_agency_joins_only_the_cases_the_inviter_can_see_and_each_join_is_a_recorded_decision(world, brothers_case, sibling_conference):
    gp = make_agency(name="Riverside Surgery")
    invitation_add(actor=world.users["partner_dsl"], conference=sibling_conference, invitation=InvitationRequest(agency=gp))
    assert list(TeamMembership.objects.filter(agency=gp).values_list("case_id", flat=True)) == [world.case.pk]
    decision = SharingDecision.objects.get(shared_with=gp)
    assert (decision.case_id, decision.decided_by) == (world.case.pk, world.users["partner_dsl"])


def test_children_social_care_inviting_an_agency_brings_it_into_every_childs_team(world, brothers_case, sibling_conference):
    gp = make_agency(name="Riverside Surgery")
    invitation_add(actor=world.users["csc_manager"], conference=sibling_conference, invitation=InvitationRequest(agency=gp))
    assert set(TeamMembership.objects.filter(agency=gp).values_list("case_id", flat=True)) == {world.case.pk, brothers_case.pk}
    assert SharingDecision.objects.filter(shared_with=gp).count() == 2


def test_scheduling_cannot_name_a_siblings_case_the_scheduler_cannot_see(world, brothers_case):
    with pytest.raises(ValidationError) as error:
        make_conference(
            world.case, actor=world.users["partner_dsl"], chair=world.users["csc_manager"], held_on=TODAY, siblings=[brothers_case], invitations=[world.school]
        )
    assert "sibling_cases" in error.value.message_dict
    assert not TeamMembership.objects.filter(case=brothers_case, agency=world.school).exists()
