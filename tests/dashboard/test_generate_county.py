"""generate_county: a small synthetic county has the counts asked for and gives figures for every past quarter."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from bench.county import Sizes
from cases.models import Case, Child
from chronologies.models import ChronologyEntry
from concerns.models import Concern
from conferences.models import Conference
from dashboard.selectors import compute_measures
from neglect_portal.quarters import last_complete_quarter
from plans.models import Plan
from referrals.models import Referral
from tools.models import AssessmentRun, RunStatus

CHILDREN = 6000
TODAY = "2026-11-24 10:00"


@pytest.fixture
def county(db, time_machine):
    """The same county every day: a fixed seed and a fixed today (the history runs back from today)."""
    time_machine.move_to(TODAY, tick=True)
    call_command("generate_county", "--children", str(CHILDREN), "--seed", "7", "--force", stdout=StringIO())
    return Sizes.for_children(CHILDREN)


def test_the_county_has_the_counts_in_the_designs_proportions(county):
    assert (Child.objects.count(), Case.objects.count(), Plan.objects.count()) == (county.children, county.cases, county.plans)
    assert (Referral.objects.count(), Concern.objects.count(), ChronologyEntry.objects.count()) == (county.referrals, county.concerns, county.chronology)
    assert 0 < Conference.objects.count() <= county.conferences
    assert AssessmentRun.objects.filter(status=RunStatus.FINAL, definition__key__in=["gcp2", "ccdc", "eha"]).count() > 0


def test_every_one_of_the_last_nine_quarters_has_figures(county):
    quarters = last_complete_quarter(timezone.localdate()).last(9)
    for quarter in quarters:
        values = compute_measures(quarter=quarter)
        assert values["cp_children"] > 0 and values["neglect_referrals"] > 0, quarter.name
        assert values["cp_neglect_share_pct"] is not None and values["school_attendance_neglect_pct"] is not None, quarter.name
        assert values["tool_runs_by_agency"] and values["conference_attendance_by_agency"], quarter.name


def test_it_refuses_a_database_that_already_has_cases_unless_appending(county):
    with pytest.raises(CommandError, match="already has cases"):
        call_command("generate_county", "--children", "200", "--force")
    call_command("generate_county", "--children", "200", "--append", "--force", stdout=StringIO())
    assert Child.objects.count() == CHILDREN + 200


def test_it_refuses_to_run_without_debug_or_force(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG=true or --force"):
        call_command("generate_county", "--children", "200")
    assert not Child.objects.exists()


def test_without_copy_the_county_is_written_with_bulk_create_as_on_sqlite(db, time_machine, monkeypatch):
    """The fallback other databases take (SQLite, the demo): the same county, through the ORM."""
    from django.db import connection

    time_machine.move_to(TODAY, tick=True)
    monkeypatch.setattr(connection, "vendor", "sqlite")
    call_command("generate_county", "--children", "300", "--seed", "7", "--force", stdout=StringIO())
    sizes = Sizes.for_children(300)
    assert (Child.objects.count(), Case.objects.count(), Referral.objects.count(), ChronologyEntry.objects.count()) == (
        sizes.children,
        sizes.cases,
        sizes.referrals,
        sizes.chronology,
    )
    assert Conference.objects.exists() and AssessmentRun.objects.filter(status=RunStatus.FINAL).exclude(scores={}).exists()
