"""A child's record spread over agencies, with a mother, a sibling and a restricted police entry.

Tests run on a frozen clock ("today" is Tuesday 24 November 2026, noon in London), except those that
start a real Celery worker (marked `services`), whose timers need the real clock.
"""

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from chronologies.models import EntryKind
from households.services import ChildRelationship, adult_add
from oversight.services import oversight_record
from tests.chronologies.builders import make_entry
from tests.factories import make_child, make_concern, make_plan, make_referral
from voice.services import child_voice_record

POLICE_SECRET = "Intelligence ref 7731: associate known to police"


@pytest.fixture(autouse=True)
def frozen_today(request):
    if request.node.get_closest_marker("services"):
        yield
        return
    with time_machine.travel(datetime(2026, 11, 24, 12, 0, tzinfo=ZoneInfo("Europe/London")), tick=False):
        yield


@dataclass
class Record:
    child: object
    sibling: object
    mother: object
    concern_naming_mother: object
    plain_concern: object
    restricted_entry: object
    plain_entry: object


@pytest.fixture
def record(world):
    child = world.case.child
    sibling = make_child(given_name="Ruby", family_name=child.family_name, date_of_birth=date(2019, 3, 2), family=child.family)
    mother = adult_add(
        actor=None,
        family=child.family,
        given_name="Dana",
        family_name="Moss",
        relationships=[ChildRelationship(child=child, relationship="mother", parental_responsibility=True)],
    )
    lead = world.users["lead_practitioner"]
    naming = make_concern(world.case, lead, description="Dana said there was no money for food this week.", impact_on_child="Hungry at school.")
    plain = make_concern(world.case, world.users["partner_practitioner"], description="Same clothes all week.", impact_on_child="Teased by others.")
    make_plan(world.case, actor=world.users["csc_manager"])
    make_referral(child, lead, referred_on=date(2026, 6, 1), case=world.case)
    oversight_record(
        actor=world.users["lead_manager"],
        case=world.case,
        recorded_on=date(2026, 11, 2),
        decision="Keep open",
        reasons="Ruby is also at risk: see her case.",
        next_review_on=date(2026, 12, 2),
    )
    child_voice_record(actor=lead, case=world.case, recorded_on=date(2026, 11, 3), what_was_said="I like school dinners.", method="words")
    restricted = make_entry(
        child, world.users["granted"], kind=EntryKind.POLICE_CALL_OUT, summary=POLICE_SECRET, impact_on_child="Not known yet", restricted=True
    )
    entry = make_entry(child, lead, summary="Home visit: cupboards bare.")
    return Record(child, sibling, mother, naming, plain, restricted, entry)
