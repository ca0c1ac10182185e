"""The nightly matching of the theme window's entries against the theme words (chronologies/tasks.py, entry_themes_sweep).

It stores what the pages would have matched themselves, so that a chronology read after it meets no
entry to match (and queues nothing), and its patterns are the same as before.
"""

from datetime import timedelta

import pytest
import time_machine
from django_celery_beat.models import PeriodicTask

from agencies.access import chronology_entries_visible_to
from chronologies.models import ChronologyEntry, EntryKind, EntryThemes
from chronologies.pattern_aggregates import entry_themes_match_window, keyword_themes, patterns_from_aggregates
from chronologies.patterns import months_before, theme_window_months
from chronologies.tasks import entry_themes_sweep
from tests.factories import make_case, make_child

from .test_pattern_aggregates import TODAY, _entries_for, _reference, _summary

pytestmark = pytest.mark.django_db


def _child_with_entries(world, count):
    child = make_child()
    make_case(world.health, child=child, team=[world.school])
    _entries_for(world, child, count)
    return child


def test_the_window_is_matched_as_the_pages_match_it_and_only_once(world, django_capture_on_commit_callbacks):
    child = _child_with_entries(world, 40)
    start = months_before(TODAY, theme_window_months())
    old = ChronologyEntry.objects.create(
        child=child, agency=world.health, occurred_on=start - timedelta(days=1), kind=EntryKind.CONCERN, summary="Head lice again.", impact_on_child="Itchy"
    )
    in_window = ChronologyEntry.objects.filter(child=child, occurred_on__gte=start, occurred_on__lte=TODAY)
    _, digest = keyword_themes()

    assert entry_themes_match_window(today=TODAY) == in_window.count() > 0
    stored = dict(EntryThemes.objects.filter(dictionary=digest).values_list("entry_id", "themes"))
    assert set(stored) == set(in_window.values_list("pk", flat=True))  # the window only: not the entry before it
    assert old.pk not in stored
    head_lice = set(in_window.filter(summary__startswith="Head lice").values_list("pk", flat=True))
    assert head_lice and all("|theme_head_lice|" in stored[pk] for pk in head_lice)
    assert all("|theme_head_lice|" not in themes for pk, themes in stored.items() if pk not in head_lice)
    assert entry_themes_match_window(today=TODAY) == 0  # again: nothing new

    # A page read now meets nothing to match: it queues no job, and finds what the reference rules find.
    visible = chronology_entries_visible_to(world.users["csc_practitioner"]).filter(child=child)
    with django_capture_on_commit_callbacks() as queued:
        found = patterns_from_aggregates(visible, today=TODAY)
    assert queued == []
    assert _summary(found) == _summary(_reference(visible))


def test_the_page_matches_only_what_was_recorded_after_the_sweep(world, django_capture_on_commit_callbacks):
    child = _child_with_entries(world, 12)
    entry_themes_match_window(today=TODAY)
    new = ChronologyEntry.objects.create(
        child=child, agency=world.school, occurred_on=TODAY, kind=EntryKind.CONCERN, summary="Head lice again.", impact_on_child="Itchy"
    )
    visible = chronology_entries_visible_to(world.users["csc_practitioner"]).filter(child=child)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        patterns_from_aggregates(visible, today=TODAY)
    assert len(queued) == 1  # the new entry's answer, stored after commit
    _, digest = keyword_themes()
    assert EntryThemes.objects.get(entry=new, dictionary=digest).themes == "|theme_head_lice|"


def test_new_theme_words_are_matched_again_by_the_next_sweep(world, settings):
    child = _child_with_entries(world, 10)
    entry_themes_match_window(today=TODAY)
    settings.CHRONOLOGY_THEME_KEYWORDS = {"Dog bites": ["dog bite"]}
    _, digest = keyword_themes()
    assert not EntryThemes.objects.filter(dictionary=digest).exists()
    assert entry_themes_match_window(today=TODAY) == ChronologyEntry.objects.filter(child=child, occurred_on__lte=TODAY).count()


def test_the_task_is_scheduled_each_night_and_matches_as_of_today(world):
    task = PeriodicTask.objects.get(task="chronologies.tasks.entry_themes_sweep")
    assert task.enabled and (task.crontab.hour, task.crontab.minute) == ("0", "50")
    child = _child_with_entries(world, 6)
    with time_machine.travel(TODAY + timedelta(days=1), tick=False):
        assert entry_themes_sweep() == ChronologyEntry.objects.filter(child=child).count()
