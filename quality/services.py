"""Writes for question sets, audit rounds and family feedback: each one business action, atomic, audited.

Who may act is decided in `agencies.access`: round pages need `can_run_case_audits` (partnership
admins and strategy members), question sets `can_manage_question_sets`, grading and moderation a
sampled case the view got through `access_sampled_case`, recording feedback a case the view got with
`access_case(..., action="contribute")`. Services check the runner's role again (callers without a
view) and the business rules: what a round's state allows, one auditor per agency, evidence with
every grade, a moderator among the auditors, answers that fit the question set.

Rule failures raise `ValidationError` keyed by field (NON_FIELD_ERRORS otherwise), so forms and the
API show each message beside its field; a changed learning action raises `EditConflict`.

The audit pages and the round's report name cases by reference only; the text that people type on
round pages (learning points, actions) is for readers who see no case, and the forms say so.
"""

import random
from dataclasses import dataclass
from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.urls import reverse
from django.utils import timezone

from agencies import access
from audit.models import AuditAction
from audit.services import audit_record
from neglect_portal.concurrency import EditConflict
from neglect_portal.dates import long_date
from neglect_portal.quarters import quarter_of
from notifications.services import notification_create
from partnership import services as partnership_services
from partnership.models import Rag
from partnership.selectors import partnership_name

from . import links, selectors
from .models import (
    AuditorGrade,
    AuditRound,
    FeedbackChannel,
    FeedbackOccasion,
    FeedbackRequest,
    FeedbackResponse,
    FeedbackVia,
    Grade,
    LearningAction,
    LearningActionStatus,
    LearningPoint,
    ModeratedGrade,
    QuestionSet,
    QuestionSetKind,
    QuestionSetLockedError,
    QuestionSetStatus,
    Respondent,
    RoundAuditor,
    RoundStatus,
    SampledCase,
    SampleMethod,
)
from .question_sets import QuestionSetError, check
from .texting import normalise_mobile, send_text

MAX_TEXT = 10_000
MAX_SAMPLE = 100
RUNNERS_ONLY = "audit rounds are run by partnership admins and strategy members"


def _audit(actor, action, object_type, object_id, detail, request, *, child_id=None, username=""):
    audit_record(user=actor, action=action, object_type=object_type, object_id=object_id, child_id=child_id, detail=detail, request=request, username=username)


def _require_runner(actor, request):
    access.require(actor, access.can_run_case_audits(actor), request=request, what=RUNNERS_ONLY)


def _runner_service(function):
    """A service for those who run audits: the role is checked before the transaction opens, so a refusal's
    audit row is never rolled back with it (docs/security.md, "Every refusal through the access layer")."""

    @wraps(function)
    def wrapped(*, actor, request=None, **kwargs):
        _require_runner(actor, request)
        with transaction.atomic():
            return function(actor=actor, request=request, **kwargs)

    return wrapped


def _text(value):
    return (value or "").strip()


def _long(errors, field, value, label):
    if len(value) > MAX_TEXT:
        errors[field] = f"{label} must be {MAX_TEXT:,} characters or fewer"


# --- Question sets (partnership admins) -------------------------------------------------------------


def _require_set_admin(actor, request, what):
    if actor is not None:  # a migration or an operator's command has no actor
        access.require(actor, access.can_manage_question_sets(actor), request=request, what=what)


def question_set_load(*, document, actor=None, request=None):
    """A checked document becomes a draft: version 1 of a new set, or the next version of a known one (refused while one is a draft)."""
    _require_set_admin(actor, request, "only partnership admins load question sets")
    try:
        parsed = check(document)
    except QuestionSetError as error:
        raise ValidationError({"document": error.messages}) from error
    with transaction.atomic():
        return _question_set_load(document=document, parsed=parsed, actor=actor, request=request)


def _question_set_load(*, document, parsed, actor, request):
    versions = list(QuestionSet.objects.select_for_update().filter(key=parsed.key).order_by("version"))
    draft = next((version for version in versions if version.is_draft), None)
    if draft is not None:
        raise ValidationError({"document": f"{draft} is already a draft. Publish it before loading another version of '{parsed.key}'."})
    if versions and versions[-1].kind != parsed.kind:
        raise ValidationError({"document": f"kind: '{parsed.key}' is a {versions[-1].get_kind_display().lower()} set; a different kind needs a different key"})
    question_set = QuestionSet.objects.create(
        key=parsed.key,
        version=(versions[-1].version + 1) if versions else 1,
        name=parsed.name,
        kind=parsed.kind,
        owner=settings.PARTNERSHIP_NAME,
        structure=document,
        created_by=actor,
    )
    _audit(actor, AuditAction.CREATE, "question_set", question_set.pk, f"loaded {question_set.key} version {question_set.version} as a draft", request)
    return question_set


def question_set_publish(*, question_set, actor=None, request=None):
    """A draft becomes the version new rounds and new feedback use; the version published before it retires.

    Rounds and feedback made on the retired version keep it and are read against it.
    """
    _require_set_admin(actor, request, "only partnership admins publish question sets")
    with transaction.atomic():
        return _question_set_publish(question_set=question_set, actor=actor, request=request)


def _question_set_publish(*, question_set, actor, request):
    versions = {version.pk: version for version in QuestionSet.objects.select_for_update().filter(key=question_set.key)}
    question_set = versions[question_set.pk]
    if not question_set.is_draft:
        raise QuestionSetLockedError(f"{question_set} is already {question_set.get_status_display().lower()}.")
    now = timezone.now()
    for version in versions.values():
        if version.status == QuestionSetStatus.PUBLISHED:
            version.status = QuestionSetStatus.RETIRED
            version.retired_at = now
            version.save()
    question_set.status = QuestionSetStatus.PUBLISHED
    question_set.published_at = now
    question_set.published_by = actor
    question_set.save()
    _audit(actor, AuditAction.UPDATE, "question_set", question_set.pk, f"published {question_set.key} version {question_set.version}", request)
    return question_set


# --- Audit rounds: set up ---------------------------------------------------------------------------


def _require_state(audit_round, *states, message):
    if audit_round.status not in states:
        raise ValidationError({NON_FIELD_ERRORS: message})


def _locked_round(audit_round):
    return AuditRound.objects.select_for_update().select_related("question_set").get(pk=audit_round.pk)


@_runner_service
def audit_round_create(*, actor, title, theme, question_set, starts_on, ends_on, request=None):
    """A new round being set up: its theme, its question set (a published audit set) and the dates auditors may read the cases."""
    errors = {}
    if question_set is None or question_set.kind != QuestionSetKind.CASE_AUDIT or question_set.status != QuestionSetStatus.PUBLISHED:
        errors["question_set"] = "Choose a published audit question set"
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = "The last day must be on or after the first day"
    if ends_on and ends_on < timezone.localdate():
        errors["ends_on"] = "The last day must be today or later"
    audit_round = AuditRound(
        title=_text(title),
        theme=_text(theme),
        question_set=question_set if "question_set" not in errors else None,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=actor,
    )
    try:
        audit_round.full_clean(exclude=["question_set"] if "question_set" in errors else None)
    except ValidationError as error:
        errors = {**error.message_dict, **errors}
    if errors:
        raise ValidationError(errors)
    audit_round.save()
    _audit(actor, AuditAction.CREATE, "audit_round", audit_round.pk, f"round set up: {audit_round.title}", request)
    return audit_round


def _next_reference(audit_round):
    return (SampledCase.objects.filter(audit_round=audit_round).aggregate(top=Max("reference"))["top"] or 0) + 1


@dataclass(frozen=True)
class SampleCriteria:
    """What a random draw is taken from (every criterion optional); see `selectors.sample_frame`."""

    threshold: str = ""
    plan: str = ""  # a selectors.PLAN_FILTERS key
    status: str = ""  # "open", "closed" or "" (either)
    opened_since: object = None
    lead_agency: object = None

    def describe(self):
        parts = [
            f"level of need {self.threshold}" if self.threshold else "",
            selectors.PLAN_FILTERS[self.plan][0] if self.plan else "",
            f"{self.status} cases" if self.status else "",
            f"opened since {self.opened_since:%d %B %Y}" if self.opened_since else "",
            f"led by {self.lead_agency}" if self.lead_agency else "",
        ]
        return "; ".join(part for part in parts if part) or "all cases"


@_runner_service
def sample_draw(*, actor, audit_round, criteria: SampleCriteria, size: int, request=None, rng=None):
    """Add `size` cases drawn at random from those matching `criteria` (and not sampled yet); returns how many were added.

    Fewer are added when fewer match. The draw is by Python's `random.SystemRandom` unless a test
    passes its own `rng`.
    """
    audit_round = _locked_round(audit_round)
    _require_state(audit_round, RoundStatus.SETUP, message="The sample is chosen while the round is being set up.")
    if not 1 <= size <= MAX_SAMPLE:
        raise ValidationError({"size": f"Enter a number from 1 to {MAX_SAMPLE}"})
    if audit_round.sample.count() + size > MAX_SAMPLE:
        raise ValidationError({"size": f"A round samples at most {MAX_SAMPLE} cases"})
    candidates = list(selectors.sample_frame(criteria=criteria).exclude(audit_samples__audit_round=audit_round).values_list("pk", flat=True))
    if not candidates:
        raise ValidationError({NON_FIELD_ERRORS: "No case matches these criteria. Widen them and draw again."})
    chosen = sorted((rng or random.SystemRandom()).sample(candidates, min(size, len(candidates))))
    reference = _next_reference(audit_round)
    described = criteria.describe()[:300]
    for offset, case_id in enumerate(chosen):
        SampledCase.objects.create(
            audit_round=audit_round, case_id=case_id, reference=reference + offset, method=SampleMethod.RANDOM, criteria=described, added_by=actor
        )
    _audit(actor, AuditAction.UPDATE, "audit_round", audit_round.pk, f"drew {len(chosen)} of {len(candidates)} cases at random: {described}", request)
    return len(chosen)


@_runner_service
def sample_add(*, actor, audit_round, case_number, request=None):
    """Add one chosen case by its number (those who run audits see no case content, only numbers)."""
    audit_round = _locked_round(audit_round)
    _require_state(audit_round, RoundStatus.SETUP, message="The sample is chosen while the round is being set up.")
    case = selectors.case_for_sample(case_number=case_number)
    if case is None:
        raise ValidationError({"case_number": "No case has this number"})
    if SampledCase.objects.filter(audit_round=audit_round, case=case).exists():
        raise ValidationError({"case_number": "This case is in the sample already"})
    if audit_round.sample.count() >= MAX_SAMPLE:
        raise ValidationError({"case_number": f"A round samples at most {MAX_SAMPLE} cases"})
    sampled = SampledCase.objects.create(audit_round=audit_round, case=case, reference=_next_reference(audit_round), method=SampleMethod.CHOSEN, added_by=actor)
    _audit(actor, AuditAction.UPDATE, "audit_round", audit_round.pk, f"added case {case.pk} to the sample as {sampled.label}", request, child_id=case.child_id)
    return sampled


@_runner_service
def sample_remove(*, actor, sampled_case, request=None):
    audit_round = _locked_round(sampled_case.audit_round)
    _require_state(audit_round, RoundStatus.SETUP, message="The sample cannot change once the round has started.")
    label, case_id, child_id = sampled_case.label, sampled_case.case_id, sampled_case.case.child_id
    sampled_case.delete()
    _audit(actor, AuditAction.UPDATE, "audit_round", audit_round.pk, f"removed case {case_id} ({label}) from the sample", request, child_id=child_id)


@_runner_service
def auditor_add(*, actor, audit_round, user, request=None):
    """An auditor for the user's agency: a case worker of an active agency, one per agency per round."""
    audit_round = _locked_round(audit_round)
    _require_state(audit_round, RoundStatus.SETUP, message="Auditors are chosen while the round is being set up.")
    membership = access.membership_of(user) if user is not None else None
    if membership is None or not access.can_be_auditor(user):
        raise ValidationError({"user": "Choose a practitioner, manager or designated safeguarding lead of an active agency"})
    if RoundAuditor.objects.filter(audit_round=audit_round, agency=membership.agency).exists():
        raise ValidationError({"user": f"{membership.agency} already has an auditor in this round"})
    auditor = RoundAuditor.objects.create(audit_round=audit_round, user=user, agency=membership.agency, added_by=actor)
    _audit(actor, AuditAction.UPDATE, "audit_round", audit_round.pk, f"auditor for {membership.agency}: {user.get_username()}", request)
    return auditor


@_runner_service
def auditor_remove(*, actor, auditor, request=None):
    audit_round = _locked_round(auditor.audit_round)
    _require_state(audit_round, RoundStatus.SETUP, message="Auditors cannot change once the round has started.")
    if audit_round.moderator_id == auditor.user_id:
        audit_round.moderator = None
        audit_round.save(update_fields=["moderator"])
    username, agency = auditor.user.get_username(), auditor.agency
    auditor.delete()
    _audit(actor, AuditAction.UPDATE, "audit_round", audit_round.pk, f"removed the auditor for {agency}: {username}", request)


@_runner_service
def moderator_set(*, actor, audit_round, user, request=None):
    """The auditor who chairs moderation and records the agreed grades (one of the round's auditors, so they can read every case)."""
    audit_round = _locked_round(audit_round)
    _require_state(audit_round, RoundStatus.SETUP, RoundStatus.IN_PROGRESS, message="A closed round's moderation is finished.")
    if user is None or not RoundAuditor.objects.filter(audit_round=audit_round, user=user).exists():
        raise ValidationError({"moderator": "Choose one of the round's auditors"})
    audit_round.moderator = user
    audit_round.save(update_fields=["moderator"])
    _audit(actor, AuditAction.UPDATE, "audit_round", audit_round.pk, f"moderator: {user.get_username()}", request)
    return audit_round


# --- Audit rounds: start and close --------------------------------------------------------------------


def round_start_problems(audit_round):
    """What stops the round starting, in words (empty when it may start)."""
    problems = []
    if not audit_round.is_setup:
        problems.append("The round has already started.")
    if not audit_round.sample.exists():
        problems.append("Add at least one case to the sample.")
    if audit_round.auditors.count() < 2:
        problems.append("Add auditors from at least two agencies: the audit is multi-agency.")
    if audit_round.moderator_id is None:
        problems.append("Choose the moderator, one of the auditors.")
    if audit_round.ends_on < timezone.localdate():
        problems.append("The round's last day has passed. Set up a new round.")
    return problems


@_runner_service
def audit_round_start(*, actor, audit_round, request=None):
    """Start grading: every auditor is granted every sampled case until the round's last day (agencies/access.py), and told."""
    audit_round = _locked_round(audit_round)
    problems = round_start_problems(audit_round)
    if problems:
        raise ValidationError({NON_FIELD_ERRORS: problems})
    audit_round.status = RoundStatus.IN_PROGRESS
    audit_round.started_at = timezone.now()
    audit_round.started_by = actor
    audit_round.save(update_fields=["status", "started_at", "started_by"])
    grants = access.audit_round_grants_give(actor=actor, audit_round=audit_round, request=request)
    _audit(actor, AuditAction.UPDATE, "audit_round", audit_round.pk, f"round started; {grants} case grants until {audit_round.ends_on:%d %B %Y}", request)
    link = f"{settings.SITE_URL}{reverse('quality:my_audits')}"
    for auditor in audit_round.auditors.select_related("user"):
        notification_create(
            recipient=auditor.user,
            subject=f"Case audit: {audit_round.title}",
            body=f"You are {auditor.agency}'s auditor in the multi-agency case audit \u201c{audit_round.title}\u201d. "
            f"You can read and grade its {audit_round.sample.count()} cases until {long_date(audit_round.ends_on)}.",
            link=link,
        )
    return audit_round


@_runner_service
def audit_round_close(*, actor, audit_round, request=None):
    """Close the round: the auditors' grants end now (agencies/access.py), and grades and moderation are final.

    A round may close with cases not moderated (an auditor left, a case could not be discussed): the
    report says which. Learning points and actions go on being recorded and tracked after it closes.
    """
    audit_round = _locked_round(audit_round)
    _require_state(audit_round, RoundStatus.IN_PROGRESS, message="Only a round in progress can be closed.")
    audit_round.status = RoundStatus.CLOSED
    audit_round.closed_at = timezone.now()
    audit_round.closed_by = actor
    audit_round.save(update_fields=["status", "closed_at", "closed_by"])
    ended = access.audit_round_grants_end(actor=actor, audit_round=audit_round, request=request)
    _audit(actor, AuditAction.UPDATE, "audit_round", audit_round.pk, f"round closed; {ended} case grants ended", request)
    return audit_round


# --- Grading and moderation (the round's auditors) ---------------------------------------------------


def _check_open_for_grading(sampled_case):
    if not sampled_case.audit_round.is_in_progress:
        raise ValidationError({NON_FIELD_ERRORS: "This round is not in progress: grades can no longer change."})


def grades_save(*, actor, sampled_case, grades, request=None):
    """Save the auditor's grades for the questions they graded: `grades` maps question id -> (grade, evidence).

    Every grade needs its evidence, except "not applicable" (a reason is still welcome). Questions
    left ungraded stay as they were, so an auditor may grade over several sittings. Refused once the
    case has been moderated (the agreed grade stands) or the round is not in progress. The view got
    the case through `access_sampled_case`; that the actor is one of the round's auditors is checked
    again before the transaction, so a refusal's audit row stays.
    """
    auditor = RoundAuditor.objects.filter(audit_round_id=sampled_case.audit_round_id, user=actor).select_related("agency").first()
    access.require(
        actor,
        auditor is not None,
        request=request,
        what="only the round's auditors grade its cases",
        object_type="audit_case",
        object_id=sampled_case.pk,
        child_id=sampled_case.case.child_id,
    )
    with transaction.atomic():
        return _grades_save(actor=actor, auditor=auditor, sampled_case=sampled_case, grades=grades, request=request)


def _grades_save(*, actor, auditor, sampled_case, grades, request):
    sampled_case = SampledCase.objects.select_for_update().select_related("audit_round__question_set", "case").get(pk=sampled_case.pk)
    _check_open_for_grading(sampled_case)
    if sampled_case.is_moderated:
        raise ValidationError({NON_FIELD_ERRORS: "This case has been moderated: its agreed grades stand."})
    parsed = sampled_case.audit_round.question_set.parsed
    errors, cleaned = {}, {}
    for question_id, (grade, evidence) in grades.items():
        if parsed.question(question_id) is None:
            errors[NON_FIELD_ERRORS] = f"'{question_id}' is not a question of this round"
            continue
        evidence = _text(evidence)
        if not grade:
            if evidence:
                errors[f"{question_id}.grade"] = "Choose a grade for the evidence you gave"
            continue
        if grade not in Grade.values:
            errors[f"{question_id}.grade"] = "Choose one of the grades"
        elif grade != Grade.NOT_APPLICABLE and not evidence:
            errors[f"{question_id}.evidence"] = "Give the evidence for your grade"
        _long(errors, f"{question_id}.evidence", evidence, "Evidence")
        cleaned[question_id] = (grade, evidence)
    if errors:
        raise ValidationError(errors)
    for question_id, (grade, evidence) in cleaned.items():
        AuditorGrade.objects.update_or_create(
            sampled_case=sampled_case, auditor=auditor, question_id=question_id, defaults={"grade": grade, "evidence": evidence}
        )
    _audit(
        actor,
        AuditAction.UPDATE,
        "audit_case",
        sampled_case.pk,
        f"graded {len(cleaned)} questions for {auditor.agency}",
        request,
        child_id=sampled_case.case.child_id,
    )
    return len(cleaned)


def moderation_record(*, actor, sampled_case, grades, overall_grade, summary, request=None):
    """The moderator records the grade agreed for every question (`grades`: question id -> (grade, note)), the overall grade and a summary.

    May be recorded again while the round is in progress (a second moderation meeting); each time is
    audited. The moderator check runs before the transaction, so a refusal's audit row stays.
    """
    access.require(
        actor,
        sampled_case.audit_round.moderator_id == actor.pk,
        request=request,
        what="only the round's moderator moderates",
        reason=access.AUDIT_MODERATE_REFUSED,
        object_type="audit_case",
        object_id=sampled_case.pk,
        child_id=sampled_case.case.child_id,
    )
    with transaction.atomic():
        return _moderation_record(actor=actor, sampled_case=sampled_case, grades=grades, overall_grade=overall_grade, summary=summary, request=request)


def _moderation_record(*, actor, sampled_case, grades, overall_grade, summary, request):
    sampled_case = SampledCase.objects.select_for_update().select_related("audit_round__question_set", "case").get(pk=sampled_case.pk)
    _check_open_for_grading(sampled_case)
    parsed = sampled_case.audit_round.question_set.parsed
    errors = {}
    for question in parsed.questions:
        grade, note = grades.get(question.id, ("", ""))
        if grade not in Grade.values:
            errors[f"{question.id}.grade"] = "Choose the agreed grade"
        _long(errors, f"{question.id}.note", _text(note), "The note")
    if overall_grade not in Grade.values or overall_grade == Grade.NOT_APPLICABLE:
        errors["overall_grade"] = "Choose the overall grade for the case"
    summary = _text(summary)
    if not summary:
        errors["summary"] = "Summarise what the auditors agreed"
    _long(errors, "summary", summary, "The summary")
    if errors:
        raise ValidationError(errors)
    for question in parsed.questions:
        grade, note = grades[question.id]
        ModeratedGrade.objects.update_or_create(sampled_case=sampled_case, question_id=question.id, defaults={"grade": grade, "note": _text(note)})
    sampled_case.overall_grade = overall_grade
    sampled_case.moderation_summary = summary
    sampled_case.moderated_at = timezone.now()
    sampled_case.moderated_by = actor
    sampled_case.save(update_fields=["overall_grade", "moderation_summary", "moderated_at", "moderated_by"])
    _audit(
        actor,
        AuditAction.UPDATE,
        "audit_case",
        sampled_case.pk,
        f"moderated: overall {Grade(overall_grade).label}",
        request,
        child_id=sampled_case.case.child_id,
    )
    return sampled_case


# --- Learning and actions (those who run audits) ----------------------------------------------------


@_runner_service
def learning_point_add(*, actor, audit_round, text, question_id="", request=None):
    _require_state(audit_round, RoundStatus.IN_PROGRESS, RoundStatus.CLOSED, message="Learning is recorded once the round has started.")
    text = _text(text)
    errors = {}
    if not text:
        errors["text"] = "Describe what the audit found"
    _long(errors, "text", text, "The learning point")
    if question_id and audit_round.question_set.parsed.question(question_id) is None:
        errors["question_id"] = "Choose one of the round's questions"
    if errors:
        raise ValidationError(errors)
    point = LearningPoint.objects.create(audit_round=audit_round, text=text, question_id=question_id or "", recorded_by=actor)
    _audit(actor, AuditAction.CREATE, "learning_point", point.pk, f"round {audit_round.pk}", request)
    return point


@_runner_service
def learning_action_add(*, actor, audit_round, what, owner_agency, owner, due_on, learning_point=None, request=None):
    _require_state(audit_round, RoundStatus.IN_PROGRESS, RoundStatus.CLOSED, message="Actions are recorded once the round has started.")
    if learning_point is not None and learning_point.audit_round_id != audit_round.pk:
        raise ValidationError({"learning_point": "Choose a learning point of this round"})
    action = LearningAction(
        audit_round=audit_round,
        learning_point=learning_point,
        what=_text(what),
        owner_agency=owner_agency,
        owner=_text(owner),
        due_on=due_on,
        created_by=actor,
        updated_by=actor,
    )
    errors = {}
    _long(errors, "what", action.what, "The action")
    try:
        action.full_clean()
    except ValidationError as error:
        errors = {**error.message_dict, **errors}
    if errors:
        raise ValidationError(errors)
    action.save()
    _audit(actor, AuditAction.CREATE, "learning_action", action.pk, f"round {audit_round.pk}, owner {owner_agency}, due {due_on:%d %B %Y}", request)
    return action


def _action_conflict(action_id):
    current = LearningAction.objects.select_related("updated_by").get(pk=action_id)
    who = current.updated_by.get_full_name() or current.updated_by.get_username()
    when = timezone.localtime(current.updated_at)
    return EditConflict(
        f"{who} updated this action at {when:%H:%M} on {when:%-d %B %Y}, after you opened it. Nothing you entered was saved: "
        "check the action as it is now, then make your change again.",
        current_version=current.version,
    )


@_runner_service
def learning_action_update(*, actor, action, version, status, progress, evidence, request=None):
    """Record progress on an action: its status, a progress note and, when done, the evidence that it made a difference."""
    progress, evidence = _text(progress), _text(evidence)
    errors = {}
    if status not in LearningActionStatus.values:
        errors["status"] = "Choose the action's status"
    if status == LearningActionStatus.DONE and not evidence:
        errors["evidence"] = "Say what shows the action is done and made a difference"
    _long(errors, "progress", progress, "Progress")
    _long(errors, "evidence", evidence, "Evidence")
    if errors:
        raise ValidationError(errors)
    completed_on = (action.completed_on or timezone.localdate()) if status == LearningActionStatus.DONE else None
    changed = LearningAction.objects.filter(pk=action.pk, version=version).update(
        status=status,
        progress=progress,
        evidence=evidence,
        completed_on=completed_on,
        updated_by=actor,
        updated_at=timezone.now(),
        version=F("version") + 1,
    )
    if changed != 1:
        raise _action_conflict(action.pk)
    action.refresh_from_db()
    _audit(actor, AuditAction.UPDATE, "learning_action", action.pk, f"status {action.get_status_display()}", request)
    return action


def _rag_for(action):
    if action.is_done:
        return Rag.COMPLETE
    if action.due_on < timezone.localdate():
        return Rag.RED
    return Rag.AMBER if action.status == LearningActionStatus.NOT_STARTED else Rag.GREEN


def learning_action_to_action_plan(*, actor, action, request=None):
    """Copy an action into its owner agency's neglect action plan (made if the agency has none), once.

    Who may add to that plan is the action plan's own rule (`access.can_edit_action_plan_of`: admins,
    and the agency's own strategy member), checked by partnership/services.py; its status starts
    from the action's (done: complete; overdue: red; started: green; not started: amber).
    """
    _require_runner(actor, request)
    if action.action_plan_row_id is not None:
        raise ValidationError({NON_FIELD_ERRORS: "This action is in the agency's action plan already."})
    plan = partnership_services.action_plan_start(actor=actor, agency=action.owner_agency, request=request)
    objective = action.learning_point.text if action.learning_point else f"Learning from the multi-agency case audit \u201c{action.audit_round.title}\u201d"
    with transaction.atomic():
        row = partnership_services.action_plan_row_add(
            actor=actor,
            plan=plan,
            objective=objective[:MAX_TEXT],
            action=action.what,
            input="Found by the partnership's multi-agency case audit",
            desired_outcome=f"The learning from \u201c{action.audit_round.title}\u201d shows in practice for children",
            lead=action.owner,
            timescale=action.due_on,
            quarter=quarter_of(timezone.localdate()).name,
            rag=_rag_for(action),
            progress=action.progress or "Added from the case audit's actions.",
            request=request,
        )
        claimed = LearningAction.objects.filter(pk=action.pk, action_plan_row__isnull=True).update(action_plan_row=row)
        if claimed != 1:
            raise ValidationError({NON_FIELD_ERRORS: "This action is in the agency's action plan already."})
        _audit(actor, AuditAction.UPDATE, "learning_action", action.pk, f"copied to action plan {plan.pk}, row {row.pk}", request)
    action.refresh_from_db()
    return row


# --- Family feedback --------------------------------------------------------------------------------


def _clean_answers(question_set, answers):
    """Answers that fit the set ({question id: value}), or ValidationError keyed by question id."""
    parsed = question_set.parsed
    errors, cleaned = {}, {}
    for question in parsed.questions:
        raw = answers.get(question.id, "")
        if raw in (None, ""):
            if question.required:
                errors[question.id] = "Choose an answer" if question.type == "scale" else "Write an answer"
            continue
        try:
            value = parsed.coerce(question, raw)
        except ValueError as error:
            errors[question.id] = str(error)
            continue
        if len(value) > MAX_TEXT:
            errors[question.id] = f"Write {MAX_TEXT:,} characters or fewer"
        cleaned[question.id] = value
    unknown = set(answers) - {question.id for question in parsed.questions}
    if unknown:
        errors[NON_FIELD_ERRORS] = "Some answers are not for this set's questions"
    if errors:
        raise ValidationError(errors)
    return cleaned


def _check_occasion(occasion, respondent):
    errors = {}
    if occasion not in FeedbackOccasion.values:
        errors["occasion"] = "Choose when the feedback was given"
    if respondent not in Respondent.values:
        errors["respondent"] = "Choose who gave the feedback"
    if errors:
        raise ValidationError(errors)


def feedback_set_for(respondent):
    """The published family feedback set for a parent or a child; ValidationError when the partnership has none."""
    question_set = selectors.feedback_set_for(respondent=respondent)
    if question_set is None:
        raise ValidationError({NON_FIELD_ERRORS: "There is no published feedback question set for this person. Ask your partnership admin."})
    return question_set


@transaction.atomic
def feedback_record(*, actor, case, occasion, respondent, answers, request=None):
    """Record what a parent or child told the practitioner, on the case (the view got it with access_case(..., action="contribute"))."""
    _check_occasion(occasion, respondent)
    question_set = feedback_set_for(respondent)
    cleaned = _clean_answers(question_set, answers)
    if not cleaned:
        raise ValidationError({NON_FIELD_ERRORS: "Record at least one answer"})
    membership = access.membership_of(actor)
    response = FeedbackResponse.objects.create(
        case=case,
        occasion=occasion,
        respondent=respondent,
        question_set=question_set,
        answers=cleaned,
        via=FeedbackVia.IN_PERSON,
        recorded_by=actor,
        agency=membership.agency if membership else None,
    )
    _audit(
        actor,
        AuditAction.CREATE,
        "feedback_response",
        response.pk,
        f"{Respondent(respondent).label}, {FeedbackOccasion(occasion).label}",
        request,
        child_id=case.child_id,
    )
    return response


def _checked_address(channel, address):
    address = _text(address)
    if channel == FeedbackChannel.EMAIL:
        try:
            validate_email(address)
        except ValidationError:
            raise ValidationError({"address": "Enter an email address in the correct format, like name@example.com"}) from None
        return address
    if channel == FeedbackChannel.TEXT:
        number = normalise_mobile(address)
        if number is None:
            raise ValidationError({"address": "Enter a UK mobile number, like 07700 900 982"})
        return number
    raise ValidationError({"channel": "Choose email or text message"})


@transaction.atomic
def feedback_link_request(*, actor, case, occasion, respondent, channel, address, request=None):
    """Send a family a single-use link to the feedback page: the row now, the message after commit (quality/tasks.py).

    The address is kept only until the message has gone; the access log never holds it.
    """
    from .tasks import feedback_link_send  # the task module imports this one

    _check_occasion(occasion, respondent)
    address = _checked_address(channel, address)
    question_set = feedback_set_for(respondent)
    link = FeedbackRequest.objects.create(
        case=case,
        occasion=occasion,
        respondent=respondent,
        question_set=question_set,
        channel=channel,
        address=address,
        created_by=actor,
        expires_at=timezone.now() + timedelta(days=settings.FAMILY_FEEDBACK_LINK_DAYS),
    )
    _audit(
        actor,
        AuditAction.CREATE,
        "feedback_request",
        link.pk,
        f"link by {FeedbackChannel(channel).label.lower()} for the {Respondent(respondent).label.lower()}",
        request,
        child_id=case.child_id,
    )
    transaction.on_commit(lambda: feedback_link_send.delay(link.pk))
    return link


CLAIM_EXPIRY_SECONDS = 600


def _message(link, url):
    days = settings.FAMILY_FEEDBACK_LINK_DAYS
    who = "you" if link.respondent == Respondent.CHILD else "your family"
    return (
        f"{partnership_name()} would like to hear what the help {who} had was like. It takes about 3 minutes and you do not need an account. "
        f"The link works once, for {days} days: {url}"
    )


def feedback_link_send(*, request_id):
    """Send one feedback link, exactly once: claim the row, make its token, send, then clear the address.

    The claim is a conditional UPDATE (only an unsent, unclaimed or stale-claimed row changes), so two
    deliveries of the task cannot both send. The token is made here, not when the link was asked for,
    so its usable form exists only in the message; a failed send releases the claim and the retry makes
    a new token (the failed one was never delivered). Returns what happened, for the task's result.
    """
    now = timezone.now()
    stale = now - timedelta(seconds=CLAIM_EXPIRY_SECONDS)
    claimed = FeedbackRequest.objects.filter(
        Q(send_claimed_at__isnull=True) | Q(send_claimed_at__lt=stale),
        pk=request_id,
        sent_at__isnull=True,
    ).update(send_claimed_at=now)
    if claimed != 1:
        return "already sent or being sent"
    link = FeedbackRequest.objects.select_related("case").get(pk=request_id)
    value, token_hash = links.token_new()
    url = f"{settings.SITE_URL}{reverse('family:feedback', args=[value])}"
    try:
        if link.channel == FeedbackChannel.EMAIL:
            send_mail(
                subject=f"{partnership_name()}: tell us what the help was like",
                message=_message(link, url),
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[link.address],
            )
        else:
            send_text(to=link.address, body=_message(link, url))
    except OSError:
        FeedbackRequest.objects.filter(pk=request_id).update(send_claimed_at=None)
        raise
    with transaction.atomic():
        FeedbackRequest.objects.filter(pk=request_id).update(token_hash=token_hash, sent_at=timezone.now(), address="")
        _audit(
            None,
            AuditAction.UPDATE,
            "feedback_request",
            link.pk,
            f"link sent by {link.get_channel_display().lower()}",
            None,
            child_id=link.case.child_id,
            username=access.FAMILY_LINK_ACTOR,
        )
    return "sent"


class LinkAlreadyUsed(Exception):
    """Two submissions of the same link raced; the second finds it used."""


@transaction.atomic
def family_feedback_submit(*, link, answers, request=None):
    """The family's answers through their link: the link is used up in the same transaction, and the answers land on the case.

    The link is claimed with a conditional UPDATE that must change exactly one row (unused and in date),
    so a double submission saves once; the second raises `LinkAlreadyUsed` and the page answers as for
    a used link.
    """
    cleaned = _clean_answers(link.question_set, answers)
    if not cleaned:
        raise ValidationError({NON_FIELD_ERRORS: "Answer at least one question"})
    now = timezone.now()
    claimed = FeedbackRequest.objects.filter(pk=link.pk, used_at__isnull=True, expires_at__gt=now, sent_at__isnull=False).update(used_at=now)
    if claimed != 1:
        raise LinkAlreadyUsed()
    try:
        response = FeedbackResponse.objects.create(
            case_id=link.case_id,
            occasion=link.occasion,
            respondent=link.respondent,
            question_set=link.question_set,
            answers=cleaned,
            via=FeedbackVia.LINK,
            request=link,
        )
    except IntegrityError as error:  # the one-to-one on the request: the other submission won
        raise LinkAlreadyUsed() from error
    _audit(
        None,
        AuditAction.CREATE,
        "feedback_response",
        response.pk,
        "answers given through a family feedback link",
        request,
        child_id=link.case.child_id,
        username=access.FAMILY_LINK_ACTOR,
    )
    return response


def question_for_error_key(key):
    """The question id a service error key names ("identification.evidence" -> "identification")."""
    return key.split(".", 1)[0]
