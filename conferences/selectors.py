"""Reads for conferences: who may see or act on one, the pages' data, drift flags and attendance figures.

A conference is visible through its children: a user sees it when they may see at least one of
the cases it covers, and then only those children (`visible_links`). Everything here starts from
`agencies.access` (`cases_visible_to`, `records_visible_to`), so it can narrow what a user sees
but never widen it.

Who may see or act on a conference is decided in `agencies/access.py` (the one door); the names are
re-exported below so this app's views and API read them from one place.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q

from agencies import access
from agencies.models import Agency, AgencyKind, Role
from cases.models import Case, CaseStatus, TeamMembership

from .models import (
    PRESENT,
    AbsenceFeedback,
    Conference,
    ConferenceChild,
    ConferenceDecision,
    ConferenceKind,
    Invitation,
)

# --- Access: decided in agencies/access.py, re-exported for this module's callers ---------------

conference_links_visible_to = access.conference_links_visible_to
conferences_visible_to = access.conferences_visible_to
invitations_visible_to = access.invitations_visible_to
convene_action = access.convene_action
may_act_on_conferences = access.may_act_on_conferences
can_record_conference_decision = access.can_record_conference_decision
can_see_upcoming_conferences = access.can_see_upcoming_conferences
can_see_attendance_report = access.can_see_attendance_report
access_conference = access.access_conference
access_invitation = access.access_invitation
can_see_upcoming_page = access.can_see_upcoming_page
can_see_own_agency_invitations = access.can_see_own_agency_invitations
access_own_invitation = access.access_own_invitation


# --- Pages ---------------------------------------------------------------------------------------


def _visible_links(user):
    return Prefetch(
        "links",
        queryset=conference_links_visible_to(user).select_related("case__child").order_by("case__child__date_of_birth", "pk"),
        to_attr="visible_links",
    )


def _invitations():
    return Prefetch("invitations", queryset=Invitation.objects.select_related("agency", "invitee").order_by("-is_key_agency", "agency__name"))


def conference_for_page(*, user, conference):
    """A conference the view got from `access_conference`, with its visible children and invitations.

    Read again through `conferences_visible_to`, so a hidden one raises Conference.DoesNotExist.
    """
    feedback = Prefetch("absence_feedback", queryset=AbsenceFeedback.objects.select_related("agency").order_by("agency__name"))
    return (
        conferences_visible_to(user)
        .select_related("chair", "chair_agency")
        .prefetch_related(_visible_links(user), _invitations(), feedback)
        .get(pk=conference.pk)
    )


def conference_list_for(*, user, case_id=None):
    """Conferences the user may see, newest first, with visible children and invitations (the API list).

    `case_id` narrows to conferences covering that case *as the user sees it*: a conference seen
    through a sibling's case is not listed under a case the user cannot see.
    """
    conferences = conferences_visible_to(user)
    if case_id is not None:
        conferences = conferences.filter(Exists(conference_links_visible_to(user).filter(conference_id=OuterRef("pk"), case_id=case_id)))
    return conferences.select_related("chair", "chair_agency").prefetch_related(_visible_links(user), _invitations()).order_by("-held_on", "-start_time", "-pk")


def conferences_for_case(*, user, case):
    """The conferences covering one case the user may see, newest first, with this child's link."""
    this_case = Prefetch("links", queryset=ConferenceChild.objects.filter(case=case), to_attr="case_links")
    return list(
        conferences_visible_to(user)
        .filter(links__case=case)
        .select_related("chair")
        .prefetch_related(this_case, _invitations())
        .order_by("-held_on", "-start_time", "-pk")
    )


def upcoming_conferences(*, user, today, chaired_by=None):
    """Conferences from today on, soonest first, with the children the user may see.

    Starts from `conferences_visible_to`; the page is only offered to children's social care
    (`can_see_upcoming_conferences`), who see every case.
    """
    conferences = conferences_visible_to(user).filter(held_on__gte=today)
    if chaired_by is not None:
        conferences = conferences.filter(chair=chaired_by)
    return conferences.select_related("chair").prefetch_related(_visible_links(user)).order_by("held_on", "start_time", "pk")


def own_agency_upcoming_invitations(*, user, today):
    """The user's own agency's invitations to conferences from today on, soonest first.

    Starts from `access.own_agency_invitations_visible_to`: only the agency's invitations, and only to
    conferences the user can see through a case; children are the ones the user may see.
    """
    children = Prefetch(
        "conference__links",
        queryset=conference_links_visible_to(user).select_related("case__child").order_by("case__child__date_of_birth", "pk"),
        to_attr="visible_links",
    )
    return (
        access.own_agency_invitations_visible_to(user)
        .filter(conference__held_on__gte=today)
        .select_related("conference", "conference__chair", "agency", "invitee")
        .prefetch_related(children)
        .order_by("conference__held_on", "conference__start_time", "pk")
    )


def sibling_cases_for_scheduling(*, user, case):
    """Open cases of the child's brothers and sisters that the user may see: one conference can cover them."""
    if case.child.family_id is None:
        return Case.objects.none()
    return (
        access.cases_visible_to(user)
        .filter(child__family_id=case.child.family_id, status=CaseStatus.OPEN)
        .exclude(pk=case.pk)
        .select_related("child")
        .order_by("child__date_of_birth", "pk")
    )


def latest_strategy_discussion_on(*, user, case):
    """The date of the case's latest strategy discussion the user may see, to suggest for an initial conference."""
    return (
        conferences_visible_to(user)
        .filter(links__case=case, kind=ConferenceKind.STRATEGY_DISCUSSION)
        .order_by("-held_on")
        .values_list("held_on", flat=True)
        .first()
    )


def invitable_agencies(*, cases):
    """Agencies offered on the scheduling page: every active agency except schools, plus the schools
    in the team around these children or attended by them (a partnership has hundreds of schools)."""
    involved_schools = Q(team_memberships__case__in=cases) | Q(pupils__cases__in=cases)
    return Agency.objects.filter(is_active=True).filter(~Q(kind=AgencyKind.SCHOOL) | involved_schools).distinct().order_by("name")


def suggested_key_agencies(*, case):
    """Key agencies suggested for a new conference: the team around the child and children's social care."""
    in_team = TeamMembership.objects.filter(case=case, agency_id=OuterRef("pk"))
    return Agency.objects.filter(is_active=True).filter(Q(Exists(in_team)) | Q(kind=AgencyKind.CHILDRENS_SOCIAL_CARE))


def possible_chairs():
    """Active case workers of children's social care: conferences are chaired by the local authority."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            membership__agency__is_active=True,
            membership__agency__kind=AgencyKind.CHILDRENS_SOCIAL_CARE,
            membership__role__in=access.CASE_WORKING_ROLES,
        )
        .select_related("membership__agency")
        .order_by("last_name", "first_name", "username")
    )


def safeguarding_leads(*, agency):
    """Active managers and designated safeguarding leads of an agency: they hear of its absences."""
    return (
        get_user_model()
        .objects.filter(is_active=True, membership__agency=agency, membership__agency__is_active=True, membership__role__in=(Role.MANAGER, Role.DSL))
        .order_by("pk")
    )


# --- Drift flags ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConferenceFlag:
    """A drift flag from conference records: what, how serious, why and since when."""

    code: str
    level: str  # "red" or "amber"
    reason: str
    since: date
    conference_id: int


PLAN_ENDED_KEY_AGENCY_ABSENT = "plan_ended_key_agency_absent"
AGENCY_ABSENT_IN_A_ROW = "agency_absent_in_a_row"
INITIAL_OUTSIDE_TIMESCALE = "initial_outside_timescale"
REPORTS_NOT_ON_TIME = "reports_not_on_time"


def _absences_in_a_row():
    return getattr(settings, "CONFERENCE_ABSENCES_IN_A_ROW", 2)


def _day(value):
    return f"{value:%-d %b %Y}"


def conference_flags_for_cases(*, case_ids, today) -> dict[int, list[ConferenceFlag]]:
    """Drift flags from conferences, for many cases in three queries whatever their number.

    `case_ids` must come from the access layer (`cases_visible_to`). Flags, per case:

    * red: the child's plan was ended at a conference a key agency did not take part in;
    * amber: an agency was absent from the child's last CONFERENCE_ABSENCES_IN_A_ROW conferences
      it was invited to (a pattern of absence, not one missed meeting);
    * amber: the child's latest initial conference was held, or is booked, outside timescale;
    * amber: at the child's latest conference whose report deadline has passed, requested
      reports came late or not at all.

    Conferences are looked for across all of the child's cases (the child's history), as the
    repeat-plan flag does. Reasons name agencies and dates, never the child.
    """
    case_ids = list(case_ids)
    child_of = dict(Case.objects.filter(pk__in=case_ids).values_list("pk", "child_id"))
    links = list(
        ConferenceChild.objects.filter(case__child_id__in=set(child_of.values()))
        .select_related("conference", "case")
        .order_by("conference__held_on", "conference__start_time", "conference_id")
    )
    invitations = defaultdict(list)
    for invitation in Invitation.objects.filter(conference_id__in={link.conference_id for link in links}).select_related("agency"):
        invitations[invitation.conference_id].append(invitation)
    links_of_child = defaultdict(list)
    for link in links:
        links_of_child[link.case.child_id].append(link)
    flags_of_child = {child_id: _flags_for_child(child_links, invitations, today) for child_id, child_links in links_of_child.items()}
    return {case_id: flags_of_child.get(child_id, []) for case_id, child_id in child_of.items()}


def _flags_for_child(links, invitations, today):
    conferences = []
    for link in links:  # in date order; one child is on one conference at most once
        if link.conference not in conferences:
            conferences.append(link.conference)
    flags = []
    flags += _plan_ended_with_key_agency_absent(links, invitations)
    flags += _agencies_absent_in_a_row(conferences, invitations)
    flags += _initial_outside_timescale(conferences)
    flags += _reports_not_on_time(conferences, invitations, today)
    return flags


def _plan_ended_with_key_agency_absent(links, invitations):
    flags = []
    for link in links:
        if link.decision != ConferenceDecision.PLAN_ENDED:
            continue
        absent = [i.agency.name for i in invitations[link.conference_id] if i.is_key_agency and i.is_absent]
        if absent:
            conference = link.conference
            reason = f"Plan ended at the {conference.get_kind_display().lower()} on {_day(conference.held_on)} without key agency {', '.join(absent)}"
            flags.append(ConferenceFlag(PLAN_ENDED_KEY_AGENCY_ABSENT, "red", reason, conference.held_on, conference.pk))
    return flags


def _agencies_absent_in_a_row(conferences, invitations):
    """Agencies whose latest recorded invitations for the child are all absences, enough of them in a row."""
    needed = _absences_in_a_row()
    history = defaultdict(list)  # agency -> [(conference, invitation)] in date order, attendance recorded
    for conference in conferences:
        for invitation in invitations[conference.pk]:
            if invitation.attendance:
                history[invitation.agency].append((conference, invitation))
    flags = []
    for agency, attended in history.items():
        run = []
        for conference, invitation in reversed(attended):
            if not invitation.is_absent:
                break
            run.insert(0, conference)
        if len(run) >= needed:
            dates = ", ".join(_day(conference.held_on) for conference in run)
            reason = f"{agency.name} absent from the last {len(run)} conferences ({dates})"
            flags.append(ConferenceFlag(AGENCY_ABSENT_IN_A_ROW, "amber", reason, run[0].held_on, run[-1].pk))
    return flags


def _initial_outside_timescale(conferences):
    initials = [conference for conference in conferences if conference.kind == ConferenceKind.INITIAL]
    if not initials or not initials[-1].is_outside_timescale:
        return []
    conference = initials[-1]
    reason = (
        f"Initial conference on {_day(conference.held_on)} is outside timescale: the strategy discussion was on "
        f"{_day(conference.strategy_discussion_on)}, so it was due by {_day(conference.initial_due_on)}"
    )
    return [ConferenceFlag(INITIAL_OUTSIDE_TIMESCALE, "amber", reason, conference.initial_due_on + timedelta(days=1), conference.pk)]


def _reports_not_on_time(conferences, invitations, today):
    past_deadline = [conference for conference in conferences if conference.report_due_on < today]
    if not past_deadline:
        return []
    conference = past_deadline[-1]
    late = [
        i.agency.name
        for i in invitations[conference.pk]
        if i.report_requested and (i.report_received_on is None or i.report_received_on > conference.report_due_on)
    ]
    if not late:
        return []
    reason = f"Reports for the {conference.get_kind_display().lower()} on {_day(conference.held_on)} not received on time from {', '.join(late)}"
    return [ConferenceFlag(REPORTS_NOT_ON_TIME, "amber", reason, conference.report_due_on + timedelta(days=1), conference.pk)]


# --- Attendance per agency (quarterly dashboard) -------------------------------------------------


@dataclass(frozen=True)
class AgencyAttendance:
    agency_id: int
    agency_name: str
    invitations: int
    attended: int
    reports_requested: int
    reports_on_time: int
    reports_late: int = 0  # arrived after the deadline (requested reports not yet received are neither)

    @property
    def attended_percent(self):
        return _percent(self.attended, self.invitations)

    @property
    def reports_on_time_percent(self):
        return _percent(self.reports_on_time, self.reports_requested)


def _percent(part, whole):
    """A percentage to one decimal place, or None when there is nothing to divide by."""
    return round(100 * part / whole, 1) if whole else None


def attendance_by_agency(*, start, end):
    """Each agency's attendance at conferences held from `start` to `end` (inclusive), by SQL aggregates.

    Counts invitations whose attendance was recorded: how many, how many took part in person or
    virtually, how many reports were asked for and how many came by the deadline. Aggregates only:
    no child, case or conference is named, so strategy members may read it.
    """
    rows = (
        Invitation.objects.filter(conference__held_on__range=(start, end))
        .exclude(attendance="")
        .values("agency_id", "agency__name")
        .annotate(
            invited=Count("pk"),
            attended=Count("pk", filter=Q(attendance__in=PRESENT)),
            requested=Count("pk", filter=Q(report_requested=True)),
            on_time=Count("pk", filter=Q(report_requested=True, report_received_on__lte=F("conference__report_due_on"))),
            late=Count("pk", filter=Q(report_requested=True, report_received_on__gt=F("conference__report_due_on"))),
        )
        .order_by("agency__name")
    )
    return [
        AgencyAttendance(
            agency_id=row["agency_id"],
            agency_name=row["agency__name"],
            invitations=row["invited"],
            attended=row["attended"],
            reports_requested=row["requested"],
            reports_on_time=row["on_time"],
            reports_late=row["late"],
        )
        for row in rows
    ]


@dataclass(frozen=True)
class InquorateDecision:
    """A conference whose decisions were made although it was not quorate, and the chair's reason."""

    reference: str
    held_on: date
    kind: str


def inquorate_decisions(*, start, end):
    """Conferences held from `start` to `end` whose chair recorded decisions although not quorate.

    Named by reference, date and kind, never by child: the attendance report is read by strategy
    members. The chair's reason is free text that may name a child, so it stays on the conference
    page (read through the access layer) and is not repeated here.
    """
    conferences = Conference.objects.filter(held_on__range=(start, end)).exclude(inquorate_reason="").order_by("held_on", "start_time", "pk")
    return [InquorateDecision(reference=c.reference, held_on=c.held_on, kind=c.get_kind_display()) for c in conferences]


# --- For the chronology ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ConferenceEvent:
    """What a chronology entry for one child needs from a conference (see conference_services._conference_recorded).

    `key` identifies the entry for this conference and case, so that recording attendance or a
    decision again replaces the entry instead of adding one.
    """

    key: str
    conference_id: int
    case_id: int
    child_id: int
    occurred_on: date
    kind: str  # always "conference"
    conference_kind: str
    agency_id: int
    summary: str


def conference_events(*, conference):
    """One chronology event per child covered, in two queries. Summaries name agencies, not children."""
    invitations = list(conference.invitations.select_related("agency").order_by("agency__name"))
    present = ", ".join(i.agency.name for i in invitations if i.is_present) or "none"
    absent = "; ".join(f"{i.agency.name} ({i.get_attendance_display().lower()})" for i in invitations if i.is_absent)
    heading = f"{conference.get_kind_display()} ({conference.get_format_display().lower()})."
    agencies = f" Took part: {present}." + (f" Absent: {absent}." if absent else "") if conference.attendance_recorded_at else ""
    events = []
    for link in conference.links.select_related("case").order_by("pk"):
        decision = ""
        if link.decision:
            category = f", category {link.get_cp_category_display().lower()}" if link.cp_category else ""
            decision = f" Decision: {link.get_decision_display().lower()}{category}."
        events.append(
            ConferenceEvent(
                key=f"conference:{conference.pk}:case:{link.case_id}",
                conference_id=conference.pk,
                case_id=link.case_id,
                child_id=link.case.child_id,
                occurred_on=conference.held_on,
                kind="conference",
                conference_kind=conference.kind,
                agency_id=conference.chair_agency_id,
                summary=f"{heading}{decision}{agencies}",
            )
        )
    return events
