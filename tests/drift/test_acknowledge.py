"""Acknowledging a flag: a recorded decision until a review date, on the record, audited; never a silent hide."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AccessEvent
from drift.models import DriftAcknowledgement
from drift.rules import drift_acknowledge
from oversight.models import Oversight
from tests.factories import make_plan

from .builders import flag
from .conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def long_plan(world):
    return make_plan(world.case, started_on=date(2025, 10, 4))


def _acknowledge(world, review_on=date(2026, 12, 8), reason="Legal planning meeting booked for 1 December"):
    return drift_acknowledge(actor=world.users["csc_manager"], case=world.case, flag=flag(world, "cp_plan_duration"), reason=reason, review_on=review_on)


def test_an_acknowledged_flag_still_shows_with_its_review_date_and_reason(world, long_plan):
    _acknowledge(world)
    found = flag(world, "cp_plan_duration")
    assert found.acknowledgement.review_on == date(2026, 12, 8)
    assert found.acknowledgement.reason == "Legal planning meeting booked for 1 December"


def test_the_flag_returns_on_its_review_date(world, long_plan):
    _acknowledge(world)
    assert flag(world, "cp_plan_duration", today=date(2026, 12, 7)).is_acknowledged
    assert not flag(world, "cp_plan_duration", today=date(2026, 12, 8)).is_acknowledged


def test_an_acknowledgement_does_not_cover_a_flag_that_starts_later(world):
    make_plan(world.case, started_on=date(2025, 12, 24))  # amber today, red from 24 December 2026
    drift_acknowledge(
        actor=world.users["csc_manager"],
        case=world.case,
        flag=flag(world, "cp_plan_duration"),
        reason="Review conference soon",
        review_on=TODAY + timedelta(days=90),
    )
    assert flag(world, "cp_plan_duration", today=date(2026, 12, 23)).is_acknowledged
    red = flag(world, "cp_plan_duration", today=date(2026, 12, 24))
    assert (red.severity, red.is_acknowledged) == ("red", False)


def test_acknowledging_records_an_oversight_and_one_audit_row_of_its_own(world, long_plan):
    before = AccessEvent.objects.count()
    acknowledgement = _acknowledge(world)
    oversight = Oversight.objects.get(case=world.case)
    assert acknowledgement.oversight == oversight
    assert oversight.next_review_on == date(2026, 12, 8) and oversight.reasons == "Legal planning meeting booked for 1 December"
    assert oversight.decision.startswith("Drift flag acknowledged: Long child protection plan.")
    events = AccessEvent.objects.order_by("pk")[before:]
    assert sorted((e.action, e.object_type) for e in events) == [("create", "drift_acknowledgement"), ("create", "oversight")]


@pytest.mark.parametrize(
    ("review_on", "reason", "field", "message"),
    [
        (TODAY, "Reason", "review_on", "The review date must be after today"),
        (TODAY + timedelta(days=91), "Reason", "review_on", "The review date must be within 90 days of today"),
        (None, "Reason", "review_on", "Enter the date you will review this again"),
        (TODAY + timedelta(days=90), "  ", "reason", "Give the reason for your decision"),
    ],
)
def test_review_date_and_reason_are_required_and_bounded(world, long_plan, review_on, reason, field, message):
    with pytest.raises(ValidationError) as error:
        _acknowledge(world, review_on=review_on, reason=reason)
    assert error.value.message_dict[field] == [message]
    assert not DriftAcknowledgement.objects.exists() and not Oversight.objects.exists()


def test_the_page_keeps_what_was_typed_and_says_what_to_fix(world, long_plan, client_for):
    client = client_for(world.users["csc_manager"])
    url = reverse("drift:acknowledge", args=[world.case.pk, "cp_plan_duration"])
    response = client.post(url, {"reason": "Waiting for the legal meeting", "review_on": "2026-11-24"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "The review date must be after today" in page and "Waiting for the legal meeting" in page
    response = client.post(url, {"reason": "Waiting for the legal meeting", "review_on": "2026-12-08"})
    assert response.status_code == 302 and response.url.endswith("#flags")
    assert "Acknowledged until 8 Dec 2026" in client.get(reverse("cases:case_detail", args=[world.case.pk])).content.decode()


def test_a_flag_that_does_not_apply_answers_404(world, client_for):
    response = client_for(world.users["csc_manager"]).get(reverse("drift:acknowledge", args=[world.case.pk, "repeat_cp_plan"]))
    assert response.status_code == 404
