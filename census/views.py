"""Statutory returns for partnership admins (agencies.access.can_exchange_statutory_returns): download
the CIN census return and Annex A lists, each download audited once; upload a return, see its dry
run, confirm to import it."""

import hashlib

from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agencies import access
from audit.models import AuditAction
from audit.services import audit_record

from .annex_a import annex_a_csv
from .export import cin_census_export
from .forms import AnnexAForm, CensusExportForm, CensusUploadForm
from .importing import KIND_LABELS, KINDS, CensusImportError, import_cin_census
from .models import CensusUpload


@access.role_required(access.can_exchange_statutory_returns)
@require_GET
def census_home(request):
    return render(request, "census/home.html", {"census_form": CensusExportForm(), "annex_form": AnnexAForm()})


@access.role_required(access.can_exchange_statutory_returns)
@require_GET
def cin_census_download(request):
    """The return as XML, or (with ?check=1) the page listing its data-quality problems."""
    form = CensusExportForm(request.GET)
    if not form.is_valid():
        return render(request, "census/home.html", {"census_form": form, "annex_form": AnnexAForm()}, status=400)
    year, la_code = form.cleaned_data["year"], form.cleaned_data["la_code"]
    export = cin_census_export(year=year, la_code=la_code)
    if request.GET.get("check"):
        # The check page names children (portal numbers) and what is missing from their records: a read.
        audit_record(
            user=request.user,
            action=AuditAction.VIEW,
            object_type="cin_census_check",
            detail=f"year {year}: {export.children} children, {len(export.problems)} data-quality problems",
            request=request,
        )
        return render(request, "census/home.html", {"census_form": form, "annex_form": AnnexAForm(), "export": export})
    audit_record(
        user=request.user,
        action=AuditAction.EXPORT,
        object_type="cin_census",
        detail=f"year {year}, LA {la_code}: {export.children} children, {export.episodes} episodes, {len(export.problems)} data-quality problems",
        request=request,
    )
    response = HttpResponse(export.xml, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="cin-census-{la_code}-{year}.xml"'
    return response


@access.role_required(access.can_exchange_statutory_returns)
@require_GET
def annex_a_download(request):
    form = AnnexAForm(request.GET)
    if not form.is_valid():
        return render(request, "census/home.html", {"census_form": CensusExportForm(), "annex_form": form}, status=400)
    number, as_of = form.cleaned_data["list_number"], form.cleaned_data["as_of"]
    content = annex_a_csv(number, as_of=as_of)
    audit_record(
        user=request.user, action=AuditAction.EXPORT, object_type="annex_a", detail=f"list {number} up to {as_of.isoformat()}, neglect cohort", request=request
    )
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="annex-a-list-{number}-{as_of:%Y-%m-%d}.csv"'
    return response


# --- Import: upload, dry run, confirm ---------------------------------------------------------------


@access.role_required(access.can_exchange_statutory_returns)
@require_http_methods(["GET", "POST"])
def import_upload(request):
    """Upload a return: it is dry-run at once and kept (in the database) for its uploader to confirm."""
    form = CensusUploadForm(request.POST, request.FILES) if request.method == "POST" else CensusUploadForm()
    schema_errors = []
    if request.method == "POST" and form.is_valid():
        content = form.cleaned_data["file"]
        try:
            result = import_cin_census(content, actor=request.user, dry_run=True, audit_user=request.user, request=request)
        except CensusImportError as error:
            form.add_error("file", str(error))
        else:
            if not result.schema_errors:
                upload = CensusUpload.objects.create(
                    uploaded_by=request.user,
                    filename=request.FILES["file"].name[:200],
                    content=content,
                    sha256=hashlib.sha256(content).hexdigest(),
                    dry_run=result.as_dict(),
                )
                return redirect("census:import_review", upload_id=upload.pk)
            schema_errors = result.schema_errors
            form.add_error("file", f"The file does not match the DfE schema ({len(schema_errors)} errors, listed below): nothing can be imported")
    status = 400 if form.errors else 200
    return render(request, "census/import_upload.html", {"form": form, "schema_errors": schema_errors}, status=status)


def _report_rows(report):
    return [(KIND_LABELS[kind], report["counts"][kind]) for kind in KINDS]


def _rejections(report):
    """Rejections with their path split at each "/" so the page can wrap long paths there."""
    return [{**r, "parts": [part for part in r["path"].split("/") if part]} for r in report.get("rejections", [])]


@access.role_required(access.can_exchange_statutory_returns)
@require_GET
def import_review(request, upload_id):
    upload = access.access_census_upload(request.user, upload_id, request=request)
    report = upload.applied or upload.dry_run
    audit_record(
        user=request.user,
        action=AuditAction.VIEW,
        object_type="cin_census_upload",
        object_id=upload.pk,
        detail="applied result" if upload.applied_at else "dry run result",
        request=request,
    )
    return render(request, "census/import_review.html", {"upload": upload, "report": report, "rows": _report_rows(report), "rejections": _rejections(report)})


@access.role_required(access.can_exchange_statutory_returns)
@require_POST
def import_apply(request, upload_id):
    """Apply the dry-run file, once; the stored digest proves it is the file that was checked."""
    upload = access.access_census_upload(request.user, upload_id, request=request)  # outside the transaction, so a denial's audit row stays
    try:
        with transaction.atomic():
            upload = access.access_census_upload(request.user, upload_id, for_update=True, request=request)
            if upload.applied_at is None:
                content = bytes(upload.content)
                if hashlib.sha256(content).hexdigest() != upload.sha256:
                    raise CensusImportError("The stored file does not match the file that was checked: upload it again")
                result = import_cin_census(content, actor=request.user, dry_run=False, audit_user=request.user, request=request)
                upload.applied, upload.applied_at, upload.content = result.as_dict(), timezone.now(), b""
                upload.save(update_fields=["applied", "applied_at", "content"])
    except CensusImportError as error:
        report = upload.dry_run
        return render(
            request,
            "census/import_review.html",
            {"upload": upload, "report": report, "rows": _report_rows(report), "rejections": _rejections(report), "error": str(error)},
            status=409,
        )
    return redirect("census:import_review", upload_id=upload.pk)
