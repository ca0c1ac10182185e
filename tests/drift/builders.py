"""Records that make (or keep away) drift flags, built through the product's services."""

from datetime import date

from drift.rules import drift_flags_for_cases
from oversight.services import oversight_record
from voice.models import Speaker, VoiceMethod
from voice.services import child_voice_record


def flags_of(world, user="csc_manager", case=None, today=None):
    case = case or world.case
    return drift_flags_for_cases(user=world.users[user], case_ids=[case.pk], today=today).get(case.pk, [])


def flag(world, code, **kwargs):
    """The one flag of `code` on the case, or None."""
    found = [flag for flag in flags_of(world, **kwargs) if flag.code == code]
    assert len(found) <= 1, found
    return found[0] if found else None


def oversight_on(world, recorded_on, manager="csc_manager"):
    return oversight_record(
        actor=world.users[manager],
        case=world.case,
        recorded_on=recorded_on,
        decision="Continue the plan",
        reasons="Progress is steady",
        next_review_on=date(2027, 1, 1),
    )


def voice_on(world, recorded_on, speaker=Speaker.CHILD):
    return child_voice_record(
        actor=world.users["lead_practitioner"],
        case=world.case,
        recorded_on=recorded_on,
        what_was_said="I like school dinners",
        method=VoiceMethod.WORDS,
        speaker=speaker,
    )
