"""Writing entries: recording, amending without losing the original, automatic entries from case records."""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AccessEvent, AuditAction
from chronologies.models import ChronologyEntry, DatePrecision, EntryKind, Significance, SourceType
from chronologies.services import (
    chronology_entries_from_conference_events,
    chronology_entry_amend,
    chronology_entry_from_assessment_run,
    chronology_sync_from_source,
)
from concerns.services import concern_amend
from oversight.services import oversight_record
from plans.models import PlanKind
from plans.services import plan_end, plan_start
from tests.factories import make_case, make_child, make_concern, make_plan, make_referral
from tests.tools.builders import all_grades, final_run
from voice.models import Speaker, VoiceMethod
from voice.services import child_voice_record

from .builders import make_entry
from .conftest import TODAY

pytestmark = pytest.mark.django_db

CORRECTION = {
    "occurred_on": date(2026, 10, 2),
    "kind": EntryKind.HOME_VISIT,
    "summary": "Home visit: fridge empty, no heating.",
    "impact_on_child": "Cold and hungry at night.",
}


def chain_of(entry):
    root = entry.original or entry
    return list(ChronologyEntry.objects.filter(pk=root.pk) | ChronologyEntry.objects.filter(original=root))


# --- Recording ------------------------------------------------------------------------------------


def test_an_entry_is_recorded_for_the_authors_agency_with_one_audit_row(world):
    before = AccessEvent.objects.count()
    entry = make_entry(world.case.child, world.users["partner_practitioner"])
    assert (entry.agency, entry.author) == (world.school, world.users["partner_practitioner"])
    assert AccessEvent.objects.count() == before + 1
    event = AccessEvent.objects.first()
    assert (event.action, event.object_type, event.object_id, event.child_id) == (AuditAction.CREATE, "chronology_entry", str(entry.pk), world.case.child_id)


def test_a_month_only_date_is_kept_as_the_first_of_the_month(world):
    entry = make_entry(world.case.child, world.users["partner_practitioner"], occurred_on=date(2026, 3, 17), date_precision=DatePrecision.MONTH)
    assert entry.occurred_on == date(2026, 3, 1)
    assert entry.date_display == "March 2026"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"impact_on_child": "  "}, "impact_on_child", "Describe the impact on the child"),
        ({"occurred_on": date(2026, 11, 25)}, "occurred_on", "The date must be today or in the past"),
        ({"attendance_percentage": Decimal("80")}, "attendance_percentage", "Only a school attendance entry has an attendance percentage"),
        ({"shared_with": ["police"]}, "shared_with", "Name agencies only on a restricted entry"),
    ],
)
def test_recording_refuses_what_the_rules_forbid_and_says_why(world, changes, field, message):
    if changes.get("shared_with"):
        changes = {**changes, "shared_with": [world.police]}
    with pytest.raises(ValidationError) as refused:
        make_entry(world.case.child, world.users["partner_practitioner"], **changes)
    assert message in " ".join(refused.value.message_dict[field])
    assert not ChronologyEntry.objects.exists()


def test_a_restricted_entry_keeps_the_agencies_it_is_shared_with(world):
    entry = make_entry(world.case.child, world.users["granted"], restricted=True, shared_with=[world.school])
    assert entry.restricted and list(entry.shared_with.all()) == [world.school]


# --- Amending -------------------------------------------------------------------------------------


def test_an_amendment_supersedes_the_entry_and_keeps_the_original_as_it_was(world):
    original = make_entry(world.case.child, world.users["partner_practitioner"])
    amendment = chronology_entry_amend(actor=world.users["partner_dsl"], entry=original, reason="Wrong day", **CORRECTION)
    original.refresh_from_db()
    assert original.summary == "Home visit: no food in the fridge."
    assert (amendment.supersedes, amendment.original, amendment.amendment_reason) == (original, original, "Wrong day")
    assert amendment.summary == CORRECTION["summary"] and amendment.author == world.users["partner_dsl"]


def test_an_amendment_keeps_the_restriction_and_sharing_of_the_entry_it_corrects(world):
    original = make_entry(world.case.child, world.users["granted"], restricted=True, shared_with=[world.school])
    amendment = chronology_entry_amend(actor=world.users["granted"], entry=original, reason="Wrong day", **CORRECTION)
    assert amendment.restricted and list(amendment.shared_with.all()) == [world.school]


def test_amending_writes_one_audit_row(world):
    original = make_entry(world.case.child, world.users["partner_practitioner"])
    before = AccessEvent.objects.count()
    chronology_entry_amend(actor=world.users["partner_practitioner"], entry=original, reason="Wrong day", **CORRECTION)
    assert AccessEvent.objects.count() == before + 1


def test_only_the_recording_agency_amends_an_entry(world):
    original = make_entry(world.case.child, world.users["partner_practitioner"])
    with pytest.raises(PermissionDenied):
        chronology_entry_amend(actor=world.users["csc_practitioner"], entry=original, reason="Not ours", **CORRECTION)


def test_an_entry_already_amended_cannot_be_amended_again(world):
    original = make_entry(world.case.child, world.users["partner_practitioner"])
    chronology_entry_amend(actor=world.users["partner_practitioner"], entry=original, reason="Wrong day", **CORRECTION)
    with pytest.raises(ValidationError, match="already been amended"):
        chronology_entry_amend(actor=world.users["partner_practitioner"], entry=original, reason="Again", **CORRECTION)


def test_an_amendment_needs_a_reason(world):
    original = make_entry(world.case.child, world.users["partner_practitioner"])
    with pytest.raises(ValidationError) as refused:
        chronology_entry_amend(actor=world.users["partner_practitioner"], entry=original, reason=" ", **CORRECTION)
    assert refused.value.message_dict["reason"] == ["Say why the entry is being amended"]


def test_an_automatic_entry_is_corrected_through_its_record_not_by_hand(world):
    concern = make_concern(world.case, world.users["partner_practitioner"])
    entry = ChronologyEntry.objects.get(source_type=SourceType.CONCERN, source_id=concern.pk)
    with pytest.raises(ValidationError, match="made from a concern"):
        chronology_entry_amend(actor=world.users["partner_practitioner"], entry=entry, reason="Wrong", **CORRECTION)


# --- Automatic entries from case records -----------------------------------------------------------


def test_a_concern_makes_one_significant_entry_with_its_neglect_types(world):
    concern = make_concern(world.case, world.users["partner_practitioner"], neglect_types=("physical", "medical"))
    entry = ChronologyEntry.objects.get()
    assert (entry.source_type, entry.source_id, entry.kind, entry.significance) == (SourceType.CONCERN, concern.pk, EntryKind.CONCERN, Significance.SIGNIFICANT)
    assert (entry.child, entry.agency, entry.author, entry.occurred_on) == (
        world.case.child,
        world.school,
        world.users["partner_practitioner"],
        concern.observed_on,
    )
    assert (entry.summary, entry.impact_on_child, entry.neglect_types) == (concern.description, concern.impact_on_child, ["physical", "medical"])


def test_syncing_the_same_record_again_adds_nothing(world):
    concern = make_concern(world.case, world.users["partner_practitioner"])
    first = ChronologyEntry.objects.get()
    again = chronology_sync_from_source(
        source_type=SourceType.CONCERN,
        source_id=concern.pk,
        child=concern.child,
        agency=concern.agency,
        author=concern.recorded_by,
        occurred_on=concern.observed_on,
        kind=EntryKind.CONCERN,
        summary=concern.description,
        impact_on_child=concern.impact_on_child,
        significance=Significance.SIGNIFICANT,
        neglect_types=concern.neglect_types,
    )
    assert again == first and ChronologyEntry.objects.count() == 1


def test_an_amended_concern_supersedes_its_entry_instead_of_adding_a_second(world):
    concern = make_concern(world.case, world.users["partner_practitioner"])
    for reason, description in [("Wrong date", "Hungry again."), ("More detail", "Hungry again; no coat in the snow.")]:
        concern_amend(
            actor=world.users["partner_dsl"],
            concern=concern,
            reason=reason,
            observed_on=date(2026, 11, 2),
            neglect_types=["nutritional"],
            description=description,
            impact_on_child="Cold and hungry.",
        )
    chain = chain_of(ChronologyEntry.objects.get(source_type=SourceType.CONCERN))
    current = ChronologyEntry.objects.filter(superseded_by__isnull=True)
    assert len(chain) == 3 and current.count() == 1
    latest = current.get()
    assert (latest.summary, latest.neglect_types, latest.author) == ("Hungry again; no coat in the snow.", ["nutritional"], world.users["partner_dsl"])
    assert latest.amendment_reason == "Concern amended: More detail"


def test_plans_starting_and_ending_make_entries_for_the_acting_agency(world):
    plan = plan_start(
        actor=world.users["csc_practitioner"], case=world.case, kind=PlanKind.CHILD_PROTECTION, cp_category="neglect", started_on=date(2026, 2, 1)
    )
    plan_end(actor=world.users["csc_practitioner"], plan=plan, ended_on=date(2026, 9, 1), end_reason="Outcomes met")
    started, ended = ChronologyEntry.objects.order_by("occurred_on")
    assert (started.kind, started.agency, started.significance, started.summary) == (
        EntryKind.PLAN_STARTED,
        world.csc,
        Significance.SIGNIFICANT,
        "Child Protection plan (neglect) started.",
    )
    assert (ended.kind, ended.occurred_on, ended.summary) == (EntryKind.PLAN_ENDED, date(2026, 9, 1), "Child Protection plan (neglect) ended: Outcomes met")


def test_a_plan_started_by_the_system_is_recorded_for_the_lead_agency(world):
    make_plan(world.case, kind=PlanKind.EARLY_HELP)
    entry = ChronologyEntry.objects.get()
    assert (entry.agency, entry.author, entry.author_name, entry.significance) == (world.health, None, "Recorded automatically", Significance.ROUTINE)


def test_referrals_oversight_and_the_childs_voice_make_entries(world):
    make_referral(world.case.child, world.users["partner_practitioner"], referred_on=date(2026, 6, 1), case=world.case)
    oversight_record(
        actor=world.users["lead_manager"],
        case=world.case,
        recorded_on=TODAY,
        decision="Step up to a strategy discussion",
        reasons="Hunger reported by two agencies",
        next_review_on=date(2026, 12, 22),
    )
    child_voice_record(
        actor=world.users["partner_practitioner"],
        case=world.case,
        recorded_on=TODAY,
        what_was_said="I'm always hungry at home",
        method=VoiceMethod.WORDS,
        speaker=Speaker.CHILD,
        how_they_feel="Sad",
    )
    entries = {entry.kind: entry for entry in ChronologyEntry.objects.all()}
    assert set(entries) == {EntryKind.REFERRAL, EntryKind.MANAGEMENT_OVERSIGHT, EntryKind.CHILDS_VOICE}
    assert entries[EntryKind.REFERRAL].summary == "Referred to children's social care for neglect: Repeated hunger at school"
    assert (entries[EntryKind.MANAGEMENT_OVERSIGHT].agency, entries[EntryKind.MANAGEMENT_OVERSIGHT].impact_on_child) == (
        world.health,
        "Hunger reported by two agencies",
    )
    assert (entries[EntryKind.CHILDS_VOICE].summary, entries[EntryKind.CHILDS_VOICE].impact_on_child) == ("The child (words): I'm always hungry at home", "Sad")


def test_a_source_the_chronology_does_not_know_is_refused(world):
    with pytest.raises(ValueError, match="Unknown chronology source"):
        chronology_sync_from_source(
            source_type="letter",
            source_id=1,
            child=world.case.child,
            agency=world.school,
            author=None,
            occurred_on=TODAY,
            kind=EntryKind.OTHER,
            summary="A letter",
            impact_on_child="None known",
        )


# --- Adapters for records built in other apps (conferences, assessment runs) -----------------------


def conference_event(world, child, **changes):
    """The attributes of `conferences.selectors.ConferenceEvent` the chronology reads."""
    fields = {
        "conference_id": 41,
        "child_id": child.pk,
        "occurred_on": date(2026, 11, 2),
        "conference_kind": "initial_cp",
        "agency_id": world.csc.pk,
        "summary": "Initial child protection conference (in person). Took part: Riverside School.",
    }
    return SimpleNamespace(**{**fields, **changes})


def test_a_conference_about_siblings_makes_one_entry_per_child_and_rerecording_supersedes(world):
    sibling = make_case(world.health, child=make_child(given_name="Ava", family=world.case.child.family)).child
    events = [conference_event(world, world.case.child), conference_event(world, sibling)]
    chronology_entries_from_conference_events(events=events)
    decided = [
        conference_event(world, child, summary="Initial child protection conference. Decision: start, category neglect.")
        for child in (world.case.child, sibling)
    ]
    latest = chronology_entries_from_conference_events(events=decided, author=world.users["csc_manager"])
    assert ChronologyEntry.objects.count() == 4
    assert [(entry.child, entry.kind, entry.significance, entry.amendment_reason) for entry in latest] == [
        (world.case.child, EntryKind.CONFERENCE, Significance.SIGNIFICANT, "The conference record was updated"),
        (sibling, EntryKind.CONFERENCE, Significance.SIGNIFICANT, "The conference record was updated"),
    ]
    assert chronology_entries_from_conference_events(events=decided) == latest


def test_a_family_group_conference_has_its_own_kind(world):
    [entry] = chronology_entries_from_conference_events(events=[conference_event(world, world.case.child, conference_kind="family_group")])
    assert (entry.kind, entry.significance) == (EntryKind.FAMILY_GROUP_CONFERENCE, Significance.ROUTINE)


def test_a_final_assessment_run_makes_an_entry_with_the_childs_view(world):
    run = final_run(world.case, world.users["lead_practitioner"], values=all_grades(3))
    entry = chronology_entry_from_assessment_run(run=run)
    assert (entry.kind, entry.agency, entry.author, entry.occurred_on) == (
        EntryKind.ASSESSMENT,
        world.health,
        world.users["lead_practitioner"],
        run.assessed_on,
    )
    # Version 2 of the shipped GCP2 has no overall figure (docs/tools.md), so the summary names none.
    assert entry.summary == "Graded Care Profile 2 completed."
    assert entry.impact_on_child == f"The child's view, recorded with the assessment: {run.child_voice}"
