"""Chronology entries for households and the front door (issue 14).

* A child or adult joining or leaving a household is a recorded decision: it goes on the
  chronology of each child it concerns (the child who moved; for an adult, every child living in
  the household), from `cases.events.household_member_changed` (connected in apps.py).
* A household concern, once the front door links it to children, goes on each linked child's
  chronology as a concern of the agency that recorded it (called by `frontdoor.services`).
* A front-door decision goes on the chronology of each child it is about (called by `frontdoor`).

All go through `services.chronology_sync_from_source`, keyed on the record and the child, so a
repeat call adds nothing. None writes an audit row: the service that made the record did.
"""

from cases.models import Child

from .models import EntryKind, Significance, SourceType
from .services import _acting_agency, chronology_sync_from_source

HOUSEHOLD_IMPACT = "Who the child lives with has changed: think about what it means for their care and safety."


def _name(person) -> str:
    return f"{person.given_name} {person.family_name}"


def chronology_entries_from_household_change(*, member, actor, joined: bool) -> list:
    """The entries of one membership starting or ending (no entry without a person behind it, such as a seed or a backfill)."""
    if actor is None:
        return []
    agency = _acting_agency(actor, None)
    if agency is None:
        return []
    family = member.family
    relationship = member.get_relationship_display().lower()
    if member.child_id:
        children = [member.child]
        what = f"Joined the household {family} ({relationship})" if joined else f"No longer lives in the household {family}"
    else:
        # Every child living there now (a leaving adult's children are still there), in one query.
        children = list(Child.objects.filter(family_id=family.pk).order_by("pk"))
        adult = _name(member.adult)
        what = f"{adult} joined the household as {relationship}" if joined else f"{adult} ({relationship}) no longer lives in the household"
    reason = member.reason if joined else member.removal_reason
    on = member.joined_on if joined else member.left_on
    source = SourceType.HOUSEHOLD_JOINED if joined else SourceType.HOUSEHOLD_LEFT
    return [
        chronology_sync_from_source(
            source_type=source,
            source_id=member.pk,
            child=child,
            agency=agency,
            author=actor,
            occurred_on=on,
            kind=EntryKind.HOUSEHOLD_CHANGE,
            summary=f"{what}. Why: {reason}",
            impact_on_child=HOUSEHOLD_IMPACT,
            significance=Significance.SIGNIFICANT if member.adult_id else Significance.ROUTINE,
        )
        for child in children
    ]


def chronology_entries_from_household_concern(*, household_concern, children) -> list:
    """A household concern on each linked child's chronology, as the recording agency's concern."""
    concern = household_concern
    where = ", ".join(filter(None, [concern.address.replace("\n", ", "), concern.postcode])) or concern.parent_name
    return [
        chronology_sync_from_source(
            source_type=SourceType.HOUSEHOLD_CONCERN,
            source_id=concern.pk,
            child=child,
            agency=concern.agency,
            author=concern.recorded_by,
            occurred_on=concern.observed_on,
            kind=EntryKind.CONCERN,
            summary=f"Concern about the household ({where}): {concern.description}",
            impact_on_child=concern.impact_on_child,
            action_taken=concern.action_taken,
            significance=Significance.SIGNIFICANT,
            neglect_types=concern.neglect_types,
        )
        for child in children
    ]


def chronology_entries_from_front_door_decision(*, decision, children, actor) -> list:
    """The front door's decision, with the level of need and the reasons, on each child's chronology it is about."""
    lead = decision.early_help_lead
    named = f" Early help lead: {lead.get_full_name() or lead.get_username()}." if lead is not None else ""
    return [
        chronology_sync_from_source(
            source_type=SourceType.FRONT_DOOR_DECISION,
            source_id=decision.pk,
            child=child,
            agency=_acting_agency(actor, None) or decision.agency,
            author=actor,
            occurred_on=decision.decided_on,
            kind=EntryKind.FRONT_DOOR_DECISION,
            summary=f"Front door decision: {decision.get_outcome_display()} (level of need: {decision.get_threshold_display()}).{named}",
            # Routine, not significant: the front door's answer must not count towards the concerns it answers (patterns.py).
            impact_on_child=decision.reasons,
            significance=Significance.ROUTINE,
        )
        for child in children
    ]
