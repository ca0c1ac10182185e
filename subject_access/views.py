"""Pages for subject access requests: partnership admins only (agencies.access.can_run_subject_access).

Every page read names the child in one VIEW audit row; every download writes one EXPORT row.
"""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agencies import access
from audit.models import AuditAction
from audit.services import audit_record

from .forms import SubjectAccessRequestForm
from .models import RequestStatus, SubjectAccessRequest
from .services import subject_access_download_audit, subject_access_request_create, subject_access_request_requeue


@access.role_required(access.can_run_subject_access)
@require_http_methods(["GET", "POST"])
def request_list(request):
    """The list of requests with their deadlines, and the form to record a new one."""
    form = SubjectAccessRequestForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        sar = subject_access_request_create(
            actor=request.user,
            subject_kind=data["subject_kind"],
            child=data.get("child"),
            adult=data.get("adult"),
            requester_name=data["requester_name"],
            requester_relationship=data["requester_relationship"],
            requester_contact=data["requester_contact"],
            received_on=data["received_on"],
            identity_checked=data["identity_checked"],
            request=request,
        )
        messages.success(request, f"Request {sar.pk} recorded: the export is being prepared. Statutory deadline {sar.due_on:%d %B %Y}.")
        return redirect("subject_access:detail", request_id=sar.pk)
    if request.method == "GET":
        audit_record(user=request.user, action=AuditAction.VIEW, object_type="subject_access_request_list", request=request)
    requests = SubjectAccessRequest.objects.only(
        "pk", "subject_kind", "received_on", "due_on", "status", "requester_name", "progress", "redaction_count", "item_count"
    )
    return render(request, "subject_access/list.html", {"form": form, "requests": requests}, status=400 if form.errors else 200)


@access.role_required(access.can_run_subject_access)
@require_GET
def request_detail(request, request_id):
    sar = access.access_subject_access_request(request.user, request_id, request=request)
    return render(request, "subject_access/detail.html", {"sar": sar, "refresh": not sar.is_finished})


def _download(request, request_id, *, kind):
    sar = access.access_subject_access_request(request.user, request_id, export=True, request=request)
    if sar.status != RequestStatus.DONE:
        access.refusal_record(
            request.user, what="export not ready", object_type="subject_access_request", object_id=sar.pk, child_id=sar.child_id_for_audit, request=request
        )
        return render(request, "subject_access/detail.html", {"sar": sar, "refresh": not sar.is_finished, "not_ready": True}, status=409)
    subject_access_download_audit(actor=request.user, sar=sar, kind=kind, request=request)
    body, content_type = (bytes(sar.export_pdf), "application/pdf") if kind == "pdf" else (bytes(sar.export_json), "application/json")
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="subject-access-{sar.pk}.{kind}"'
    return response


@access.role_required(access.can_run_subject_access)
@require_GET
def download_pdf(request, request_id):
    return _download(request, request_id, kind="pdf")


@access.role_required(access.can_run_subject_access)
@require_GET
def download_json(request, request_id):
    return _download(request, request_id, kind="json")


@access.role_required(access.can_run_subject_access)
@require_POST
def requeue(request, request_id):
    sar = access.access_subject_access_request(request.user, request_id, export=True, request=request)
    if sar.status != RequestStatus.FAILED:
        messages.error(request, "Only a failed export can be run again.")
        access.refusal_record(
            request.user,
            what="requeue refused: not failed",
            object_type="subject_access_request",
            object_id=sar.pk,
            child_id=sar.child_id_for_audit,
            request=request,
        )
        return redirect("subject_access:detail", request_id=sar.pk)
    subject_access_request_requeue(actor=request.user, sar=sar, request=request)
    messages.success(request, "The export is queued again.")
    return redirect("subject_access:detail", request_id=sar.pk)
