"""Writes for tool definitions and assessment runs: each function one business action, atomic, audited.

Who may act is decided before a service is called: views and the API fetch the case or run through
`agencies.access` (`access_case(..., action="contribute")`, `access_case_record(...)`) and pass it
in; definition pages are for partnership admins (`access.can_manage_partnership`), which the
definition services check again because `manage.py load_tool` and other callers come without a
view. Services enforce the business rules: definitions are locked once out of draft, final runs
never change, answers must fit the definition's scales, and scores come from the definition.

Rule failures raise `ValidationError` keyed by field (NON_FIELD_ERRORS otherwise), so forms and the
API show each message beside its field; changes to a locked definition or a final run raise
`DefinitionLockedError` / `FinalRunError`, which pages and the API answer with 409 Conflict.

Concurrency: a run is filled in over several sittings, possibly by two people of the team at once,
each saving a different area. `run_save_draft` locks the row (SELECT ... FOR UPDATE) and merges
the saved area into the answers as they are now, so one sitting never overwrites another's area.
Publishing locks every version of the tool, so two admins cannot both leave one published.
"""

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone

from agencies import access
from audit.models import AuditAction
from audit.services import audit_record
from cases.models import CaseStatus
from chronologies import services as chronology

from . import scoring
from .definitions import DefinitionError, check
from .models import AssessmentRun, DefinitionLockedError, DefinitionStatus, FinalRunError, RunStatus, ToolDefinition

MAX_TEXT = 20_000
DETAIL_FIELDS = ("assessed_on", "age_band", "people_present", "child_voice")


def _audit(actor, action, obj, detail, request, *, username=""):
    object_type = obj._meta.model_name
    child_id = obj.case.child_id if isinstance(obj, AssessmentRun) else None
    audit_record(user=actor, action=action, object_type=object_type, object_id=obj.pk, child_id=child_id, detail=detail, request=request, username=username)


# --- Definitions -------------------------------------------------------------------------------


def _require_admin(actor, request, what):
    """Definition changes are partnership admin work; a command line run (actor None) is the operator's."""
    if actor is not None:
        access.require(actor, access.can_manage_partnership(actor), request=request, what=what)


def _checked(document):
    try:
        return check(document)
    except DefinitionError as error:
        raise ValidationError({"document": error.messages}) from error


def _locked_versions(key):
    return list(ToolDefinition.objects.select_for_update().filter(key=key).order_by("version"))


@transaction.atomic
def definition_load(*, document, actor=None, request=None, username=""):
    """A checked document becomes a draft: version 1 of a new tool, or the next version of a known one.

    Refused while the tool already has a draft: two drafts of one tool would race to be the next
    version, so the admin edits (or publishes) the one there is.
    """
    _require_admin(actor, request, "only partnership admins load tool definitions")
    structure = _checked(document)
    versions = _locked_versions(structure.key)
    draft = next((version for version in versions if version.is_draft), None)
    if draft:
        raise ValidationError({"document": f"{draft} is already a draft. Edit that draft, or publish it before loading another version of '{structure.key}'."})
    definition = ToolDefinition.objects.create(
        key=structure.key,
        version=(versions[-1].version + 1) if versions else 1,
        name=structure.name,
        owner=settings.PARTNERSHIP_NAME,
        structure=document,
        created_by=actor,
    )
    _audit(actor, AuditAction.CREATE, definition, f"loaded {definition.key} version {definition.version} as a draft", request, username=username)
    return definition


@transaction.atomic
def definition_update(*, definition, document, actor, request=None):
    """Replace a draft's document. The key stays: another key is another tool, so load it instead."""
    _require_admin(actor, request, "only partnership admins edit tool definitions")
    definition = ToolDefinition.objects.select_for_update().get(pk=definition.pk)
    if not definition.is_draft:
        raise DefinitionLockedError(f"{definition} is {definition.get_status_display().lower()}, so it cannot be changed. Make a new version to change it.")
    structure = _checked(document)
    if structure.key != definition.key:
        raise ValidationError({"document": f"key: must stay '{definition.key}' (a different key is a different tool: load it as a new definition)"})
    definition.name = structure.name
    definition.structure = document
    definition.save()
    _audit(actor, AuditAction.UPDATE, definition, "edited the draft", request)
    return definition


@transaction.atomic
def definition_publish(*, definition, actor=None, request=None, username=""):
    """A draft becomes the version new runs use; the version published before it retires.

    Runs already made (or in progress) on the retired version stay on it and stay readable.
    """
    _require_admin(actor, request, "only partnership admins publish tool definitions")
    versions = {version.pk: version for version in _locked_versions(definition.key)}
    definition = versions[definition.pk]
    if not definition.is_draft:
        raise DefinitionLockedError(f"{definition} is already {definition.get_status_display().lower()}.")
    now = timezone.now()
    for version in versions.values():
        if version.status == DefinitionStatus.PUBLISHED:
            version.status = DefinitionStatus.RETIRED
            version.retired_at = now
            version.save()
    definition.status = DefinitionStatus.PUBLISHED
    definition.published_at = now
    definition.published_by = actor
    definition.save()
    _audit(actor, AuditAction.UPDATE, definition, f"published {definition.key} version {definition.version}", request, username=username)
    return definition


@transaction.atomic
def definition_retire(*, definition, actor, request=None):
    """No new runs start on a retired version; drafts already started on it may still be finished."""
    _require_admin(actor, request, "only partnership admins retire tool definitions")
    definition = ToolDefinition.objects.select_for_update().get(pk=definition.pk)
    if definition.status != DefinitionStatus.PUBLISHED:
        raise DefinitionLockedError(f"Only a published definition can be retired; {definition} is {definition.get_status_display().lower()}.")
    definition.status = DefinitionStatus.RETIRED
    definition.retired_at = timezone.now()
    definition.save()
    _audit(actor, AuditAction.UPDATE, definition, f"retired {definition.key} version {definition.version}", request)
    return definition


@transaction.atomic
def definition_new_version(*, definition, actor, request=None):
    """A draft copy of a version, numbered after the tool's latest: the way to change a locked definition."""
    _require_admin(actor, request, "only partnership admins make new versions of tool definitions")
    versions = _locked_versions(definition.key)
    draft = next((version for version in versions if version.is_draft), None)
    if draft:
        raise ValidationError(f"{draft} is already a draft: edit it instead of making another.")
    source = next(version for version in versions if version.pk == definition.pk)
    new = ToolDefinition.objects.create(
        key=source.key,
        version=max(version.version for version in versions) + 1,
        name=source.name,
        owner=settings.PARTNERSHIP_NAME,
        structure=source.structure,
        created_by=actor,
    )
    _audit(actor, AuditAction.CREATE, new, f"new version {new.version} from version {source.version}", request)
    return new


# --- Runs --------------------------------------------------------------------------------------


def _agency_of(actor):
    membership = access.membership_of(actor)
    access.require(actor, membership is not None, reason="Only an active member of a partner agency can record an assessment.")
    return membership.agency


def _age_in_months(child, on):
    months = (on.year - child.date_of_birth.year) * 12 + on.month - child.date_of_birth.month
    return months - 1 if on.day < child.date_of_birth.day else months


@transaction.atomic
def run_start(*, case, definition, actor, request=None, today=None):
    """A draft run of the published version of a tool, for the case's child, dated today.

    `case` comes from `access_case(..., action="contribute")`. The age band is suggested from the
    child's age when the tool has bands; the assessor can change it in the assessment details.
    """
    today = today or timezone.localdate()
    if case.status != CaseStatus.OPEN:
        raise ValidationError({"case": "This case is closed. Start the assessment on the child's open case."})
    if definition.status != DefinitionStatus.PUBLISHED:
        raise ValidationError({"definition": f"{definition} is not published: choose a published tool."})
    band = definition.parsed.band_for_age_in_months(_age_in_months(case.child, today))
    run = AssessmentRun.objects.create(
        definition=definition,
        case=case,
        assessor=actor,
        agency=_agency_of(actor),
        assessed_on=today,
        age_band=band.id if band else "",
    )
    _audit(actor, AuditAction.CREATE, run, f"started {definition.key} version {definition.version}", request)
    return run


def _checked_details(run, details, today):
    unknown = set(details) - set(DETAIL_FIELDS)
    if unknown:
        raise ValueError(f"Unknown run details: {sorted(unknown)}")
    errors, cleaned = {}, {}
    for name, value in details.items():
        if name == "assessed_on":
            if value is None:
                errors[name] = "Enter the date of the assessment"
            elif value > today:
                errors[name] = "The date of the assessment must be today or in the past"
            cleaned[name] = value
        elif name == "age_band":
            value = value or ""
            if value and not run.structure.band(value):
                errors[name] = "Choose one of the age bands given"
            cleaned[name] = value
        else:
            value = (value or "").strip()
            if len(value) > MAX_TEXT:
                errors[name] = f"Write no more than {MAX_TEXT:,} characters"
            cleaned[name] = value
    if errors:
        raise ValidationError(errors)
    return cleaned


def _checked_answers(run, answers):
    """Answers merged per item; every value must be one of its item's scale points.

    Errors are keyed "<area id>.<item id>" (and "...evidence"), so a page or the API can put each
    beside its question. An empty value clears an answer: a draft may be left half done.
    """
    errors, cleaned = {}, {}
    for area_id, items in answers.items():
        area = run.structure.area(area_id)
        if area is None:
            errors[area_id] = f"There is no area '{area_id}' in {run.definition}"
            continue
        if not isinstance(items, dict):
            errors[area_id] = "Give the area's answers as an object keyed by item id"
            continue
        known = {item.id: item for item in area.items}
        merged = dict(run.answers.get(area_id) or {})
        for item_id, given in items.items():
            item = known.get(item_id)
            if item is None:
                errors[f"{area_id}.{item_id}"] = f"There is no item '{item_id}' in {area.title}"
                continue
            given = given if isinstance(given, dict) else {"value": given}
            value, evidence = given.get("value"), str(given.get("evidence") or "").strip()
            if value is None or str(value).strip() == "":
                value = ""
            else:
                try:
                    value = item.scale.coerce(value)
                except ValueError as error:
                    errors[f"{area_id}.{item_id}"] = f"{item.title}: {error}"
                    continue
            if len(evidence) > MAX_TEXT or (item.scale.kind == "text" and len(value) > MAX_TEXT):
                errors[f"{area_id}.{item_id}"] = f"{item.title}: write no more than {MAX_TEXT:,} characters"
                continue
            if value == "" and not evidence:
                merged.pop(item_id, None)
            else:
                merged[item_id] = {"value": value, "evidence": evidence}
        cleaned[area_id] = merged
    if errors:
        raise ValidationError(errors)
    return cleaned


def _locked_draft(run):
    run = AssessmentRun.objects.select_for_update().select_related("definition", "case").get(pk=run.pk)
    if run.is_final:
        raise FinalRunError("This assessment is final and cannot be changed.")
    return run


@transaction.atomic
def run_save_draft(*, run, actor, details=None, answers=None, request=None, today=None):
    """Save part of a draft: assessment details and/or areas' answers. The run stays a draft.

    `details` may hold any of assessed_on, age_band, people_present, child_voice. `answers` maps
    area id -> item id -> {"value", "evidence"}; items not given keep what an earlier sitting saved.
    """
    run = _locked_draft(run)
    today = today or timezone.localdate()
    errors = {}
    try:
        cleaned_details = _checked_details(run, details or {}, today)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        cleaned_answers = _checked_answers(run, answers or {})
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    for name, value in cleaned_details.items():
        setattr(run, name, value)
    run.answers = {**run.answers, **cleaned_answers}
    run.save()
    saved = [f"details ({', '.join(sorted(cleaned_details))})"] if cleaned_details else []
    saved += [f"area {area_id}" for area_id in cleaned_answers]
    _audit(actor, AuditAction.UPDATE, run, f"saved draft: {'; '.join(saved) or 'no changes'}", request)
    return run


def _scores_in_words(run):
    """The scores for the audit row: the overall score when the tool has one, else each area's."""
    if run.scores.get("overall") is not None:
        return f"overall score {run.scores['overall']}"
    areas = [f"{area_id} {score}" for area_id, score in run.scores.get("areas", {}).items() if score is not None]
    return f"area scores {', '.join(areas)}" if areas else "not scored"


@transaction.atomic
def run_finalise(*, run, actor, request=None):
    """Score the run from its definition and make it final (and so unchangeable).

    Refused, with every gap listed, while an item still needs an answer or evidence, or the
    child's voice is missing.
    """
    run = _locked_draft(run)
    problems = run.problems_before_finalising()
    if problems:
        raise ValidationError({NON_FIELD_ERRORS: [message for _, message in problems]})
    run.scores = scoring.scores_for_storage(scoring.score_run(run.structure, run.answers, age_band=run.age_band))
    run.status = RunStatus.FINAL
    run.finalised_at = timezone.now()
    run.finalised_by = actor
    run.save()
    chronology.chronology_entry_from_assessment_run(run=run)
    _audit(actor, AuditAction.UPDATE, run, f"finalised; {_scores_in_words(run)}", request)
    return run
