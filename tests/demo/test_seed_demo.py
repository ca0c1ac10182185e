"""seed_demo builds a small but full partnership: every dashboard measure and drift rule has data, and a second run changes nothing."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from cases.models import Case, Child
from conferences.models import Conference
from dashboard.models import DashboardSnapshot, MeasureTarget, QuarterReport, SnapshotStatus
from dashboard.selectors import catalogue, compute_measures
from neglect_portal.quarters import last_complete_quarter
from partnership.models import ActionPlanUpdate
from plans.models import Plan, PlanAction
from referrals.models import Referral

REQUIRED = [{"tool": "gcp2", "level": "specialist", "within_working_days": 20, "after": ["child_in_need", "child_protection"]}]


@pytest.fixture
def demo(db, settings, monkeypatch, django_capture_on_commit_callbacks):
    settings.DEBUG = True
    settings.TOOLS_REQUIRED = REQUIRED  # as bin/demo sets it
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=StringIO())


def _counts():
    return [model.objects.count() for model in (Child, Case, Plan, Referral, Conference, PlanAction, ActionPlanUpdate, MeasureTarget, QuarterReport)]


def test_the_demo_is_full_every_measure_every_drift_rule_targets_narrative_and_a_signed_quarter(demo):
    """One seeding, several looks (seeding takes a minute): what a newcomer should find."""
    from drift.models import DriftFlag

    quarters = last_complete_quarter(timezone.localdate()).last(8)
    values = [compute_measures(quarter=quarter) for quarter in quarters]
    empty = [m.key for m in catalogue() if all(v[m.key] in (None, []) for v in values)]
    assert empty == [], "dashboard measures with no figure in eight quarters"
    assert all(v["cp_children"] and v["neglect_referrals"] for v in values)

    codes = set(DriftFlag.objects.values_list("code", flat=True))
    expected = {
        "cp_plan_duration",
        "cin_plan_duration",
        "repeat_cp_plan",
        "no_oversight",
        "no_assessment",
        "no_reassessment",
        "scores_not_improving",
        "actions_overdue",
        "child_not_seen",
        "conference_absence",
        "plan_ended_without_agency",
        "cumulative_concerns",
        "low_attendance",
        "required_tool_missing",
    }
    assert expected - codes == set(), "drift rules with no flag in the demo"

    signed = QuarterReport.objects.get(signed_off_at__isnull=False)
    assert signed.signed_off_name and signed.narratives
    assert DashboardSnapshot.objects.get(quarter=signed.quarter).status == SnapshotStatus.DONE
    assert MeasureTarget.objects.count() >= 3 and Conference.objects.exists()


def test_seeding_again_changes_nothing(demo, django_capture_on_commit_callbacks):
    before = _counts()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=StringIO())
    assert _counts() == before
