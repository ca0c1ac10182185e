"""Conference pages. Thin: parse, ask the access layer, call a service or selector, render.

A case's conference list and the scheduling page get the case from `access_case`; a conference's
pages get it from `conference_selectors.access_conference` (404 when none of its cases is
visible, 403 when the role may not act; an allowed GET is audited there, once). Scheduling and
recording attendance need the "convene" right (children's social care case workers, or managers
and DSLs elsewhere); decisions are children's social care's (`access.can_record_conference_decision`:
its managers and DSLs, or the chair). The upcoming list is
children's social care's whole list, or another agency's own invitations (where it records that its
report was sent); the attendance report (aggregates only) for strategy members, managers
and DSLs.
"""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from agencies import access
from audit.models import AuditAction
from audit.services import audit_record
from neglect_portal.govuk_forms import add_service_errors

from . import selectors, services
from .forms import (
    AttendanceFormSet,
    AttendanceReportForm,
    ConferenceScheduleForm,
    DecisionFormSet,
    InquorateReasonForm,
    InvitationFormSet,
    form_errors,
    formset_errors,
)
from .models import ConferenceKind

UPCOMING_PER_PAGE = 50


def _posted(request):
    return request.POST if request.method == "POST" else None


@login_required
def case_conferences(request, case_id):
    case = access.access_case(request.user, case_id, action="view", request=request)
    context = {
        "case": case,
        "conferences": selectors.conferences_for_case(user=request.user, case=case),
        "may_schedule": selectors.may_act_on_conferences(request.user, "convene"),
    }
    return render(request, "conferences/case_conferences.html", context)


def _invitation_rows(case, siblings):
    """The agencies offered for invitation, suggested key agencies (the team, children's social care) first."""
    agencies = list(selectors.invitable_agencies(cases=[case, *siblings]))
    suggested = set(selectors.suggested_key_agencies(case=case).values_list("pk", flat=True))
    agencies.sort(key=lambda agency: (agency.pk not in suggested, agency.name))
    initial = [
        {"agency": agency.pk, "invite": agency.pk in suggested, "is_key_agency": agency.pk in suggested, "report_requested": agency.pk in suggested}
        for agency in agencies
    ]
    return {agency.pk: agency for agency in agencies}, initial


@login_required
@require_http_methods(["GET", "POST"])
def conference_schedule(request, case_id):
    case = access.access_case(request.user, case_id, action=selectors.convene_action(request.user), request=request)
    siblings = selectors.sibling_cases_for_scheduling(user=request.user, case=case)
    chairs = selectors.possible_chairs()
    agencies, rows = _invitation_rows(case, list(siblings))
    initial = {"strategy_discussion_on": selectors.latest_strategy_discussion_on(user=request.user, case=case)}
    if chairs.filter(pk=request.user.pk).exists():
        initial["chair"] = request.user.pk
    form = ConferenceScheduleForm(_posted(request), initial=initial, chairs=chairs, sibling_cases=siblings)
    formset = InvitationFormSet(_posted(request), prefix="agencies", initial=rows, agency_names={pk: a.name for pk, a in agencies.items()})
    # Both validated (not short-circuited), so every mistake is shown at once.
    if request.method == "POST" and form.is_valid() & formset.is_valid():
        data = form.cleaned_data
        invitations = [
            services.InvitationRequest(
                agency=agencies[row["agency"]],
                is_key_agency=row["is_key_agency"],
                report_requested=row["report_requested"],
                invitee_name=row["invitee_name"],
                invitee_email=row["invitee_email"],
            )
            for row in formset.invited()
        ]
        try:
            conference = services.conference_schedule(
                actor=request.user,
                case=case,
                kind=data["kind"],
                held_on=data["held_on"],
                start_time=data["start_time"],
                format=data["format"],
                location=data["location"],
                chair=data["chair"],
                strategy_discussion_on=data["strategy_discussion_on"],
                sibling_cases=list(data.get("sibling_cases", ())),
                invitations=invitations,
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{conference} scheduled.")
            return redirect("conferences:conference_detail", conference.pk)
    context = {
        "case": case,
        "form": form,
        "formset": formset,
        "rows": [(row_form, agencies.get(row_form.agency_id)) for row_form in formset.forms],
        "errors": form_errors(form) + formset_errors(formset, lambda row_form: row_form.agency_name),
    }
    return render(request, "conferences/conference_schedule.html", context)


@login_required
def conference_detail(request, conference_id):
    conference = selectors.access_conference(request.user, conference_id, action="view", request=request)
    conference = selectors.conference_for_page(user=request.user, conference=conference)
    taken_place = conference.has_taken_place(timezone.localdate())
    context = {
        "conference": conference,
        "taken_place": taken_place,
        "may_record_attendance": taken_place and selectors.may_act_on_conferences(request.user, "convene"),
        "may_record_decisions": taken_place and conference.decides_on_plans and selectors.can_record_conference_decision(request.user, conference),
    }
    return render(request, "conferences/conference_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def conference_attendance(request, conference_id):
    conference = selectors.access_conference(request.user, conference_id, action="convene", request=request)
    invitations = conference.invitations.select_related("agency", "invitee", "conference").order_by("-is_key_agency", "agency__name")
    formset = AttendanceFormSet(_posted(request), queryset=invitations, prefix="attendance")
    service_errors = []
    if request.method == "POST" and formset.is_valid():
        entries = [
            services.AttendanceEntry(
                invitation_id=row.instance.pk,
                attendance=row.cleaned_data["attendance"],
                report_received_on=row.cleaned_data["report_received_on"],
                absence_impact=row.cleaned_data["absence_impact"],
            )
            for row in formset.forms
        ]
        try:
            services.conference_record_attendance(actor=request.user, conference=conference, entries=entries, request=request)
        except ValidationError as error:
            service_errors = error.messages
        else:
            messages.success(request, "Attendance and reports recorded.")
            return redirect("conferences:conference_detail", conference.pk)
    context = {
        "conference": conference,
        "formset": formset,
        "taken_place": conference.has_taken_place(timezone.localdate()),
        "errors": [("main-content", message) for message in service_errors] + formset_errors(formset, lambda row: row.instance.agency.name),
    }
    return render(request, "conferences/conference_attendance.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def conference_decisions(request, conference_id):
    conference = selectors.access_conference(request.user, conference_id, action="decide", request=request)
    conference = selectors.conference_for_page(user=request.user, conference=conference)
    links = selectors.conference_links_visible_to(request.user).filter(conference=conference).select_related("case__child", "conference")
    formset = DecisionFormSet(
        _posted(request),
        queryset=links.order_by("case__child__date_of_birth", "pk"),
        prefix="decisions",
        form_kwargs={"decision_choices": conference.decision_choices},
    )
    # A conference that was not quorate asks for the chair's reason before its decisions.
    reason_form = InquorateReasonForm(_posted(request), initial={"inquorate_reason": conference.inquorate_reason}) if conference.is_inquorate else None
    service_errors = []
    if request.method == "POST" and conference.decides_on_plans and formset.is_valid() & (reason_form is None or reason_form.is_valid()):
        decisions = [
            services.DecisionEntry(
                case_id=row.instance.case_id,
                decision=row.cleaned_data["decision"],
                cp_category=row.cleaned_data["cp_category"],
                notes=row.cleaned_data["decision_notes"],
            )
            for row in formset.forms
        ]
        try:
            services.conference_record_decisions(
                actor=request.user,
                conference=conference,
                decisions=decisions,
                inquorate_reason=reason_form.cleaned_data["inquorate_reason"] if reason_form is not None else None,
                request=request,
            )
        except ValidationError as error:
            if reason_form is not None and hasattr(error, "error_dict") and "inquorate_reason" in error.error_dict:
                add_service_errors(reason_form, error)
            else:
                service_errors = error.messages
        else:
            messages.success(request, "Decisions recorded.")
            return redirect("conferences:conference_detail", conference.pk)
    context = {
        "conference": conference,
        "formset": formset,
        "reason_form": reason_form,
        "taken_place": conference.has_taken_place(timezone.localdate()),
        "errors": [("main-content", message) for message in service_errors]
        + (form_errors(reason_form) if reason_form is not None else [])
        + formset_errors(formset, lambda row: str(row.instance.case.child)),
    }
    return render(request, "conferences/conference_decisions.html", context)


def _upcoming_page(request, *, errors=()):
    """Children's social care: every conference from today. Other agencies: their own agency's invitations."""
    today = timezone.localdate()
    if not selectors.can_see_upcoming_conferences(request.user):
        invitations = selectors.own_agency_upcoming_invitations(user=request.user, today=today)
        page = Paginator(invitations, UPCOMING_PER_PAGE).get_page(request.GET.get("page"))
        audit_record(
            user=request.user,
            action=AuditAction.VIEW,
            object_type="conference_list",
            detail=f"upcoming invitations of my agency: page {page.number}, {len(page.object_list)} listed",
            request=request,
        )
        context = {"page": page, "own_agency": True, "errors": list(errors)}
        return render(request, "conferences/upcoming.html", context, status=400 if errors else 200)
    mine = request.GET.get("mine") == "1"
    conferences = selectors.upcoming_conferences(user=request.user, today=today, chaired_by=request.user if mine else None)
    page = Paginator(conferences, UPCOMING_PER_PAGE).get_page(request.GET.get("page"))
    audit_record(
        user=request.user,
        action=AuditAction.VIEW,
        object_type="conference_list",
        detail=f"upcoming{' chaired by me' if mine else ''}: page {page.number}, {len(page.object_list)} listed",
        request=request,
    )
    return render(request, "conferences/upcoming.html", {"page": page, "mine": mine, "errors": list(errors)}, status=400 if errors else 200)


@access.role_required(selectors.can_see_upcoming_page)
def upcoming(request):
    return _upcoming_page(request)


@login_required
@require_http_methods(["POST"])
def invitation_report(request, invitation_id):
    """An invited agency records that its report was sent (button on the upcoming page)."""
    invitation = selectors.access_own_invitation(request.user, invitation_id, request=request)
    try:
        services.invitation_report_sent(actor=request.user, invitation=invitation, request=request)
    except ValidationError as error:
        return _upcoming_page(request, errors=[(f"report-{invitation.pk}", message) for message in error.messages])
    invitation.refresh_from_db()
    timing = "on time" if invitation.report_on_time else "late: after the deadline"
    messages.success(request, f"{invitation.agency}'s report recorded as sent today ({timing}).")
    return redirect("conferences:upcoming")


def _quarter_start(today):
    return date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)


@access.role_required(selectors.can_see_attendance_report)
def attendance_report(request):
    today = timezone.localdate()
    form = AttendanceReportForm(request.GET if "start" in request.GET or "end" in request.GET else {"start": _quarter_start(today), "end": today})
    rows = inquorate = None
    if form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        rows = selectors.attendance_by_agency(start=start, end=end)
        inquorate = selectors.inquorate_decisions(start=start, end=end)
        audit_record(user=request.user, action=AuditAction.VIEW, object_type="conference_attendance_report", detail=f"{start} to {end}", request=request)
    context = {
        "form": form,
        "rows": rows,
        "inquorate": inquorate,
        "report_days_initial": services.report_days(ConferenceKind.INITIAL),
        "report_days_review": services.report_days(ConferenceKind.REVIEW),
    }
    return render(request, "conferences/attendance_report.html", context)
