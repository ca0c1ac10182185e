"""Pages of the Quarterly Neglect Dashboard: strategy members and partnership admins (aggregates only).

A quarter is named in the URL (`2025-26-Q3`); a name that is not a quarter, or a quarter that has
not started, answers 404 with the reason. Every CSV and PDF download writes one EXPORT audit row.
"""
import csv
from functools import wraps

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from agencies import access
from audit.models import AuditAction
from audit.services import audit_record

from .exports import measure_csv_rows, quarter_pdf
from .forms import PdfForm
from .pdf import report_context
from .quarters import BadQuarter, last_complete_quarter, reported_quarter
from .selectors import measures_history, quarter_measures, snapshot_for
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
        pdf_form=PdfForm(),
    )
    return render(request, "dashboard/quarter.html", context)


class _Echo:
    def write(self, value):
        return value


@access.role_required(access.can_see_dashboard)
@with_quarter()
def measures_csv(request, quarter):
    writer = csv.writer(_Echo())
    body = "".join(writer.writerow(row) for row in measure_csv_rows(quarter=quarter, values=quarter_measures(quarter=quarter)))
    _audit_export(request, quarter, "measures CSV")
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="neglect-dashboard-{quarter.name}.csv"'
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
