"""Patterns counted by the database (chronologies/pattern_aggregates.py) equal the reference rules (patterns.detect_patterns).

Hypothesis draws a household's chronology (two children; entries of every kind the patterns read,
from several agencies, dated across both windows, some restricted, some with theme words); for
readers who see all of it and readers who see part of it, the child's and the family's patterns
from the aggregates are the reference's, reason for reason and entry for entry. Then: a fixed
number of queries, and the key-word themes matched once.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agencies.access import chronology_entries_visible_to
from cases.services import family_create
from chronologies.models import ChronologyEntry, EntryKind, EntryThemes, Significance
from chronologies.pattern_aggregates import SHOWN, keyword_themes, pattern_summaries, patterns_from_aggregates
from chronologies.patterns import _pattern_entries, detect_patterns
from chronologies.tasks import entry_themes_store
from tests.factories import make_case, make_child

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 24)
SUMMARIES = [
    "Head lice again.",
    "Clothes unwashed and smelly",
    "No food in the house; mould in the bedroom.",
    "Was not brought to the dentist.",
    "Seen at school",
    "Hungry, no breakfast",
    "Conditions at home were dirty.",
    "",
]
KINDS = [
    EntryKind.CONCERN,
    EntryKind.HOME_VISIT,
    EntryKind.SCHOOL_ABSENCE,
    EntryKind.SCHOOL_ATTENDANCE,
    EntryKind.HEALTH_APPOINTMENT_MISSED,
    EntryKind.HEALTH_APPOINTMENT_ATTENDED,
    EntryKind.OTHER,
]

entries = st.lists(
    st.tuples(
        st.integers(0, 1),  # which child
        st.sampled_from(KINDS),
        st.integers(-5, 420),  # days ago (a few in the future)
        st.sampled_from(["csc", "health", "school"]),
        st.sampled_from(list(Significance.values)),
        st.sampled_from(SUMMARIES),
        st.integers(70, 100),  # attendance
        st.booleans(),  # neglect: medical
        st.sampled_from([False, False, False, True]),  # restricted
    ),
    max_size=30,
)


def _write(world, household, specs):
    agencies = {"csc": world.csc, "health": world.health, "school": world.school}
    children = [make_child(family=household), make_child(family=household)]
    for child in children:
        make_case(world.health, child=child, team=[world.school])
    ChronologyEntry.objects.bulk_create(
        ChronologyEntry(
            child=children[which],
            kind=kind,
            occurred_on=TODAY - timedelta(days=ago),
            agency=agencies[agency],
            significance=significance,
            summary=summary or "Recorded",
            impact_on_child="Tired" if summary else "Unwashed again",
            neglect_medical=medical,
            restricted=restricted,
            attendance_percentage=Decimal(percentage) if kind == EntryKind.SCHOOL_ATTENDANCE else None,
        )
        for which, kind, ago, agency, significance, summary, percentage, medical, restricted in specs
    )
    return children


def _reference(visible):
    return detect_patterns(_pattern_entries(visible, TODAY), today=TODAY)


def _summary(patterns):
    """What the chronology and case pages show of each pattern."""
    return [(pattern.code, pattern.title, pattern.reason, len(pattern.entries)) for pattern in patterns]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(specs=entries)
def test_the_aggregates_find_the_reference_patterns(world, specs):
    with transaction.atomic():
        household = family_create(name="A household", locality="North")
        children = _write(world, household, specs)
        for reader in ("csc_practitioner", "partner_practitioner", "lead_practitioner"):
            visible = chronology_entries_visible_to(world.users[reader])
            for scope in (visible.filter(child=children[0]), visible.filter(child__family_id=household.pk)):
                reference = _reference(scope)
                assert patterns_from_aggregates(scope, today=TODAY) == reference, reader
                cache.clear()  # ids come back after a rollback on some databases: start each example afresh
                assert _summary(pattern_summaries(scope, today=TODAY)) == _summary(reference), reader
                assert _summary(pattern_summaries(scope, today=TODAY)) == _summary(reference), reader  # from the cache
        transaction.set_rollback(True)


def _entries_for(world, child, count, start=TODAY - timedelta(days=300)):
    ChronologyEntry.objects.bulk_create(
        ChronologyEntry(
            child=child,
            agency=[world.csc, world.health, world.school][number % 3],
            occurred_on=start + timedelta(days=number % 300),
            kind=KINDS[number % len(KINDS)],
            summary=SUMMARIES[number % len(SUMMARIES)] or "Recorded",
            impact_on_child="Tired",
            significance=Significance.SIGNIFICANT if number % 4 == 0 else Significance.ROUTINE,
            neglect_medical=number % 5 == 0,
            attendance_percentage=Decimal(80) if KINDS[number % len(KINDS)] == EntryKind.SCHOOL_ATTENDANCE else None,
        )
        for number in range(count)
    )


def _queries(world, child):
    visible = chronology_entries_visible_to(world.users["csc_practitioner"]).filter(child=child)
    with CaptureQueriesContext(connection) as captured:
        found = patterns_from_aggregates(visible, today=TODAY)
    return len(captured.captured_queries), found


def test_the_same_queries_for_1_and_400_entries_with_patterns_shown_in_part(world, django_capture_on_commit_callbacks):
    one, many = make_child(), make_child()
    for child in (one, many):
        make_case(world.health, child=child, team=[world.school])
    _entries_for(world, one, 1)
    _entries_for(world, many, 400)
    counts = {}
    for label, child in (("one", one), ("many", many)):
        with django_capture_on_commit_callbacks(execute=True):  # the first read matches the theme words and stores them after commit
            _queries(world, child)
        counts[label], found = _queries(world, child)
    assert counts["one"] == counts["many"]
    cumulative = next(pattern for pattern in found if pattern.code == "cumulative_concerns")
    assert len(cumulative.entries) > SHOWN  # counted by the database
    assert len(cumulative.entries.head) == SHOWN and cumulative.entries[:SHOWN] == cumulative.entries.head
    assert [entry.pk for entry in cumulative.entries] == list(
        ChronologyEntry.objects.filter(pk__in=[entry.pk for entry in cumulative.entries])
        .order_by("occurred_on", "created_at", "pk")
        .values_list("pk", flat=True)
    )


def test_key_word_themes_are_matched_once_per_set_of_theme_words(world, settings):
    child = make_child()
    make_case(world.health, child=child, team=[world.school])
    _entries_for(world, child, 8)
    _, digest = keyword_themes()
    with transaction.atomic():
        # What the page queues after commit, run here by hand.
        visible = chronology_entries_visible_to(world.users["csc_practitioner"]).filter(child=child)
        assert patterns_from_aggregates(visible, today=TODAY) == _reference(visible)
    matches = [[entry.pk, "|theme_head_lice|"] for entry in ChronologyEntry.objects.filter(child=child, summary__startswith="Head lice")]
    assert entry_themes_store(digest, matches) == len(matches)
    assert entry_themes_store(digest, matches) == len(matches)  # again: nothing new
    assert EntryThemes.objects.filter(dictionary=digest).count() == len(matches)
    settings.CHRONOLOGY_THEME_KEYWORDS = {"Dog bites": ["dog bite"]}
    assert keyword_themes()[1] != digest  # other words: every entry is matched again when next read


# --- The pages' summary (cached) ----------------------------------------------------------------------


def test_the_summary_is_kept_and_answers_again_as_soon_as_the_chronology_changes(world):
    cache.clear()
    child = make_child()
    make_case(world.health, child=child, team=[world.school])
    _entries_for(world, child, 60)
    visible = chronology_entries_visible_to(world.users["csc_practitioner"]).filter(child=child)
    first = pattern_summaries(visible, today=TODAY)
    assert _summary(first) == _summary(patterns_from_aggregates(visible, today=TODAY)) and first
    with CaptureQueriesContext(connection) as captured:
        again = pattern_summaries(visible, today=TODAY)
    assert _summary(again) == _summary(first) and len(captured.captured_queries) == 2  # the theme words and the chronology's shape
    # Its entries are read, in full, only when asked for.
    full = {pattern.code: list(pattern.entries) for pattern in patterns_from_aggregates(visible, today=TODAY)}
    assert {pattern.code: list(pattern.entries) for pattern in again} == full
    # One more concern is in the next answer at once: the cache is never older than the chronology.
    ChronologyEntry.objects.create(child=child, agency=world.school, occurred_on=TODAY, kind=EntryKind.CONCERN, summary="Hungry", impact_on_child="Tired")
    changed = pattern_summaries(visible, today=TODAY)
    assert _summary(changed) == _summary(patterns_from_aggregates(visible, today=TODAY)) != _summary(first)


def test_readers_of_different_agencies_never_share_a_summary(world):
    cache.clear()
    child = make_child()
    make_case(world.health, child=child, team=[world.school])
    # Two health concerns and a restricted police-style entry of social care's: three agencies for social care, two for the school.
    for agency, restricted in ((world.health, False), (world.health, False), (world.csc, True)):
        ChronologyEntry.objects.create(
            child=child,
            agency=agency,
            occurred_on=TODAY - timedelta(days=3),
            kind=EntryKind.CONCERN,
            summary="Hungry",
            impact_on_child="Tired",
            restricted=restricted,
        )
    summaries = {}
    for reader in ("csc_practitioner", "partner_practitioner", "csc_practitioner", "partner_practitioner"):
        visible = chronology_entries_visible_to(world.users[reader]).filter(child=child)
        summaries.setdefault(reader, []).append(_summary(pattern_summaries(visible, today=TODAY)))
        assert summaries[reader][-1] == _summary(_reference(visible)), reader
    assert summaries["csc_practitioner"][0] != summaries["partner_practitioner"][0]
