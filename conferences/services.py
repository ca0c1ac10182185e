"""Writes for conferences: schedule, invite, record attendance and decisions, tell absent agencies.

Who may act is decided before a service is called: views and the API get the case through
`agencies.access.access_case` and the conference through `conference_selectors.access_conference`
and pass them in. Services enforce the business rules and write one audit row per action. When
inviting an agency brings it into the team around a child, `team_add` writes a second row, as it
does for a concern: that changes who can see the child.

Immediate feedback: once a conference's attendance is recorded (and, for a child protection
conference, every child's decision, so that the message can name it), each key agency that did
not take part or sent no requested report gets one `AbsenceFeedback` row, and a Celery task,
enqueued after commit, tells its safeguarding leads (`absence_feedback_send`).

The chronology: `_conference_recorded` is the one point where a recorded conference leaves this
module; see its docstring.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from agencies import access
from agencies.models import Agency
from audit.models import AuditAction
from audit.services import audit_record
from cases.models import Case
from cases.services import plan_follow_conference, team_add
from chronologies import services as chronology
from neglect_portal.dates import long_date
from neglect_portal.working_days import add_working_days
from notifications.services import notification_create

from . import events as conference_signals
from .models import AbsenceFeedback, Conference, ConferenceChild, ConferenceKind, Invitation
from .selectors import (
    ConferenceEvent,
    conference_events,
    conference_links_visible_to,
    possible_chairs,
    safeguarding_leads,
)

# How long a claimed feedback row is left alone before another run may take it over (a worker
# that died mid-send never marks it sent).
FEEDBACK_CLAIM_EXPIRY_SECONDS = 600


@dataclass(frozen=True)
class InvitationRequest:
    """One agency to invite, as asked for on the scheduling page or in the API."""

    agency: Agency
    is_key_agency: bool = False
    report_requested: bool = True
    invitee: object = None  # a user of the agency, when the person has an account
    invitee_name: str = ""
    invitee_email: str = ""


@dataclass(frozen=True)
class AttendanceEntry:
    """What happened for one invitation: attendance, the report's arrival, the impact of an absence."""

    invitation_id: int
    attendance: str
    report_received_on: date | None = None
    absence_impact: str = ""


@dataclass(frozen=True)
class DecisionEntry:
    """The conference's decision for one child (by case) and the plan's category after it."""

    case_id: int
    decision: str
    cp_category: str = ""
    notes: str = ""


def _text(value):
    return (value or "").strip()


def report_days(kind):
    """Working days before the conference by which reports are due.

    Working Together sets them for child protection conferences; for other meetings the report
    is wanted by the day itself.
    """
    if kind == ConferenceKind.INITIAL:
        return getattr(settings, "CONFERENCE_REPORT_DAYS_INITIAL", 3)
    if kind == ConferenceKind.REVIEW:
        return getattr(settings, "CONFERENCE_REPORT_DAYS_REVIEW", 5)
    return 0


def _set_due_dates(conference):
    conference.report_due_on = add_working_days(conference.held_on, -report_days(conference.kind))
    conference.initial_due_on = None
    if conference.kind == ConferenceKind.INITIAL and conference.strategy_discussion_on is not None:
        within = getattr(settings, "CONFERENCE_INITIAL_WITHIN_WORKING_DAYS", 15)
        conference.initial_due_on = add_working_days(conference.strategy_discussion_on, within)


SIBLINGS_NOT_VISIBLE = "Choose open cases of the child's brothers and sisters that you can see"


def _check_cases(actor, case, other_cases):
    """The conference's cases: the one it is scheduled from first, then siblings' open cases.

    Every case must be one the actor can see: invited agencies join the team of each case, and
    nobody may bring an agency into a record they cannot read themselves (issue 22, finding 1).
    """
    cases = [case] + [other for other in other_cases if other.pk != case.pk]
    visible = set(access.cases_visible_to(actor).filter(pk__in=[each.pk for each in cases]).values_list("pk", flat=True))
    if any(each.pk not in visible for each in cases):
        raise ValidationError({"sibling_cases": SIBLINGS_NOT_VISIBLE})
    family = case.child.family_id
    errors = []
    if not case.is_open:
        errors.append("This case is closed: a conference can only be scheduled on an open case")
    if any(not other.is_open for other in cases[1:]):
        errors.append("Only open cases can be added to a conference")
    if any(family is None or other.child.family_id != family for other in cases[1:]):
        errors.append("Only the child's brothers and sisters can share the conference")
    if errors:
        raise ValidationError({"sibling_cases": errors})
    return cases


def _check_invitations(invitations: Sequence[InvitationRequest]):
    agencies = [request.agency.pk for request in invitations]
    if not invitations:
        raise ValidationError({"invitations": "Invite at least one agency"})
    if len(set(agencies)) != len(agencies):
        raise ValidationError({"invitations": "Invite each agency once"})


def _invite(conference, asked: InvitationRequest, *, cases, actor, request):
    """Save one invitation; the agency joins the team around each child in `cases` so it can read what it is asked about.

    `cases` are the conference's cases the actor can see (the caller narrows them): a sibling the
    actor cannot see keeps its team as it is. Each join is a recorded information-sharing decision
    (`cases.services.team_add`).
    """
    invitation = Invitation(
        conference=conference,
        agency=asked.agency,
        is_key_agency=asked.is_key_agency,
        report_requested=asked.report_requested,
        invitee=asked.invitee,
        invitee_name=_text(asked.invitee_name),
        invitee_email=_text(asked.invitee_email),
    )
    invitation.full_clean()
    invitation.save()
    for case in cases:
        team_add(case=case, agency=asked.agency, reason=f"Invited to the {conference}", actor=actor, request=request)
    return invitation


@transaction.atomic
def conference_schedule(
    *,
    actor,
    case: Case,
    kind: str,
    held_on: date,
    start_time: time,
    format: str,
    chair,
    invitations: Sequence[InvitationRequest],
    sibling_cases: Sequence[Case] = (),
    strategy_discussion_on: date | None = None,
    request=None,
) -> Conference:
    """Schedule a conference for a child (and brothers and sisters), and invite agencies.

    The caller got `case` (and each sibling case) from the access layer. The chair must be a case
    worker of children's social care; report deadlines and, for an initial conference, the
    timescale are worked out here in working days and stored with the conference (the date of
    the strategy discussion is kept for an initial conference only: nothing else is timed by it).
    """
    if held_on is None:
        raise ValidationError({"held_on": "Enter the date of the conference"})
    cases = _check_cases(actor, case, sibling_cases)
    _check_invitations(invitations)
    if not possible_chairs().filter(pk=getattr(chair, "pk", None)).exists():
        raise ValidationError({"chair": "Choose a chair from children's social care"})
    conference = Conference(
        kind=kind,
        held_on=held_on,
        start_time=start_time,
        format=format,
        chair=chair,
        chair_agency=chair.membership.agency,
        strategy_discussion_on=strategy_discussion_on if kind == ConferenceKind.INITIAL else None,
        scheduled_by=actor,
    )
    _set_due_dates(conference)
    conference.full_clean()
    conference.save()
    for each in cases:
        ConferenceChild.objects.create(conference=conference, case=each)
    for invitation in invitations:
        _invite(conference, invitation, cases=cases, actor=actor, request=request)
    audit_record(
        user=actor,
        action=AuditAction.CREATE,
        object_type="conference",
        object_id=conference.pk,
        child_id=case.child_id,
        detail=f"{conference}; cases {', '.join(str(c.pk) for c in cases)}; invited {', '.join(i.agency.name for i in invitations)}",
        request=request,
    )
    return conference


@transaction.atomic
def invitation_add(*, actor, conference: Conference, invitation: InvitationRequest, request=None) -> Invitation:
    """Invite one more agency to a conference that has not been recorded yet.

    The agency joins the team of the conference's cases the actor can see, and of no other: a
    manager who sees one child of a sibling group's conference cannot open a brother's or sister's
    record by inviting their own agency (issue 22, finding 1). Children's social care see every
    case, so their invitations reach every child's team.
    """
    if conference.attendance_recorded_at is not None:
        raise ValidationError({NON_FIELD_ERRORS: "Attendance has been recorded: this conference has taken place"})
    if conference.invitations.filter(agency=invitation.agency).exists():
        raise ValidationError({"agency": f"{invitation.agency} is already invited"})
    visible = conference_links_visible_to(actor).filter(conference=conference)
    cases = [link.case for link in visible.select_related("case").order_by("pk")]
    saved = _invite(conference, invitation, cases=cases, actor=actor, request=request)
    audit_record(
        user=actor,
        action=AuditAction.CREATE,
        object_type="invitation",
        object_id=saved.pk,
        child_id=cases[0].child_id if cases else None,
        detail=f"{invitation.agency.name} to conference {conference.pk}",
        request=request,
    )
    return saved


def _require_taken_place(conference):
    if not conference.has_taken_place(timezone.localdate()):
        raise ValidationError({NON_FIELD_ERRORS: "This conference has not taken place yet"})


def _first_child_id(conference):
    return conference.links.order_by("pk").values_list("case__child_id", flat=True).first()


def _apply_attendance(invitation, entry: AttendanceEntry):
    invitation.attendance = entry.attendance
    invitation.report_received_on = entry.report_received_on
    invitation.absence_impact = _text(entry.absence_impact)
    if not invitation.attendance:
        raise ValidationError({"attendance": f"Choose how {invitation.agency} attended"})
    invitation.full_clean()
    invitation.save()


def _attendance_recorded(conference, *, request):
    """After any change of attendance: the conference counts as recorded; feedback and chronology follow."""
    Conference.objects.filter(pk=conference.pk, attendance_recorded_at__isnull=True).update(attendance_recorded_at=timezone.now())
    conference.refresh_from_db(fields=["attendance_recorded_at"])
    _queue_absence_feedback(conference)
    _conference_recorded(conference)


@transaction.atomic
def conference_record_attendance(*, actor, conference: Conference, entries: Sequence[AttendanceEntry], request=None) -> Conference:
    """Record every invited agency's attendance and report at once (the attendance table).

    The invitations are locked so that two people saving the table at once apply one after the
    other. Every invitation needs an entry: a conference's attendance is recorded whole, so that
    quorum and the absences it reports are never based on half a table.
    """
    _require_taken_place(conference)
    locked = conference.invitations.select_for_update(of=("self",)).select_related("agency")
    invitations = {invitation.pk: invitation for invitation in locked}
    given = {entry.invitation_id: entry for entry in entries}
    if set(given) != set(invitations):
        raise ValidationError({NON_FIELD_ERRORS: "Record the attendance of every invited agency"})
    for invitation_id, invitation in invitations.items():
        _apply_attendance(invitation, given[invitation_id])
    _attendance_recorded(conference, request=request)
    summary = "; ".join(f"{i.agency.name}: {i.get_attendance_display()}" for i in invitations.values())
    audit_record(
        user=actor,
        action=AuditAction.UPDATE,
        object_type="conference",
        object_id=conference.pk,
        child_id=_first_child_id(conference),
        detail=f"attendance recorded: {summary}",
        request=request,
    )
    return conference


@transaction.atomic
def invitation_record_attendance(*, actor, invitation: Invitation, entry: AttendanceEntry, request=None) -> Invitation:
    """Record (or correct) one agency's attendance and report (the API's attendance update)."""
    conference = invitation.conference
    _require_taken_place(conference)
    invitation = Invitation.objects.select_for_update(of=("self",)).select_related("agency", "conference").get(pk=invitation.pk)
    _apply_attendance(invitation, entry)
    _attendance_recorded(invitation.conference, request=request)
    audit_record(
        user=actor,
        action=AuditAction.UPDATE,
        object_type="invitation",
        object_id=invitation.pk,
        child_id=_first_child_id(conference),
        detail=f"{invitation.agency.name}: {invitation.get_attendance_display()}",
        request=request,
    )
    return invitation


@transaction.atomic
def conference_record_decisions(*, actor, conference: Conference, decisions: Sequence[DecisionEntry], request=None) -> list[ConferenceChild]:
    """Record the conference's decision for each child given; only children the actor may see can be decided.

    A child protection conference decides per child: an initial one starts a plan or not, a
    review continues, ends or re-categorises it; the plan's category is recorded with it.
    """
    _require_taken_place(conference)
    if not conference.decides_on_plans:
        raise ValidationError({NON_FIELD_ERRORS: f"A {conference.get_kind_display().lower()} does not decide on a plan"})
    visible = conference_links_visible_to(actor).filter(conference=conference).select_for_update(of=("self",))
    links = {link.case_id: link for link in visible.select_related("case")}
    unknown = [entry.case_id for entry in decisions if entry.case_id not in links]
    if unknown or not decisions:
        raise ValidationError({"case": "Choose a child this conference covers"})
    now = timezone.now()
    recorded = []
    for entry in decisions:
        link = links[entry.case_id]
        link.conference = conference
        link.decision, link.cp_category, link.decision_notes = entry.decision, entry.cp_category or "", _text(entry.notes)
        link.decided_at, link.decided_by = now, actor
        if not link.decision:
            raise ValidationError({"decision": "Choose the decision"})
        link.full_clean()
        link.save()
        # The decision is the source of the plan: started, ended or re-categorised on the case, in this transaction.
        plan_follow_conference(actor=actor, case=link.case, decision=link.decision, cp_category=link.cp_category, held_on=conference.held_on, request=request)
        recorded.append(link)
    _queue_absence_feedback(conference)
    _conference_recorded(conference, author=actor)
    audit_record(
        user=actor,
        action=AuditAction.UPDATE,
        object_type="conference",
        object_id=conference.pk,
        child_id=recorded[0].case.child_id,
        detail="decisions: " + "; ".join(f"case {link.case_id}: {link.decision} {link.cp_category}".strip() for link in recorded),
        request=request,
    )
    return recorded


# --- Immediate feedback to absent key agencies ---------------------------------------------------


def _outcome_known(conference):
    """Attendance is recorded and, where the conference decides on plans, every child's decision too."""
    if conference.attendance_recorded_at is None:
        return False
    return not conference.decides_on_plans or not conference.links.filter(decision="").exists()


def _queue_absence_feedback(conference):
    """Create the once-only feedback row for each key agency absent or without its report; send after commit.

    An existing row (already queued or sent) is left alone, so recording the table again never
    tells an agency twice.
    """
    if not _outcome_known(conference):
        return
    from .tasks import conference_absence_feedback  # here, not at the top: the task module imports this one

    for invitation in conference.invitations.filter(is_key_agency=True).exclude(attendance="").select_related("agency"):
        if not invitation.needs_feedback:
            continue
        feedback, created = AbsenceFeedback.objects.get_or_create(conference=conference, agency=invitation.agency)
        if created:
            transaction.on_commit(lambda pk=feedback.pk: conference_absence_feedback.delay(pk))


def _claim(feedback_id):
    """Take the row for this run: only an unsent row, unclaimed or claimed long ago, changes."""
    now = timezone.now()
    stale = now - timedelta(seconds=FEEDBACK_CLAIM_EXPIRY_SECONDS)
    claimed = AbsenceFeedback.objects.filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale), pk=feedback_id, sent_at__isnull=True).update(claimed_at=now)
    return claimed == 1


def _feedback_body(*, conference, invitation, links):
    what = []
    if invitation.is_absent:
        what.append(f"did not take part ({invitation.get_attendance_display().lower()})")
    if invitation.report_missing:
        what.append("sent no report")
    lines = [
        f"{invitation.agency.name} was a key agency for the {conference.get_kind_display().lower()} on "
        f"{long_date(conference.held_on)} and {' and '.join(what)}.",
    ]
    for link in links:
        if link.decision:
            category = f" (category: {link.get_cp_category_display().lower()})" if link.cp_category else ""
            lines.append(f"Case {link.case_id}: decided in your agency's absence: {link.get_decision_display().lower()}{category}.")
        else:
            lines.append(f"Case {link.case_id}: the conference met without your agency.")
    lines.append(f"See the conference record: {reverse('conferences:conference_detail', args=[conference.pk])}")
    return "\n".join(lines)


def absence_feedback_send(*, feedback_id) -> str:
    """Tell an absent key agency's safeguarding leads, in-app and by email, what was decided without them.

    Idempotent: the row is claimed with a conditional update, so a second run (a redelivered task,
    a retry) finds nothing to do. Access is checked again now, not when queued: each lead is told
    only about cases they can see today, and nobody is told if the agency's attendance has since
    been corrected. The notifications and the "sent" mark are one transaction: a failure rolls
    both back, releases the claim and lets the task retry; the emails go after commit, each
    retried with backoff by `notifications.tasks.notification_email` while the mail server is down.
    The message names the decision and the case number, never the child.
    """
    if not _claim(feedback_id):
        return "already sent or being sent"
    try:
        with transaction.atomic():
            outcome = _send_feedback(feedback_id)
    except Exception:
        AbsenceFeedback.objects.filter(pk=feedback_id).update(claimed_at=None)
        raise
    return outcome


def _send_feedback(feedback_id):
    feedback = AbsenceFeedback.objects.select_related("conference", "agency").get(pk=feedback_id)
    conference = feedback.conference
    invitation = conference.invitations.select_related("agency").filter(agency=feedback.agency).first()
    sent = 0
    if invitation is None or not invitation.needs_feedback:
        outcome = "no longer absent"
    else:
        links = list(conference.links.order_by("pk"))
        for lead in safeguarding_leads(agency=feedback.agency):
            visible = set(access.cases_visible_to(lead).filter(pk__in=[link.case_id for link in links]).values_list("pk", flat=True))
            seen = [link for link in links if link.case_id in visible]
            if not seen:
                continue
            notification_create(
                recipient=lead,
                subject=f"{feedback.agency.name} was absent from a {conference.get_kind_display().lower()}",
                body=_feedback_body(conference=conference, invitation=invitation, links=seen),
                link=reverse("cases:case_detail", args=[seen[0].case_id]),
            )
            sent += 1
        outcome = f"sent to {sent}" if sent else "no safeguarding lead can see the case"
    AbsenceFeedback.objects.filter(pk=feedback_id).update(sent_at=timezone.now(), outcome=outcome)
    audit_record(
        user=None,
        action=AuditAction.CREATE,
        object_type="absence_feedback",
        object_id=feedback_id,
        child_id=_first_child_id(conference),
        detail=f"{feedback.agency.name}: {outcome}",
    )
    return "sent" if sent else outcome


# --- The chronology ------------------------------------------------------------------------------


def _conference_recorded(conference: Conference, *, author=None) -> list[ConferenceEvent]:
    """The point where a recorded conference reaches each child's chronology.

    Called inside the recording transaction after attendance or decisions are saved (so an entry
    rolls back with them). Today it works out what each child's chronology entry must say
    (`conference_selectors.conference_events`: child, case, date, kind "conference", the
    convening agency, a summary naming agencies and the decision, and a stable `key`); the
    chronology service replaces the entry with the same key, since a conference is recorded more
    than once (attendance, then decisions, then corrections).
    """
    events = conference_events(conference=conference)
    chronology.chronology_entries_from_conference_events(events=events, author=author)
    conference_signals.conference_recorded.send(sender=Conference, case_ids=list(conference.links.values_list("case_id", flat=True)))
    return events
