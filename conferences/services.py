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

Invitations: each invitation saved is emailed once, after commit, to the person invited (or the
agency's safeguarding leads when nobody was named), with an iCalendar file that names no child
(`invitation_email_send`, `conferences.calendar`). Decisions of a conference that was not quorate
need the chair's reason (`_check_inquorate_reason`).

The chronology: `_conference_recorded` is the one point where a recorded conference leaves this
module; see its docstring.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from agencies import access
from agencies.models import Agency, Role
from audit.models import AuditAction
from audit.services import audit_record
from cases.models import Case
from cases.services import team_add
from chronologies import services as chronology
from neglect_portal.dates import long_date
from neglect_portal.working_days import add_working_days
from notifications.services import notification_create
from plans.services import plan_follow_conference

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
    from .tasks import conference_invitation_email  # here, not at the top: the task module imports this one

    transaction.on_commit(lambda pk=invitation.pk: conference_invitation_email.delay(pk))
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
    location: str = "",
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
        location=_text(location),
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
def invitation_report_sent(*, actor, invitation: Invitation, request=None) -> Invitation:
    """The invited agency records that its report was sent today (the view got the invitation through
    `access.access_own_invitation`: the actor's own agency's). On time or late follows from the deadline.

    Once the conference's attendance is recorded the chair's table is the record, so it is corrected there.
    """
    invitation = Invitation.objects.select_for_update(of=("self",)).select_related("agency", "conference").get(pk=invitation.pk)
    if not invitation.report_requested:
        raise ValidationError({NON_FIELD_ERRORS: f"No report was asked of {invitation.agency}"})
    if invitation.report_received_on is not None:
        raise ValidationError({NON_FIELD_ERRORS: f"{invitation.agency}'s report was already recorded on {long_date(invitation.report_received_on)}"})
    if invitation.conference.attendance_recorded_at is not None:
        raise ValidationError({NON_FIELD_ERRORS: "The conference's attendance is recorded: ask the chair to record your report"})
    invitation.report_received_on = timezone.localdate()
    invitation.full_clean()
    invitation.save(update_fields=["report_received_on"])
    on_time = "on time" if invitation.report_on_time else "late"
    audit_record(
        user=actor,
        action=AuditAction.UPDATE,
        object_type="invitation",
        object_id=invitation.pk,
        child_id=_first_child_id(invitation.conference),
        detail=f"{invitation.agency.name}: report sent {invitation.report_received_on} ({on_time})",
        request=request,
    )
    return invitation


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


INQUORATE_REASON_MISSING = "Enter why decisions are made although the conference is not quorate"


def _check_inquorate_reason(conference, reason):
    """A conference that was not quorate needs the chair's reason before its decisions are recorded.

    `reason` None keeps the reason already given (a correction of the decisions); a blank one
    is refused. The reason is kept on the conference.
    """
    conference = Conference.objects.select_for_update(of=("self",)).get(pk=conference.pk)
    kept = conference.inquorate_reason if reason is None else _text(reason)
    if not conference.is_inquorate:
        return
    if not kept:
        raise ValidationError({"inquorate_reason": INQUORATE_REASON_MISSING})
    if kept != conference.inquorate_reason:
        Conference.objects.filter(pk=conference.pk).update(inquorate_reason=kept)


@transaction.atomic
def conference_record_decisions(
    *, actor, conference: Conference, decisions: Sequence[DecisionEntry], inquorate_reason: str | None = None, request=None
) -> list[ConferenceChild]:
    """Record the conference's decision for each child given; only children the actor may see can be decided.

    A child protection conference decides per child: an initial one starts a plan or not, a
    review continues, ends or re-categorises it; the plan's category is recorded with it. When
    the recorded attendance makes the conference not quorate, `inquorate_reason` (the chair's
    reason for deciding all the same) is required and kept on the conference.
    """
    _require_taken_place(conference)
    if not conference.decides_on_plans:
        raise ValidationError({NON_FIELD_ERRORS: f"A {conference.get_kind_display().lower()} does not decide on a plan"})
    _check_inquorate_reason(conference, inquorate_reason)
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
        subject = f"{feedback.agency.name} was absent from a {conference.get_kind_display().lower()}"
        told = []
        for lead in safeguarding_leads(agency=feedback.agency):
            visible = set(access.cases_visible_to(lead).filter(pk__in=[link.case_id for link in links]).values_list("pk", flat=True))
            seen = [link for link in links if link.case_id in visible]
            if not seen:
                continue
            notification_create(
                recipient=lead,
                subject=subject,
                body=_feedback_body(conference=conference, invitation=invitation, links=seen),
                link=reverse("cases:case_detail", args=[seen[0].case_id]),
            )
            told.append(_person(lead))
        sent = len(told)
        outcome = _feedback_fallback(conference=conference, invitation=invitation, links=links, subject=subject, told=told)
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


def _person(user):
    return user.get_full_name() or user.get_username()


def _outcome(text):
    field = AbsenceFeedback._meta.get_field("outcome")
    return text if len(text) <= field.max_length else text[: field.max_length - 1] + "…"


def _feedback_fallback(*, conference, invitation, links, subject, told):
    """Who was told, as the conference page shows it; when no safeguarding lead could be, someone else is.

    First the agency's safeguarding leads who can see a case (told by the caller); failing them, the
    person invited (in the portal if they have an account, else by email to the address given);
    failing that, the partnership admins, so that an absence is never reported to nobody.
    """
    if told:
        return _outcome(f"Told the agency's safeguarding leads: {', '.join(told)}")
    body = _feedback_body(conference=conference, invitation=invitation, links=links)
    invitee = invitation.invitee
    if invitee is not None and invitee.is_active and invitee.email:
        notification_create(recipient=invitee, subject=subject, body=body, link=reverse("conferences:conference_detail", args=[conference.pk]))
        return _outcome(f"No safeguarding lead could be told: told the invited person, {_person(invitee)}")
    if invitation.invitee_email:
        from .tasks import conference_email  # here, not at the top: the task module imports this one

        address = invitation.invitee_email
        transaction.on_commit(lambda: conference_email.delay(address, subject, body))
        return _outcome(f"No safeguarding lead could be told: emailed the invited person at {address}")
    admins = list(get_user_model().objects.filter(is_active=True, membership__role=Role.PARTNERSHIP_ADMIN).order_by("pk"))
    for admin in admins:
        notification_create(
            recipient=admin,
            subject=subject,
            body=f"{body}\n\n{invitation.agency.name} has no safeguarding lead who can see the case and no invited person's email address: please pass this on.",
        )
    if admins:
        return _outcome(f"No safeguarding lead or invited person's email: told the partnership admins: {', '.join(_person(admin) for admin in admins)}")
    return "Nobody could be told: no safeguarding lead, invited person's email or partnership admin"


# --- Invitation emails -----------------------------------------------------------------------------

INVITATION_CLAIM_EXPIRY_SECONDS = 600


def _invitation_addresses(invitation):
    """Who an invitation is emailed to: the invited person (their account's address, else the one
    typed); when nobody was named, the agency's safeguarding leads, so that it reaches the agency."""
    invitee = invitation.invitee
    if invitee is not None and invitee.is_active and invitee.email:
        return [invitee.email]
    if invitation.invitee_email:
        return [invitation.invitee_email]
    return [lead.email for lead in safeguarding_leads(agency=invitation.agency) if lead.email]


def _where(conference):
    if not conference.location:
        return "Place or joining link: the chair will send it"
    if conference.location.startswith(("https://", "http://")):
        return f"Joining link: {conference.location}"
    return f"Place: {conference.location}"


def invitation_message(invitation, *, to):
    """The invitation email with its calendar file. It names no child: the conference's reference only."""
    from notifications.sender import sender_name
    from notifications.tasks import absolute_link

    from .calendar import conference_start, invitation_ics

    conference = invitation.conference
    link = absolute_link(reverse("conferences:conference_detail", args=[conference.pk]))
    kind = conference.get_kind_display()
    start = timezone.localtime(conference_start(conference))
    report = (
        f"Report: please send {invitation.agency.name}'s report by {long_date(conference.report_due_on)}. "
        "You can record that it was sent on the Upcoming conferences page."
        if invitation.report_requested
        else "Report: no report is asked of your agency."
    )
    body = "\n\n".join(
        [
            f"{invitation.agency.name} is invited to a {kind.lower()} (reference {conference.reference})"
            + (" as a key agency." if invitation.is_key_agency else "."),
            f"Date: {long_date(conference.held_on)}, {start:%H:%M} (UK time)\nFormat: {conference.get_format_display()}\n{_where(conference)}",
            report,
            f"See the conference (sign in): {link}",
            "The attached calendar file adds the conference to your calendar.",
        ]
    )
    message = EmailMessage(
        subject=f"[{sender_name()}] Invitation: {kind}, {long_date(conference.held_on)} (reference {conference.reference})",
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
    )
    message.attach(f"conference-{conference.reference}.ics", invitation_ics(invitation=invitation, link=link), "text/calendar")
    return message


def invitation_email_send(*, invitation_id) -> str:
    """Email one invitation, with its calendar file, once.

    The row is claimed with a conditional update (only an unsent, unclaimed or stale-claimed
    invitation changes), so two deliveries of the task cannot both send; a mail-server failure
    releases the claim for the task's retry. Who it went to is kept on the invitation.
    """
    now = timezone.now()
    stale = now - timedelta(seconds=INVITATION_CLAIM_EXPIRY_SECONDS)
    claimed = Invitation.objects.filter(Q(email_claimed_at__isnull=True) | Q(email_claimed_at__lt=stale), pk=invitation_id, emailed_at__isnull=True).update(
        email_claimed_at=now
    )
    if claimed != 1:
        return "already sent or being sent"
    invitation = Invitation.objects.select_related("conference", "agency", "invitee").get(pk=invitation_id)
    addresses = _invitation_addresses(invitation)
    if not addresses:
        Invitation.objects.filter(pk=invitation_id).update(emailed_at=now, emailed_to="")
        return "no address"
    try:
        invitation_message(invitation, to=addresses).send()
    except OSError:
        Invitation.objects.filter(pk=invitation_id).update(email_claimed_at=None)
        raise
    Invitation.objects.filter(pk=invitation_id).update(emailed_at=timezone.now(), emailed_to=", ".join(addresses)[:500])
    return "sent"


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
