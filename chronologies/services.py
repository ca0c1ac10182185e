"""Writes of chronology entries. Each function is one business action, atomic and audited (except
the automatic sync, whose caller's service audits the record it was made from: see there).

Who may act is decided before a service is called: views and the API get the child through
`agencies.access.access_child(..., action="contribute")` (or an entry through
`selectors.access_entry`) and pass it in. Services enforce the business rules: dates, the
required impact on the child, who may amend, and that entries are never changed, only superseded.

Automatic entries come from case records through ONE service, `chronology_sync_from_source`, keyed
on the record and child (`source_type`, `source_id`, `child`): calling it again with the same content does nothing,
and calling it with changed content (the record was amended) adds an amendment to the record's
chain instead of a second entry. The `chronology_entry_from_*` functions below turn each kind of
case record into that call, so `cases/services.py` adds one line per service.

Rule failures raise `ValidationError` keyed by field, so forms and the API show each message
beside its field.
"""

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from agencies import access
from agencies.models import Agency
from audit.models import AuditAction
from audit.services import audit_record
from cases.validators import validate_known_neglect_types
from concerns.models import ConcernContent, NeglectType
from plans.models import PlanKind
from voice.models import Speaker

from . import events
from .importing import ImportPlan, plan_import
from .models import ChronologyEntry, DatePrecision, EntryKind, Significance, SourceType

User = AbstractBaseUser
Request = HttpRequest | None

OBJECT_TYPE = "chronology_entry"


def _text(value: str | None) -> str:
    return (value or "").strip()


def _agency_of(actor: User) -> Agency:
    membership = access.membership_of(actor)
    access.require(actor, membership is not None, reason="Only an active member of a partner agency can record chronology entries.")
    return membership.agency


def _content(
    *,
    occurred_on: date,
    kind: str,
    summary: str,
    impact_on_child: str,
    action_taken: str = "",
    significance: str = Significance.ROUTINE,
    date_precision: str = DatePrecision.DAY,
    neglect_types: Sequence[str] = (),
    attendance_percentage: Decimal | None = None,
) -> dict:
    """The content columns, normalised: trimmed text, month-only dates on the 1st, neglect flags."""
    neglect_types = list(neglect_types or ())
    validate_known_neglect_types(neglect_types, NeglectType.values)
    if occurred_on is not None and date_precision == DatePrecision.MONTH:
        occurred_on = occurred_on.replace(day=1)
    return {
        "occurred_on": occurred_on,
        "date_precision": date_precision or DatePrecision.DAY,
        "kind": kind,
        "summary": _text(summary),
        "impact_on_child": _text(impact_on_child),
        "action_taken": _text(action_taken),
        "significance": significance or Significance.ROUTINE,
        "attendance_percentage": attendance_percentage,
        **ConcernContent.neglect_flags(neglect_types),
    }


def _save_valid(entry: ChronologyEntry, shared_with: Iterable[Agency] = ()) -> ChronologyEntry:
    entry.full_clean()
    entry.save()
    entry.shared_with.set(shared_with)
    events.entries_recorded.send(sender=ChronologyEntry, child_ids=[entry.child_id])
    return entry


def _audit_created(*, actor, entry: ChronologyEntry, detail: str, request: Request) -> None:
    audit_record(
        user=actor,
        action=AuditAction.CREATE,
        object_type=OBJECT_TYPE,
        object_id=entry.pk,
        child_id=entry.child_id,
        detail=detail,
        request=request,
    )


def _supersede(*, current: ChronologyEntry, author, content: dict, reason: str) -> ChronologyEntry:
    """A new version of `current`'s chain: same child, agency, restriction and sharing.

    The restriction is the chain's, never the amender's choice: if versions differed, a reader
    could see an original whose correction is hidden from them, and take it for the current one.
    """
    amendment = ChronologyEntry(
        child_id=current.child_id,
        agency_id=current.agency_id,
        author=author,
        restricted=current.restricted,
        original_id=current.original_id or current.pk,
        supersedes=current,
        amendment_reason=_text(reason),
        **content,
    )
    return _save_valid(amendment, shared_with=list(current.shared_with.all()))


def made_from_refusal(entry: ChronologyEntry) -> str:
    return f"This entry was made from a {entry.made_from}. Correct the {entry.made_from} itself and the chronology follows."


# --- Entries recorded by a practitioner ------------------------------------------------------


@transaction.atomic
def chronology_entry_record(
    *,
    actor: User,
    child,
    occurred_on: date,
    kind: str,
    summary: str,
    impact_on_child: str,
    action_taken: str = "",
    significance: str = Significance.ROUTINE,
    date_precision: str = DatePrecision.DAY,
    neglect_types: Sequence[str] = (),
    attendance_percentage: Decimal | None = None,
    restricted: bool = False,
    shared_with: Iterable[Agency] = (),
    request: Request = None,
) -> ChronologyEntry:
    """Record an event in the child's life for the actor's agency (the caller checked `contribute`).

    Agencies named in `shared_with` matter only for a restricted entry: they, the recording agency
    and children's social care are the only readers (agencies.access).
    """
    agency = _agency_of(actor)
    shared_with = list(shared_with)
    if shared_with and not restricted:
        raise ValidationError({"shared_with": "Name agencies only on a restricted entry: everyone who can see the child sees the others"})
    content = _content(
        occurred_on=occurred_on,
        kind=kind,
        summary=summary,
        impact_on_child=impact_on_child,
        action_taken=action_taken,
        significance=significance,
        date_precision=date_precision,
        neglect_types=neglect_types,
        attendance_percentage=attendance_percentage,
    )
    entry = _save_valid(ChronologyEntry(child=child, agency=agency, author=actor, restricted=restricted, **content), shared_with)
    _audit_created(actor=actor, entry=entry, detail=f"{entry.kind}{' restricted' if restricted else ''}", request=request)
    return entry


def chronology_entry_amend(
    *,
    actor: User,
    entry: ChronologyEntry,
    reason: str,
    occurred_on: date,
    kind: str,
    summary: str,
    impact_on_child: str,
    action_taken: str = "",
    significance: str = Significance.ROUTINE,
    date_precision: str = DatePrecision.DAY,
    neglect_types: Sequence[str] = (),
    attendance_percentage: Decimal | None = None,
    request: Request = None,
) -> ChronologyEntry:
    """Correct an entry: a new version restating the whole content, and why. The original stays.

    * Only the recording agency corrects its entry (as with concerns: another agency's account is
      not another's to rewrite; they record their own entry).
    * An automatic entry is corrected through its record (amend the concern...), whose service
      re-syncs the chronology; a hand-made correction would be overwritten by the next sync.
    * The latest version is corrected, never an older one: the entry row is locked, so two
      people correcting it at once get one amendment and one clear refusal, not a fork.
    """
    _agency_of(actor)
    access.require(
        actor,
        access.can_amend_entry(actor, entry),
        request=request,
        reason="Only the agency that recorded an entry can amend it.",
        object_type=access.CHRONOLOGY_ENTRY,
        object_id=entry.pk,
        child_id=entry.child_id,
    )
    # The refusal above is audited outside the transaction, so its row survives; the writes below are one unit.
    with transaction.atomic():
        entry = ChronologyEntry.objects.select_for_update(of=("self",)).select_related("original").get(pk=entry.pk)
        if entry.is_automatic:
            raise ValidationError({NON_FIELD_ERRORS: made_from_refusal(entry)})
        if ChronologyEntry.objects.filter(supersedes=entry).exists():
            raise ValidationError({NON_FIELD_ERRORS: "This entry has already been amended. Amend its latest version instead."})
        if not _text(reason):
            raise ValidationError({"reason": "Say why the entry is being amended"})
        content = _content(
            occurred_on=occurred_on,
            kind=kind,
            summary=summary,
            impact_on_child=impact_on_child,
            action_taken=action_taken,
            significance=significance,
            date_precision=date_precision,
            neglect_types=neglect_types,
            attendance_percentage=attendance_percentage,
        )
        amendment = _supersede(current=entry, author=actor, content=content, reason=reason)
        _audit_created(actor=actor, entry=amendment, detail=f"amends entry {entry.pk}", request=request)
        return amendment


# --- Automatic entries from case records -------------------------------------------------------


@transaction.atomic
def chronology_sync_from_source(
    *,
    source_type: str,
    source_id: int,
    child,
    agency: Agency,
    author: User | None,
    occurred_on: date,
    kind: str,
    summary: str,
    impact_on_child: str,
    significance: str = Significance.ROUTINE,
    action_taken: str = "",
    date_precision: str = DatePrecision.DAY,
    neglect_types: Sequence[str] = (),
    attendance_percentage: Decimal | None = None,
    restricted: bool = False,
    shared_with: Iterable[Agency] = (),
    amendment_reason: str = "The record it was made from was amended",
) -> ChronologyEntry:
    """Make or refresh the chronology entry of one case record for one child; return it as it now reads.

    Idempotent on (`source_type`, `source_id`, `child`):

    * no entry yet: one is created (`restricted` and `shared_with` are taken from this first call);
    * the latest version already says the same: nothing is written;
    * the content changed (the record was amended): a new version supersedes the latest one, with
      `amendment_reason` and `author` (who amended the record). The earlier version stays visible.

    The chain's original is locked first, so two syncs of one record run one after the other. A
    record's first sync runs in the transaction that creates the record, so no other transaction
    can sync it before it exists; the unique constraint on the source is the last guard.

    No audit row of its own: it is called inside the service that records the case record, whose
    audit row is the business action; the entry is that record's place on the timeline. Callers in
    other apps (conferences, assessment runs) call it inside their own audited service.
    """
    return _sync(
        source_type=source_type,
        source_id=source_id,
        child_id=child.pk,
        agency_id=agency.pk,
        author=author,
        restricted=restricted,
        shared_with=shared_with,
        amendment_reason=amendment_reason,
        content=_content(
            occurred_on=occurred_on,
            kind=kind,
            summary=summary,
            impact_on_child=impact_on_child,
            action_taken=action_taken,
            significance=significance,
            date_precision=date_precision,
            neglect_types=neglect_types,
            attendance_percentage=attendance_percentage,
        ),
    )


def _sync(*, source_type, source_id, child_id, agency_id, author, restricted, shared_with, amendment_reason, content) -> ChronologyEntry:
    """`chronology_sync_from_source` by ids (callers holding only ids need not fetch the child)."""
    if source_type not in SourceType.values:
        raise ValueError(f"Unknown chronology source {source_type!r}; known: {SourceType.values}")
    original = ChronologyEntry.objects.select_for_update().filter(source_type=source_type, source_id=source_id, child_id=child_id).first()
    if original is None:
        entry = ChronologyEntry(
            child_id=child_id,
            agency_id=agency_id,
            author=author,
            restricted=restricted,
            source_type=source_type,
            source_id=source_id,
            **content,
        )
        return _save_valid(entry, shared_with)
    current = ChronologyEntry.objects.filter(Q(pk=original.pk) | Q(original=original), superseded_by__isnull=True).get()
    if all(getattr(current, field) == value for field, value in content.items()):
        return current
    return _supersede(current=current, author=author, content=content, reason=amendment_reason)


def _acting_agency(actor: User | None, fallback: Agency) -> Agency:
    """The actor's agency; the fallback when a record is made without one (a system action)."""
    membership = access.membership_of(actor)
    return membership.agency if membership is not None else fallback


# A concern is a significant event in the child's life by definition; "critical" is a person's call.
CONCERN_SIGNIFICANCE = Significance.SIGNIFICANT


def chronology_entry_from_concern(*, concern) -> ChronologyEntry:
    """The entry of a concern as first recorded (called inside `concerns.services.concern_record`)."""
    return chronology_sync_from_source(
        source_type=SourceType.CONCERN,
        source_id=concern.pk,
        child=concern.child,
        agency=concern.agency,
        author=concern.recorded_by,
        occurred_on=concern.observed_on,
        kind=EntryKind.CONCERN,
        summary=concern.description,
        impact_on_child=concern.impact_on_child,
        action_taken=concern.action_taken,
        significance=CONCERN_SIGNIFICANCE,
        neglect_types=concern.neglect_types,
    )


def chronology_entry_from_concern_amendment(*, amendment) -> ChronologyEntry:
    """The concern's entry, superseded by the amended content (called inside `concern_amend`)."""
    concern = amendment.concern
    return chronology_sync_from_source(
        source_type=SourceType.CONCERN,
        source_id=concern.pk,
        child=concern.child,
        agency=concern.agency,
        author=amendment.recorded_by,
        occurred_on=amendment.observed_on,
        kind=EntryKind.CONCERN,
        summary=amendment.description,
        impact_on_child=amendment.impact_on_child,
        action_taken=amendment.action_taken,
        significance=CONCERN_SIGNIFICANCE,
        neglect_types=amendment.neglect_types,
        amendment_reason=f"Concern amended: {amendment.reason}",
    )


# Plans under which the state acts for the child: their start and end stand out.
STATUTORY_PLANS = (PlanKind.CHILD_PROTECTION, PlanKind.PRE_PROCEEDINGS, PlanKind.LOOKED_AFTER)


def _plan_significance(plan) -> str:
    return Significance.SIGNIFICANT if plan.kind in STATUTORY_PLANS else Significance.ROUTINE


def _plan_name(plan) -> str:
    category = f" ({plan.get_cp_category_display().lower()})" if plan.cp_category else ""
    return f"{plan.get_kind_display()} plan{category}"


def chronology_entry_from_plan_start(*, plan, actor: User | None) -> ChronologyEntry:
    """A plan starting (called inside `plan_start`); recorded for the actor's agency, else the lead agency."""
    case = plan.case
    return chronology_sync_from_source(
        source_type=SourceType.PLAN_STARTED,
        source_id=plan.pk,
        child=case.child,
        agency=_acting_agency(actor, case.lead_agency),
        author=actor,
        occurred_on=plan.started_on,
        kind=EntryKind.PLAN_STARTED,
        summary=f"{_plan_name(plan)} started.",
        impact_on_child="The agencies around the child now work to this plan; its actions say what should change for the child and by when.",
        significance=_plan_significance(plan),
    )


def chronology_entry_from_plan_end(*, plan, actor: User | None) -> ChronologyEntry:
    """A plan ending, with the reason (called inside `plan_end`)."""
    case = plan.case
    return chronology_sync_from_source(
        source_type=SourceType.PLAN_ENDED,
        source_id=plan.pk,
        child=case.child,
        agency=_acting_agency(actor, case.lead_agency),
        author=actor,
        occurred_on=plan.ended_on,
        kind=EntryKind.PLAN_ENDED,
        summary=f"{_plan_name(plan)} ended: {plan.end_reason}",
        impact_on_child="The child is no longer supported by this plan; check that what it achieved for the child is holding.",
        significance=_plan_significance(plan),
    )


def chronology_entry_from_referral(*, referral) -> ChronologyEntry:
    """A referral to children's social care (called inside `referral_record`)."""
    outcome = f"Outcome: {referral.get_outcome_display()} on {referral.outcome_on:%d %B %Y}." if referral.outcome else ""
    return chronology_sync_from_source(
        source_type=SourceType.REFERRAL,
        source_id=referral.pk,
        child=referral.child,
        agency=referral.referring_agency,
        author=referral.recorded_by,
        occurred_on=referral.referred_on,
        kind=EntryKind.REFERRAL,
        summary=f"Referred to children's social care{' for neglect' if referral.is_neglect else ''}: {referral.reasons}",
        impact_on_child="The child's needs are to be assessed by children's social care.",
        action_taken=outcome,
        significance=Significance.SIGNIFICANT,
    )


def chronology_entry_from_oversight(*, oversight) -> ChronologyEntry:
    """A manager's oversight of the case (called inside `oversight_record`); the reasons are the impact."""
    case = oversight.case
    return chronology_sync_from_source(
        source_type=SourceType.OVERSIGHT,
        source_id=oversight.pk,
        child=case.child,
        agency=_acting_agency(oversight.manager, case.lead_agency),
        author=oversight.manager,
        occurred_on=oversight.recorded_on,
        kind=EntryKind.MANAGEMENT_OVERSIGHT,
        summary=f"Management oversight. Decision: {oversight.decision}",
        impact_on_child=oversight.reasons,
        action_taken=f"Next review by {oversight.next_review_on:%d %B %Y}.",
    )


def chronology_entry_from_child_voice(*, voice) -> ChronologyEntry:
    """What the child said or showed (called inside `child_voice_record`); how they feel is the impact."""
    speaker = "The child" if voice.speaker == Speaker.CHILD else "A parent or carer, for the child"
    return chronology_sync_from_source(
        source_type=SourceType.CHILD_VOICE,
        source_id=voice.pk,
        child=voice.case.child,
        agency=voice.agency,
        author=voice.recorded_by,
        occurred_on=voice.recorded_on,
        kind=EntryKind.CHILDS_VOICE,
        summary=f"{speaker} ({voice.get_method_display().lower()}): {voice.what_was_said}",
        impact_on_child=voice.how_they_feel or "How the child feels was not recorded.",
    )


def chronology_entry_from_lead_change(*, case, lead_professional, agency, actor: User, reason: str, record_id: int) -> ChronologyEntry:
    """A new lead professional (called inside `case_reassign_lead`): who the family now works with, and why.

    The change has no record of its own (the case row changes), so the entry's source is the
    change's audit row; recorded for the actor's agency, dated the day of the change.
    """
    person = lead_professional.get_full_name() or lead_professional.get_username()
    return chronology_sync_from_source(
        source_type=SourceType.LEAD_PROFESSIONAL,
        source_id=record_id,
        child=case.child,
        agency=_acting_agency(actor, case.lead_agency),
        author=actor,
        occurred_on=timezone.localdate(),
        kind=EntryKind.LEAD_PROFESSIONAL_CHANGED,
        summary=f"The family now works with {person} of {agency.name} as lead professional. Why: {reason}",
        impact_on_child="The child and family have a new named person to go to, who coordinates the help around them.",
    )


# Conference kinds (conferences.models) whose decisions change what the state does for the child.
DECISIVE_CONFERENCES = ("strategy_discussion", "initial_cp", "review_cp", "pre_proceedings")
FAMILY_GROUP_CONFERENCE = "family_group"


@transaction.atomic
def chronology_entries_from_conference_events(*, events, author: User | None = None) -> list[ChronologyEntry]:
    """One entry per child a recorded conference covers (to call inside the conference's recording service).

    `events` are `conferences.selectors.ConferenceEvent`s (read here by attribute: child_id,
    conference_id, occurred_on, conference_kind, agency_id, summary). Recording a conference again
    (attendance, then decisions, then corrections) supersedes each child's entry, never adds one:
    the source is ("conference", conference id) per child.
    """
    return [
        _sync(
            source_type=SourceType.CONFERENCE,
            source_id=event.conference_id,
            child_id=event.child_id,
            agency_id=event.agency_id,
            author=author,
            restricted=False,
            shared_with=(),
            amendment_reason="The conference record was updated",
            content=_content(
                occurred_on=event.occurred_on,
                kind=EntryKind.FAMILY_GROUP_CONFERENCE if event.conference_kind == FAMILY_GROUP_CONFERENCE else EntryKind.CONFERENCE,
                summary=event.summary,
                impact_on_child="The agencies met about the child; the decision recorded here sets what happens next for them.",
                significance=Significance.SIGNIFICANT if event.conference_kind in DECISIVE_CONFERENCES else Significance.ROUTINE,
            ),
        )
        for event in events
    ]


def chronology_entry_from_assessment_run(*, run) -> ChronologyEntry:
    """A finalised assessment-tool run (to call inside `tools.services.run_finalise`, after it is final).

    The child's voice is required before a run is final, so the child's own view is the impact
    recorded; the overall score is in the summary. A final run never changes, so this is called once.
    """
    overall = run.scores.get("overall")
    return chronology_sync_from_source(
        source_type=SourceType.ASSESSMENT_RUN,
        source_id=run.pk,
        child=run.case.child,
        agency=run.agency,
        author=run.assessor,
        occurred_on=run.assessed_on,
        kind=EntryKind.ASSESSMENT,
        summary=f"{run.definition.name} completed{f'; overall score {overall}' if overall is not None else ''}.",
        impact_on_child=f"The child's view, recorded with the assessment: {run.child_voice}",
    )


# --- Statutory events from a Children in Need census import -------------------------------------
# The census import (census.importing) keeps assessments, section 47 enquiries, initial conferences
# and review dates in census.models: children's social care's records, made by a system action, so
# these entries have no author and are recorded for `agency` (social care). Each is read by attribute
# and synced as one chain per census record and child: the same return again writes nothing, and a
# return whose date or outcome differs adds an amendment to the chain, never an update.

CENSUS_AMENDED = "The Children in Need census return was imported again and records this differently"


def _census_sync(source_type, record, *, child, agency, **content) -> ChronologyEntry:
    return chronology_sync_from_source(
        source_type=source_type,
        source_id=record.pk,
        child=child,
        agency=agency,
        author=None,
        amendment_reason=CENSUS_AMENDED,
        **content,
    )


def _day(on: date) -> str:
    return f"{on.day} {on:%B %Y}"


def _portal_conference_on(child, held_on: date, source_type: str, record) -> bool:
    """The child's chronology already shows a conference recorded in the portal on that day, and this
    census record has no chain yet: the portal's entry is the event, a second one would double it."""
    if ChronologyEntry.objects.filter(source_type=source_type, source_id=record.pk, child=child).exists():
        return False
    return ChronologyEntry.objects.filter(
        Q(source_type=SourceType.CONFERENCE) | Q(original__source_type=SourceType.CONFERENCE),
        child=child,
        occurred_on=held_on,
        superseded_by__isnull=True,
    ).exists()


def chronology_entries_from_census_assessment(
    *,
    assessment,
    child,
    agency: Agency,
    factors_in_words: Sequence[str],
    found_harm: bool,
) -> list[ChronologyEntry]:
    """The start of a children and families assessment and, once authorised, its conclusion.

    `assessment` has `pk`, `started_on`, `authorised_on`; `factors_in_words` are the census factors
    as the DfE names them ("Abuse or neglect – neglect"); `found_harm` (a factor of abuse or neglect)
    makes the authorisation significant.
    """
    entries = [
        _census_sync(
            SourceType.CENSUS_ASSESSMENT,
            assessment,
            child=child,
            agency=agency,
            occurred_on=assessment.started_on,
            kind=EntryKind.ASSESSMENT,
            summary="Children and families assessment started by children's social care.",
            impact_on_child="Social care is assessing the child's needs and the help the family needs to meet them.",
        )
    ]
    if assessment.authorised_on:
        factors = "; ".join(factors_in_words) or "none recorded"
        entries.append(
            _census_sync(
                SourceType.CENSUS_ASSESSMENT_AUTHORISED,
                assessment,
                child=child,
                agency=agency,
                occurred_on=assessment.authorised_on,
                kind=EntryKind.ASSESSMENT,
                summary=f"Children and families assessment (started {_day(assessment.started_on)}) completed and authorised. Factors identified: {factors}.",
                impact_on_child="The assessment names what is affecting the child; the help offered next should answer these factors.",
                significance=Significance.SIGNIFICANT if found_harm else Significance.ROUTINE,
            )
        )
    return entries


def _section47_outcome(section47) -> str:
    if section47.icpc_not_required:
        return "Outcome: the enquiry concluded that no initial child protection conference was needed."
    if section47.icpc_on:
        return f"Outcome: initial child protection conference held on {_day(section47.icpc_on)}."
    if section47.icpc_target_on:
        return f"Outcome: an initial child protection conference is due by {_day(section47.icpc_target_on)}."
    return "Outcome not recorded in the census return."


def chronology_entries_from_census_section47(*, section47, child, agency: Agency, plan=None) -> list[ChronologyEntry]:
    """A section 47 enquiry (start, outcome) and the initial child protection conference it led to.

    `section47` has `pk`, `started_on`, `icpc_target_on`, `icpc_on`, `icpc_not_required`; `plan` is
    the child protection plan that started at the conference, if the return has one. Both are
    significant: an enquiry means reasonable cause to suspect significant harm, and the conference
    decides whether the child needs a child protection plan. The conference gets no entry of its own
    when the portal already shows a conference of the child on that day.
    """
    entries = [
        _census_sync(
            SourceType.CENSUS_SECTION47,
            section47,
            child=child,
            agency=agency,
            occurred_on=section47.started_on,
            kind=EntryKind.ASSESSMENT,
            summary="Section 47 enquiry started: there was reasonable cause to suspect the child was suffering, or likely to suffer, significant harm.",
            impact_on_child="Children's social care is finding out whether the child is at risk of significant harm and needs protecting.",
            action_taken=_section47_outcome(section47),
            significance=Significance.SIGNIFICANT,
        )
    ]
    if section47.icpc_on and not _portal_conference_on(child, section47.icpc_on, SourceType.CENSUS_ICPC, section47):
        outcome = (
            f"Outcome: {_plan_name(plan).lower()} from {_day(plan.started_on)}."
            if plan is not None
            else "Outcome: no child protection plan starting on this day is in the census return."
        )
        entries.append(
            _census_sync(
                SourceType.CENSUS_ICPC,
                section47,
                child=child,
                agency=agency,
                occurred_on=section47.icpc_on,
                kind=EntryKind.CONFERENCE,
                summary="Initial child protection conference held.",
                impact_on_child="The agencies met about the child's safety and decided whether the child needs a child protection plan.",
                action_taken=outcome,
                significance=Significance.SIGNIFICANT,
            )
        )
    return entries


def chronology_entry_from_census_review(*, review, plan, agency: Agency, withdrawn: bool = False) -> ChronologyEntry | None:
    """A child protection review conference of `plan` (`review` has `pk`, `number`, `held_on`).

    Significant, like a review recorded in the portal: it decides whether the plan goes on. None
    when the portal already shows a conference of the child on that day (that entry is the review).
    `withdrawn`: a later return no longer lists the review; its entry (if any) is amended to say so,
    since entries are never deleted, and none is made for it.
    """
    child = plan.case.child
    name = f"review {review.number} of the {_plan_name(plan).lower()} started {_day(plan.started_on)}"
    if withdrawn:
        if not ChronologyEntry.objects.filter(source_type=SourceType.CENSUS_CP_REVIEW, source_id=review.pk, child=child).exists():
            return None
        return _census_sync(
            SourceType.CENSUS_CP_REVIEW,
            review,
            child=child,
            agency=agency,
            occurred_on=review.held_on,
            kind=EntryKind.CONFERENCE,
            summary=f"An earlier census return recorded a child protection review conference on this day ({name}); the latest return no longer lists it.",
            impact_on_child="Not known: the review may not have been held on this day. Check the plan's record.",
        )
    if _portal_conference_on(child, review.held_on, SourceType.CENSUS_CP_REVIEW, review):
        return None
    return _census_sync(
        SourceType.CENSUS_CP_REVIEW,
        review,
        child=child,
        agency=agency,
        occurred_on=review.held_on,
        kind=EntryKind.CONFERENCE,
        summary=f"Child protection review conference held ({name}).",
        impact_on_child="The agencies reviewed whether the child is still at risk of significant harm and whether the plan is making the child safer.",
        significance=Significance.SIGNIFICANT,
    )


# --- Importing an agency's entries ---------------------------------------------------------------


@transaction.atomic
def chronology_import(*, actor: User, text: str, request: Request = None) -> ImportPlan:
    """Create the good rows of an agency's CSV (see importing.py); bad rows are reported, not imported.

    The actor's agency row is locked for the import, so two uploads of the same file at once run one
    after the other and the second finds every external id already imported, rather than failing
    on the unique constraint. The file is checked again here, inside the lock, whatever a dry run
    showed earlier: children's visibility or the agency's imports may have changed since.

    One audit row per child given entries (the log is searched by child), naming how many.
    """
    agency = Agency.objects.select_for_update().get(pk=_agency_of(actor).pk)
    plan = plan_import(user=actor, agency_id=agency.pk, text=text)
    entries = [planned.entry for planned in plan.planned]
    for entry in entries:
        entry.agency, entry.author = agency, actor
    ChronologyEntry.objects.bulk_create(entries)
    per_child = Counter(entry.child_id for entry in entries)
    events.entries_recorded.send(sender=ChronologyEntry, child_ids=list(per_child))
    for child_id, count in per_child.items():
        audit_record(
            user=actor,
            action=AuditAction.CREATE,
            object_type=OBJECT_TYPE,
            child_id=child_id,
            detail=f"imported {count} {'entry' if count == 1 else 'entries'} from {agency.name}'s file",
            request=request,
        )
    return plan
