"""Pages of the Quarterly Neglect Dashboard: strategy members and partnership admins (aggregates only).

A quarter is named in the URL (`2025-26-Q3`); a name that is not a quarter, or a quarter that has
not started, answers 404 with the reason. Every CSV and PDF download writes one EXPORT audit row.
"""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from agencies import access
from audit.models import AuditAction
from audit.services import audit_record
from neglect_portal.concurrency import EditConflict
from neglect_portal.csv_export import csv_text
from neglect_portal.govuk_forms import add_service_errors, form_after_conflict
from neglect_portal.quarters import BadQuarter, last_complete_quarter, reported_quarter

from . import services
from .exports import quarter_csv_rows, quarter_pdf
from .forms import PdfForm, ReportForm, SetupForm, SignOffForm, TargetForm
from .measures import THEMES
from .pdf import report_context
from .selectors import (
    catalogue,
    current_targets,
    dashboard_setup,
    measure_sets,
    measure_sources,
    measures,
    measures_history,
    quarter_measures,
    quarter_report,
    shown_keys,
    snapshot_for,
    target_history,
)
from .services import snapshot_request


def with_quarter(*, ended=False):
    """Parse the URL's quarter for the view, or answer 404 with the reason in words."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, quarter, *args, **kwargs):
            try:
                parsed = reported_quarter(quarter, today=timezone.localdate(), ended=ended)
            except BadQuarter as error:
                return render(request, "dashboard/not_found.html", {"reason": str(error)}, status=404)
            return view(request, parsed, *args, **kwargs)

        return wrapped

    return decorator


def _audit_export(request, quarter, detail):
    audit_record(user=request.user, action=AuditAction.EXPORT, object_type="dashboard", object_id=quarter.name, detail=detail, request=request)


@access.role_required(access.can_see_dashboard)
def index(request):
    return redirect("dashboard:quarter", quarter=last_complete_quarter(timezone.localdate()).name)


@access.role_required(access.can_see_dashboard)
@with_quarter()
def quarter_dashboard(request, quarter):
    today = timezone.localdate()
    values = quarter_measures(quarter=quarter)
    context = report_context(quarter=quarter, values=values, history=measures_history(quarter=quarter, current=values))
    context.update(
        snapshot=snapshot_for(quarter=quarter),
        in_progress=quarter.end >= today,
        previous=quarter.previous(),
        next=quarter.next() if quarter.next().start <= today else None,
        can_recompute=access.can_manage_partnership(request.user) and quarter.end < today,
        can_steer=access.can_steer_dashboard(request.user),
        pdf_form=PdfForm(),
    )
    return render(request, "dashboard/quarter.html", context)


@access.role_required(access.can_see_dashboard)
@with_quarter()
def measures_csv(request, quarter):
    """Every figure of the quarter with its breakdowns, change and trend; `?publication=1` the publication's (dashboard/disclosure.py)."""
    for_publication = request.GET.get("publication") in ("1", "true", "on")
    body = csv_text(quarter_csv_rows(quarter=quarter, for_publication=for_publication))
    _audit_export(request, quarter, "measures CSV for publication" if for_publication else "measures CSV")
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    suffix = "-for-publication" if for_publication else ""
    response["Content-Disposition"] = f'attachment; filename="neglect-dashboard-{quarter.name}{suffix}.csv"'
    return response


@access.role_required(access.can_see_dashboard)
@with_quarter()
def report_pdf(request, quarter):
    form = PdfForm(request.GET)
    for_publication = form.is_valid() and form.cleaned_data["for_publication"]
    pdf = quarter_pdf(quarter=quarter, for_publication=for_publication)
    _audit_export(request, quarter, "PDF for publication" if for_publication else "PDF (official – sensitive)")
    response = HttpResponse(pdf, content_type="application/pdf")
    suffix = "-for-publication" if for_publication else ""
    response["Content-Disposition"] = f'attachment; filename="neglect-dashboard-{quarter.name}{suffix}.pdf"'
    return response


@access.role_required(access.can_manage_partnership)
@require_http_methods(["POST"])
@with_quarter(ended=True)
def snapshot_queue(request, quarter):
    snapshot_request(quarter=quarter, requested_by=request.user, request=request)
    messages.success(request, f"The {quarter.name} figures and PDF will be recomputed. This page shows when they are ready.")
    return redirect("dashboard:quarter", quarter=quarter.name)


# --- The strategy group: measures shown, targets, narrative and sign-off --------------------------------


@access.role_required(access.can_steer_dashboard)
@require_http_methods(["GET", "POST"])
def setup(request):
    """Choose the measure set, add measures from the catalogue, name the board the report goes to."""
    current = dashboard_setup()
    sets = list(measure_sets())
    initial = {
        "version": current.version if current else 1,
        "board": current.board if current else "",
        "measure_set": current.measure_set.key if current and current.measure_set else "",
        "added_measures": current.added_measures if current else [],
    }
    form = SetupForm(request.POST or None, initial=initial, sets=sets, catalogue=catalogue())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.setup_save(
                actor=request.user,
                version=data["version"],
                measure_set_key=data["measure_set"],
                added_measures=data["added_measures"],
                board=data["board"],
                request=request,
            )
        except EditConflict as conflict:
            form = form_after_conflict(SetupForm, request.POST, conflict, sets=sets, catalogue=catalogue())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The dashboard's measures are saved.")
            return redirect("dashboard:setup")
    return render(request, "dashboard/setup.html", {"form": form, "sets": sets, "shown": shown_keys(current), "catalogue": catalogue()})


@access.role_required(access.can_steer_dashboard)
def targets(request):
    """Every measure shown, its target (who set it, when, why) or none; volumes take no target."""
    return render(request, "dashboard/targets.html", {"measures": measures(), "sources": measure_sources()})


def _catalogue_measure(measure_key):
    measure = {m.key: m for m in catalogue()}.get(measure_key)
    if measure is None:
        raise Http404("No such measure in the catalogue.")
    return measure


@access.role_required(access.can_steer_dashboard)
@require_http_methods(["GET", "POST"])
def target_edit(request, measure_key):
    measure = _catalogue_measure(measure_key)
    target = current_targets().get(measure_key)
    form = TargetForm(request.POST or None, initial={"value": target.value if target else None})
    if request.method == "POST" and form.is_valid():
        try:
            services.target_set(
                actor=request.user, measure_key=measure_key, value=form.cleaned_data["value"], reason=form.cleaned_data["reason"], request=request
            )
        except ValidationError as error:
            add_service_errors(form, error, field_for=lambda key: "value" if key == "measure" else key)
        else:
            messages.success(request, f"Target for “{measure.title}” {'saved' if form.cleaned_data['value'] is not None else 'removed'}.")
            return redirect("dashboard:targets")
    return render(
        request,
        "dashboard/target_form.html",
        {
            "form": form,
            "measure": measure,
            "target": target,
            "history": target_history(measure_key=measure_key),
        },
    )


def _report_page(request, quarter, *, report_form=None, sign_off_form=None, status=200):
    report = quarter_report(quarter=quarter)
    version = report.version if report else 1
    themes = [(key, title) for key, title in THEMES.items() if any(m.theme == key for m in measures())]
    if report_form is None:
        initial = {"version": version, "escalations": report.escalations if report else ""}
        initial.update({f"narrative_{key}": (report.narratives if report else {}).get(key, "") for key, _ in themes})
        report_form = ReportForm(initial=initial, themes=themes)
    if sign_off_form is None:
        sign_off_form = SignOffForm(initial={"version": version, "name": request.user.get_full_name() or request.user.get_username()})
    today = timezone.localdate()
    return render(
        request,
        "dashboard/report.html",
        {
            "quarter": quarter,
            "report": report,
            "form": report_form,
            "sign_off_form": sign_off_form,
            "can_sign_off": access.can_sign_off_dashboard(request.user) and quarter.end < today,
            "ended": quarter.end < today,
        },
        status=status,
    )


@access.role_required(access.can_steer_dashboard)
@require_http_methods(["GET", "POST"])
@with_quarter()
def report_edit(request, quarter):
    """The quarter's narrative per theme and the issues to escalate (and, once it has ended, its sign-off)."""
    if request.method == "GET":
        return _report_page(request, quarter)
    themes = [(key, title) for key, title in THEMES.items() if any(m.theme == key for m in measures())]
    form = ReportForm(request.POST, themes=themes)
    if form.is_valid():
        try:
            services.report_save(
                actor=request.user,
                quarter=quarter.name,
                version=form.cleaned_data["version"],
                narratives=form.narratives(),
                escalations=form.cleaned_data["escalations"],
                request=request,
            )
        except EditConflict as conflict:
            form = form_after_conflict(ReportForm, request.POST, conflict, themes=themes)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"The narrative for {quarter.name} is saved.")
            return redirect("dashboard:report", quarter=quarter.name)
    return _report_page(request, quarter, report_form=form)


@access.role_required(access.can_sign_off_dashboard)
@require_http_methods(["POST"])
@with_quarter(ended=True)
def sign_off(request, quarter):
    """Sign the quarter off in the signer's name: the words lock and the signed report is computed in the background."""
    form = SignOffForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.quarter_sign_off(
                actor=request.user, quarter=quarter.name, version=data["version"], name=data["name"], position=data["position"], request=request
            )
        except EditConflict as conflict:
            form = form_after_conflict(SignOffForm, request.POST, conflict)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{quarter.name} is signed off. The signed report is being made: the dashboard shows when it is ready.")
            return redirect("dashboard:report", quarter=quarter.name)
    return _report_page(request, quarter, sign_off_form=form)
