"""Every statutory event an import brings in has its chronology entry, as children's social care's:
assessments (start, authorisation with its factors in words), section 47 enquiries (start and
outcome), initial conferences and child protection reviews. The same file again adds nothing; a
return that re-dates an event amends its entry, never updates it."""

from datetime import date

import pytest

from census.importing import import_cin_census
from census.models import CensusReview, ChildCensus
from chronologies.models import ChronologyEntry, Significance, SourceType
from tests.census.returns import VALID_RETURN
from tests.census.test_import import edited

CONTENT = VALID_RETURN.encode()
CENSUS_SOURCES = {
    SourceType.CENSUS_ASSESSMENT,
    SourceType.CENSUS_ASSESSMENT_AUTHORISED,
    SourceType.CENSUS_SECTION47,
    SourceType.CENSUS_ICPC,
    SourceType.CENSUS_CP_REVIEW,
}

pytestmark = pytest.mark.django_db


@pytest.fixture
def actor(world):
    return world.users["csc_practitioner"]


def run(content, actor, dry_run=False):
    return import_cin_census(content, actor=actor, dry_run=dry_run, audit_username="test")


def child(la_child_id):
    return ChildCensus.objects.get(la_child_id=la_child_id).child


def latest(child, source_type):
    """The current version of the child's one chain from `source_type`."""
    original = ChronologyEntry.objects.get(child=child, source_type=source_type)
    return ChronologyEntry.objects.filter(pk=original.pk).union(ChronologyEntry.objects.filter(original=original)).order_by("-pk")[0]


def set_text(path, value):
    def change(tree):
        tree.find(path).text = value

    return change


B = "Children/Child[2]/CINdetails"


def test_each_imported_event_has_one_entry_recorded_as_childrens_social_care(world, actor):
    run(CONTENT, actor)
    b = child("B200")
    entries = {entry.source_type: entry for entry in ChronologyEntry.objects.filter(child=b)}
    assert set(entries) == CENSUS_SOURCES | {SourceType.REFERRAL, SourceType.PLAN_STARTED}
    assert ChronologyEntry.objects.filter(child=b).count() == len(entries)
    assert {entry.agency for entry in entries.values()} == {world.csc}
    dated = {source: entry.occurred_on for source, entry in entries.items()}
    assert dated[SourceType.CENSUS_ASSESSMENT] == date(2025, 6, 16)
    assert dated[SourceType.CENSUS_ASSESSMENT_AUTHORISED] == date(2025, 7, 20)
    assert dated[SourceType.CENSUS_SECTION47] == date(2025, 6, 20)
    assert dated[SourceType.CENSUS_ICPC] == dated[SourceType.PLAN_STARTED] == date(2025, 7, 1)
    assert dated[SourceType.CENSUS_CP_REVIEW] == date(2025, 10, 1)
    authorised = entries[SourceType.CENSUS_ASSESSMENT_AUTHORISED]
    assert "Abuse or neglect – neglect" in authorised.summary and "3B" not in authorised.summary
    assert authorised.significance == Significance.SIGNIFICANT
    for source in (SourceType.CENSUS_SECTION47, SourceType.CENSUS_ICPC, SourceType.PLAN_STARTED, SourceType.CENSUS_CP_REVIEW):
        assert entries[source].significance == Significance.SIGNIFICANT, source
    assert entries[SourceType.CENSUS_ICPC].action_taken.startswith("Outcome: child protection plan (multiple")
    assert entries[SourceType.CENSUS_SECTION47].action_taken == "Outcome: initial child protection conference held on 1 July 2025."
    a = child("A100")
    assert set(ChronologyEntry.objects.filter(child=a).values_list("source_type", flat=True)) >= {
        SourceType.CENSUS_ASSESSMENT,
        SourceType.CENSUS_ASSESSMENT_AUTHORISED,
    }
    assert not ChronologyEntry.objects.filter(child=a, source_type=SourceType.CENSUS_SECTION47).exists()


def test_a_dry_run_makes_no_entries(world, actor):
    run(CONTENT, actor, dry_run=True)
    assert not ChronologyEntry.objects.filter(source_type__in=CENSUS_SOURCES).exists()


def test_importing_the_same_file_twice_adds_no_entry(world, actor):
    run(CONTENT, actor)
    before = ChronologyEntry.objects.count()
    result = run(CONTENT, actor)
    assert result.changes == 0
    assert ChronologyEntry.objects.count() == before


def test_a_re_dated_conference_authorisation_and_review_amend_their_entries(world, actor):
    run(CONTENT, actor)
    b = child("B200")
    firsts = {source: latest(b, source) for source in CENSUS_SOURCES}
    changed = edited(
        CONTENT,
        lambda tree: [
            set_text(f"{B}/Section47/DateOfInitialCPC", "2025-07-02")(tree),
            set_text(f"{B}/Assessments/AssessmentAuthorisationDate", "2025-07-21")(tree),
            set_text(f"{B}/ChildProtectionPlans/Reviews/CPPreviewDate", "2025-10-02")(tree),
        ],
    )
    run(changed, actor)
    for source, new_date in (
        (SourceType.CENSUS_ICPC, date(2025, 7, 2)),
        (SourceType.CENSUS_ASSESSMENT_AUTHORISED, date(2025, 7, 21)),
        (SourceType.CENSUS_CP_REVIEW, date(2025, 10, 2)),
    ):
        now = latest(b, source)
        assert now.supersedes_id == firsts[source].pk and now.occurred_on == new_date, source
        firsts[source].refresh_from_db()
        assert firsts[source].occurred_on != new_date
    # The enquiry's outcome names the new conference date; the conference no longer meets the plan's start.
    assert latest(b, SourceType.CENSUS_SECTION47).action_taken == "Outcome: initial child protection conference held on 2 July 2025."
    assert latest(b, SourceType.CENSUS_ICPC).action_taken == "Outcome: no child protection plan starting on this day is in the census return."
    assert latest(b, SourceType.CENSUS_ASSESSMENT).pk == firsts[SourceType.CENSUS_ASSESSMENT].pk
    assert list(CensusReview.objects.filter(plan_census__plan__case__child=b).values_list("held_on", flat=True)) == [date(2025, 10, 2)]


def test_a_review_added_by_a_later_return_gets_its_own_entry(world, actor):
    run(CONTENT, actor)

    def add_review(tree):
        reviews = tree.find(f"{B}/ChildProtectionPlans/Reviews")
        reviews.append(reviews[0].__copy__())
        reviews[1].text = "2026-01-05"

    result = run(edited(CONTENT, add_review), actor)
    assert result.counts["cp_plans"]["updated"] == 1
    b = child("B200")
    reviews = ChronologyEntry.objects.filter(child=b, source_type=SourceType.CENSUS_CP_REVIEW).order_by("occurred_on")
    assert [entry.occurred_on for entry in reviews] == [date(2025, 10, 1), date(2026, 1, 5)]
    assert "review 2 of" in reviews[1].summary


def test_a_review_a_later_return_drops_keeps_its_entry_amended_to_say_so(world, actor):
    run(CONTENT, actor)
    b = child("B200")
    first = latest(b, SourceType.CENSUS_CP_REVIEW)

    def drop_reviews(tree):
        plan = tree.find(f"{B}/ChildProtectionPlans")
        plan.remove(plan.find("Reviews"))

    run(edited(CONTENT, drop_reviews), actor)
    assert not CensusReview.objects.filter(plan_census__plan__case__child=b).exists()
    now = latest(b, SourceType.CENSUS_CP_REVIEW)
    assert now.supersedes_id == first.pk and "no longer lists it" in now.summary
    assert now.significance == Significance.ROUTINE
    first.refresh_from_db()
    assert first.summary.startswith("Child protection review conference held")
