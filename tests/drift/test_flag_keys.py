"""Issue 15 item 5: an acknowledgement covers the one flag it was recorded against (its key), not others of the rule."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from conferences.selectors import AGENCY_ABSENT_IN_A_ROW, ConferenceFlag
from drift.models import DriftAcknowledgement
from drift.rules import CaseFacts, drift_acknowledge, flag_key, flags_from_facts
from plans.models import PlanKind
from tests.factories import make_action, make_plan

from .builders import flag, flags_of
from .conftest import TODAY

pytestmark = pytest.mark.django_db


def _absences(world):
    """Two agencies absent from the same run of conferences: two flags of one rule."""
    return CaseFacts(
        case=world.case,
        last_oversight_on=TODAY,
        last_seen_on=TODAY,
        conference_flags=[
            ConferenceFlag(AGENCY_ABSENT_IN_A_ROW, "amber", "Riverside School absent from the last 2 conferences", date(2026, 9, 1), 7),
            ConferenceFlag(AGENCY_ABSENT_IN_A_ROW, "amber", "County Police absent from the last 2 conferences", date(2026, 9, 1), 7),
        ],
    )


def _acknowledgement(world, *, code, key, pk=1):
    return DriftAcknowledgement(
        pk=pk,
        case=world.case,
        code=code,
        key=key,
        reason="Spoke to the agency",
        acknowledged_on=TODAY,
        review_on=TODAY + timedelta(days=14),
        acknowledged_by=world.users["csc_manager"],
    )


def test_flags_of_one_rule_have_different_keys(world):
    school, police = flags_from_facts(_absences(world), TODAY)
    assert school.key == "conference_absence:conference:7:Riverside School"
    assert police.key == "conference_absence:conference:7:County Police"


def test_acknowledging_one_absent_agency_leaves_the_other_showing(world):
    facts = _absences(world)
    school = next(f for f in flags_from_facts(facts, TODAY) if "Riverside" in f.reason)
    acknowledged = flags_from_facts(facts, TODAY, [_acknowledgement(world, code="conference_absence", key=school.key)])
    assert {f.reason.split(" absent")[0]: f.is_acknowledged for f in acknowledged} == {"Riverside School": True, "County Police": False}


def test_an_acknowledgement_recorded_before_keys_still_covers_its_whole_rule(world):
    flags = flags_from_facts(_absences(world), TODAY, [_acknowledgement(world, code="conference_absence", key="")])
    assert [f.is_acknowledged for f in flags] == [True, True]


def test_a_rule_with_one_flag_per_case_keys_by_its_code(world):
    assert flag(world, "no_oversight").key == "no_oversight"
    assert flag_key("no_oversight", "") == "no_oversight"


def test_acknowledging_overdue_actions_does_not_cover_an_action_overdue_later(world):
    plan = make_plan(world.case, kind=PlanKind.CHILD_IN_NEED, started_on=date(2026, 6, 1))
    make_action(plan, world.school, due_on=date(2026, 11, 20), what="Breakfast club")
    found = flag(world, "actions_overdue")
    drift_acknowledge(actor=world.users["csc_manager"], case=world.case, flag=found, reason="Club starts Monday", review_on=TODAY + timedelta(days=14))
    assert DriftAcknowledgement.objects.get().key == found.key
    assert flag(world, "actions_overdue").is_acknowledged
    make_action(plan, world.school, due_on=date(2026, 11, 23), what="Health visit")
    again = flag(world, "actions_overdue")
    assert (again.is_acknowledged, again.reason.startswith("2 plan actions overdue")) == (False, True)


def test_a_long_subject_keeps_a_short_stable_key(world):
    plan = make_plan(world.case, kind=PlanKind.CHILD_IN_NEED, started_on=date(2026, 6, 1))
    for day in range(1, 31):
        make_action(plan, world.school, due_on=date(2026, 10, day), what=f"Visit {day}")
    first, second = flag(world, "actions_overdue"), flag(world, "actions_overdue")
    assert first.key == second.key
    assert len(first.key) <= DriftAcknowledgement._meta.get_field("key").max_length


def test_the_acknowledge_page_records_the_flag_named_in_the_link(world, client_for):
    make_plan(world.case, kind=PlanKind.CHILD_IN_NEED, started_on=date(2026, 6, 1))
    found = flag(world, "no_assessment")
    url = reverse("drift:acknowledge", args=[world.case.pk, "no_assessment"]) + f"?flag={found.key}"
    response = client_for(world.users["csc_manager"]).post(url, {"reason": "Assessment booked", "review_on": (TODAY + timedelta(days=7)).isoformat()})
    assert response.status_code == 302
    assert DriftAcknowledgement.objects.get().key == f"no_assessment:plan:{found.subject.split(':')[1]}"


def test_a_link_naming_a_flag_that_does_not_apply_is_not_found(world, client_for):
    make_plan(world.case, kind=PlanKind.CHILD_IN_NEED, started_on=date(2026, 6, 1))
    url = reverse("drift:acknowledge", args=[world.case.pk, "no_assessment"]) + "?flag=no_assessment:plan:999999"
    assert client_for(world.users["csc_manager"]).get(url).status_code == 404


def test_the_case_page_links_each_flag_by_its_key(world, client_for):
    response = client_for(world.users["csc_manager"]).get(reverse("cases:case_detail", args=[world.case.pk]))
    assert reverse("drift:acknowledge", args=[world.case.pk, "no_oversight"]) + "?flag=no_oversight" in response.content.decode()


def test_amber_flags_render_with_a_tag_colour_that_exists(world, client_for):
    """ "Amber" tags used `govuk-tag--amber`, which GOV.UK Frontend does not have: they rendered blue."""
    assert {f.severity for f in flags_of(world)} >= {"amber"}
    page = client_for(world.users["csc_manager"]).get(reverse("cases:case_detail", args=[world.case.pk])).content.decode()
    assert '<strong class="govuk-tag govuk-tag--yellow">Amber</strong>' in page
    assert "govuk-tag--amber" not in page
