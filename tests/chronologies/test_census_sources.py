"""Entries made from a Children in Need census import: one chain per census record, significance by
what the event means for the child, amendments (not updates) when a later return differs, and no
second conference entry where the portal already records that conference."""

from datetime import date
from types import SimpleNamespace

import pytest

from chronologies.models import ChronologyEntry, EntryKind, Significance, SourceType
from chronologies.services import (
    CENSUS_AMENDED,
    chronology_entries_from_census_assessment,
    chronology_entries_from_census_section47,
    chronology_entry_from_census_review,
    chronology_sync_from_source,
)
from tests.factories import make_case, make_plan

pytestmark = pytest.mark.django_db


def assessment(**changes):
    return SimpleNamespace(**{"pk": 501, "started_on": date(2026, 3, 2), "authorised_on": date(2026, 4, 10), **changes})


def section47(**changes):
    fields = {"pk": 601, "started_on": date(2026, 3, 5), "icpc_target_on": date(2026, 3, 26), "icpc_on": date(2026, 3, 20), "icpc_not_required": False}
    return SimpleNamespace(**{**fields, **changes})


@pytest.fixture
def case(world):
    return make_case(world.csc)


def test_assessment_start_and_authorisation_are_two_entries_with_the_factors_in_words(world, case):
    started, authorised = chronology_entries_from_census_assessment(
        assessment=assessment(),
        child=case.child,
        agency=world.csc,
        factors_in_words=["Abuse or neglect – neglect", "Domestic abuse: parent subject"],
        found_harm=True,
    )
    assert (started.source_type, started.occurred_on, started.kind) == (SourceType.CENSUS_ASSESSMENT, date(2026, 3, 2), EntryKind.ASSESSMENT)
    assert started.significance == Significance.ROUTINE
    assert (authorised.source_type, authorised.occurred_on) == (SourceType.CENSUS_ASSESSMENT_AUTHORISED, date(2026, 4, 10))
    assert "Factors identified: Abuse or neglect – neglect; Domestic abuse: parent subject." in authorised.summary
    assert authorised.significance == Significance.SIGNIFICANT
    assert {started.agency, authorised.agency} == {world.csc} and started.author is None and authorised.author is None


def test_an_assessment_without_harm_factors_or_authorisation(world, case):
    entries = chronology_entries_from_census_assessment(
        assessment=assessment(authorised_on=None),
        child=case.child,
        agency=world.csc,
        factors_in_words=[],
        found_harm=False,
    )
    assert [entry.source_type for entry in entries] == [SourceType.CENSUS_ASSESSMENT]
    (authorised,) = chronology_entries_from_census_assessment(
        assessment=assessment(),
        child=case.child,
        agency=world.csc,
        factors_in_words=[],
        found_harm=False,
    )[1:]
    assert authorised.significance == Significance.ROUTINE and "Factors identified: none recorded." in authorised.summary


def test_section47_and_its_initial_conference_are_significant_with_their_outcomes(world, case):
    plan = make_plan(case, started_on=date(2026, 3, 20))
    enquiry, conference = chronology_entries_from_census_section47(section47=section47(), child=case.child, agency=world.csc, plan=plan)
    assert (enquiry.source_type, enquiry.occurred_on, enquiry.significance) == (SourceType.CENSUS_SECTION47, date(2026, 3, 5), Significance.SIGNIFICANT)
    assert enquiry.action_taken == "Outcome: initial child protection conference held on 20 March 2026."
    assert (conference.source_type, conference.kind, conference.occurred_on) == (SourceType.CENSUS_ICPC, EntryKind.CONFERENCE, date(2026, 3, 20))
    assert conference.significance == Significance.SIGNIFICANT
    assert conference.action_taken == "Outcome: child protection plan (neglect) from 20 March 2026."


def test_section47_concluding_no_conference_has_one_entry_saying_so(world, case):
    entries = chronology_entries_from_census_section47(
        section47=section47(icpc_on=None, icpc_not_required=True),
        child=case.child,
        agency=world.csc,
    )
    assert len(entries) == 1
    assert entries[0].action_taken == "Outcome: the enquiry concluded that no initial child protection conference was needed."


def test_a_later_return_with_another_conference_date_amends_the_entry_and_keeps_the_original(world, case):
    _, first = chronology_entries_from_census_section47(section47=section47(), child=case.child, agency=world.csc)
    _, again = chronology_entries_from_census_section47(section47=section47(), child=case.child, agency=world.csc)
    assert again.pk == first.pk
    _, amended = chronology_entries_from_census_section47(section47=section47(icpc_on=date(2026, 3, 23)), child=case.child, agency=world.csc)
    assert (amended.supersedes_id, amended.original_id, amended.occurred_on) == (first.pk, first.pk, date(2026, 3, 23))
    assert amended.amendment_reason == CENSUS_AMENDED
    first.refresh_from_db()
    assert first.occurred_on == date(2026, 3, 20)
    assert ChronologyEntry.objects.filter(child=case.child, source_type=SourceType.CENSUS_ICPC).count() == 1


def test_no_census_conference_entry_where_the_portal_records_a_conference_that_day(world, case):
    chronology_sync_from_source(
        source_type=SourceType.CONFERENCE,
        source_id=77,
        child=case.child,
        agency=world.csc,
        author=None,
        occurred_on=date(2026, 3, 20),
        kind=EntryKind.CONFERENCE,
        summary="Initial child protection conference.",
        impact_on_child="Plan decided.",
    )
    entries = chronology_entries_from_census_section47(section47=section47(), child=case.child, agency=world.csc)
    assert [entry.source_type for entry in entries] == [SourceType.CENSUS_SECTION47]
    plan = make_plan(case, started_on=date(2026, 2, 1))
    review = SimpleNamespace(pk=701, number=1, held_on=date(2026, 3, 20))
    assert chronology_entry_from_census_review(review=review, plan=plan, agency=world.csc) is None


def test_a_review_conference_is_significant_and_names_its_plan(world, case):
    plan = make_plan(case, started_on=date(2026, 2, 1))
    review = SimpleNamespace(pk=702, number=2, held_on=date(2026, 5, 4))
    entry = chronology_entry_from_census_review(review=review, plan=plan, agency=world.csc)
    assert (entry.source_type, entry.source_id, entry.kind, entry.significance) == (
        SourceType.CENSUS_CP_REVIEW,
        702,
        EntryKind.CONFERENCE,
        Significance.SIGNIFICANT,
    )
    assert entry.summary == "Child protection review conference held (review 2 of the child protection plan (neglect) started 1 February 2026)."
    assert entry.made_from == "census child protection review"
