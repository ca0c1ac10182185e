"""Recording the child's voice (voice/services.py)."""

import pytest

from voice.models import Speaker, VoiceMethod
from voice.services import child_voice_record

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def test_the_childs_voice_is_recorded_against_the_recorders_agency(world):
    voice = child_voice_record(
        actor=world.users["partner_practitioner"],
        case=world.case,
        recorded_on=TODAY,
        speaker=Speaker.CHILD,
        what_was_said="Drew an empty fridge",
        method=VoiceMethod.DRAWING,
    )
    assert voice.agency == world.school
