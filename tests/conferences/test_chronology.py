"""A recorded conference appears in each covered child's chronology, once, and is corrected in place."""

from agencies.access import chronology_entries_visible_to
from conferences.models import Attendance

from .builders import held_review, record


def _conference_entries(world):
    return chronology_entries_visible_to(world.users["csc_manager"]).filter(child=world.case.child, kind="conference")


def test_recording_attendance_puts_the_conference_in_the_chronology(world):
    conference = held_review(world)
    record(conference, world.users["csc_manager"], {world.csc: Attendance.IN_PERSON, world.health: Attendance.VIRTUAL, world.school: Attendance.APOLOGIES})
    entries = list(_conference_entries(world))
    assert len(entries) == 1
    assert entries[0].occurred_on == conference.held_on
    assert world.case.child.given_name not in entries[0].summary, "summaries name agencies, not children"


def test_recording_attendance_again_corrects_rather_than_duplicates(world):
    conference = held_review(world)
    record(conference, world.users["csc_manager"], {world.csc: Attendance.IN_PERSON, world.health: Attendance.VIRTUAL, world.school: Attendance.APOLOGIES})
    record(conference, world.users["csc_manager"], {world.csc: Attendance.IN_PERSON, world.health: Attendance.VIRTUAL, world.school: Attendance.IN_PERSON})
    chains = {entry.original_id or entry.pk for entry in _conference_entries(world)}
    assert len(chains) == 1, "one chain of versions for the one conference"
    assert _conference_entries(world).filter(superseded_by__isnull=True).count() == 1, "one current version"
