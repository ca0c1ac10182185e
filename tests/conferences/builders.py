"""Conferences built through the services the pages use (shared by the conference, matrix and browser tests)."""

from datetime import time, timedelta

from django.utils import timezone

from conferences.models import Attendance, ConferenceFormat, ConferenceKind
from conferences.services import AttendanceEntry, InvitationRequest, conference_record_attendance, conference_schedule


def make_conference(
    case,
    *,
    actor,
    chair,
    held_on,
    invitations,
    kind=ConferenceKind.REVIEW,
    siblings=(),
    strategy_discussion_on=None,
    start_time=time(10, 0),
    format=ConferenceFormat.VIRTUAL,
):
    """`invitations`: agencies, or (agency, is_key_agency, report_requested) triples."""
    requests = [
        InvitationRequest(agency=item[0], is_key_agency=item[1], report_requested=item[2])
        if isinstance(item, tuple)
        else InvitationRequest(agency=item, is_key_agency=True)
        for item in invitations
    ]
    return conference_schedule(
        actor=actor,
        case=case,
        kind=kind,
        held_on=held_on,
        start_time=start_time,
        format=format,
        chair=chair,
        invitations=requests,
        sibling_cases=list(siblings),
        strategy_discussion_on=strategy_discussion_on,
    )


def held_review(world, *, agencies=None, held_on=None, kind=ConferenceKind.REVIEW):
    """A review conference on `world.case` a week ago, chaired by the children's social care manager.

    Children's social care, the lead health agency and the school are invited as key agencies
    (all of them already see the case, so inviting them changes no one's access).
    """
    return make_conference(
        world.case,
        actor=world.users["csc_manager"],
        chair=world.users["csc_manager"],
        kind=kind,
        held_on=held_on or timezone.localdate() - timedelta(days=7),
        invitations=agencies if agencies is not None else [world.csc, world.health, world.school],
    )


def record(conference, actor, attendance, reports=None, impact="Health needs were not shared with the conference."):
    """Record the whole attendance table. `attendance`: {agency: Attendance}; `reports`: {agency: date received}."""
    reports = reports or {}
    entries = [
        AttendanceEntry(
            invitation_id=invitation.pk,
            attendance=attendance[invitation.agency],
            report_received_on=reports.get(invitation.agency),
            absence_impact="" if attendance[invitation.agency] in (Attendance.IN_PERSON, Attendance.VIRTUAL) else impact,
        )
        for invitation in conference.invitations.select_related("agency")
    ]
    return conference_record_attendance(actor=actor, conference=conference, entries=entries)
