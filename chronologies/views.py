"""Chronology pages: the merged view (one child, or the whole family), its PDF, recording and
amending entries, and importing an agency's file.

Thin: parse, ask the access layer, call a selector or service, render. The child comes from
`agencies.access.access_child` and the family from `access_family` (404 when not visible; an
allowed GET writes the one VIEW audit row there); an entry comes from `selectors.access_entry`.
The PDF writes exactly one audit row, the EXPORT.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from agencies import access
from audit.models import AuditAction
from audit.services import audit_record
from cases.selectors import family_view
from neglect_portal.govuk_forms import add_service_errors
from neglect_portal.pagination import page_of, pagination_links, query_without_page

from . import importing, pdf_exports, selectors, services
from .forms import AmendEntryForm, ChronologyFilterForm, ImportConfirmForm, ImportUploadForm, NewEntryForm
from .models import EntryKind, ExportStatus
from .patterns import pattern_named, pattern_summaries_for_child, pattern_summaries_for_family, patterns_for_child, patterns_for_family
from .pdf import max_entries

case_workers_only = access.role_required(access.can_see_case_work)


def _posted(request, *, files=False):
    """Form data for a POST (even an empty one: it must still be validated), nothing for a GET."""
    if request.method != "POST":
        return (None, None) if files else (None,)
    return (request.POST, request.FILES) if files else (request.POST,)


def _merged_view(request, *, chronology, shape, patterns, context):
    """Filter, paginate and render a chronology; `chronology(filters)` gives its entries, `shape` their count unfiltered."""
    form = ChronologyFilterForm(request.GET or None, agencies=selectors.recording_agencies(entries=chronology(selectors.NO_FILTERS)))
    filters = form.filters()
    total = None if filters.narrows else shape.current
    page = selectors.chronology_page(user=request.user, entries=chronology(filters), page_number=request.GET.get("page"), total=total)
    query = query_without_page(request)
    applied = form.applied()
    return render(
        request,
        "chronologies/chronology.html",
        {
            **context,
            "form": form,
            "applied": applied,
            "chronology": page,
            "pagination": pagination_links(page.page, query),
            "query": query,
            "patterns": patterns,
            "filters_open": bool(applied or form.errors),
        },
    )


@login_required
def child_chronology(request, child_id):
    child = access.access_child(request.user, child_id, action="view", request=request)
    user = request.user
    shape = selectors.chronology_shape(selectors.every_version_for_child(user=user, child=child))
    return _merged_view(
        request,
        chronology=lambda filters: selectors.chronology_for_child(user=user, child=child, filters=filters),
        shape=shape,
        patterns=pattern_summaries_for_child(user=user, child=child, shape=shape),
        context={"child": child},
    )


@login_required
def family_chronology(request, family_id):
    access.access_family(request.user, family_id, request=request)
    user = request.user
    shape = selectors.chronology_shape(selectors.every_version_for_family(user=user, family_id=family_id))
    return _merged_view(
        request,
        chronology=lambda filters: selectors.chronology_for_family(user=user, family_id=family_id, filters=filters),
        shape=shape,
        patterns=pattern_summaries_for_family(user=user, family_id=family_id, shape=shape),
        context={"household": family_view(user=user, family_id=family_id)},
    )


PATTERN_PAGE_SIZE = 50


def _pattern_page(request, *, patterns, code, context):
    """One pattern's entries, a page at a time; a pattern no longer found says so (200, with a way back)."""
    pattern = pattern_named(patterns, code)
    page = page_of(pattern.entries, request.GET.get("page"), per_page=PATTERN_PAGE_SIZE) if pattern else None
    return render(
        request,
        "chronologies/pattern.html",
        {**context, "pattern": pattern, "page": page, "pagination": pagination_links(page) if page else None},
    )


@login_required
@require_safe
def child_pattern(request, child_id, code):
    """The entries behind one pattern of the child's chronology (the chronology and case pages link here)."""
    child = access.access_child(request.user, child_id, action="view", request=request)
    return _pattern_page(request, patterns=patterns_for_child(user=request.user, child=child), code=code, context={"child": child})


@login_required
@require_safe
def family_pattern(request, family_id, code):
    """The entries behind one pattern of the whole family's chronology."""
    access.access_family(request.user, family_id, request=request)
    user = request.user
    return _pattern_page(
        request,
        patterns=patterns_for_family(user=user, family_id=family_id),
        code=code,
        context={"household": family_view(user=user, family_id=family_id)},
    )


@login_required
def child_chronology_pdf(request, child_id):
    """The chronology as filtered on the page, every matching entry (not one page), as a PDF.

    Up to `pdf.max_entries()` entries it is laid out here; a longer one (up to
    `pdf_exports.job_max_entries()`) is prepared by a Celery job and the user is sent to its
    "PDF being prepared" page; longer still, the page says how to narrow it.
    """
    user = request.user
    child = selectors.child_for_export(user=user, child_id=child_id, request=request)
    form, filters, matching = pdf_exports.chronology_for_pdf(user=user, child=child, query=query_without_page(request))
    count = matching.count()
    if max_entries() < count <= pdf_exports.job_max_entries():
        export = pdf_exports.chronology_export_request(actor=user, child=child, query=query_without_page(request), entry_count=count, request=request)
        return redirect("chronologies:pdf_export", export.pk)
    if count > max_entries():
        audit_record(
            user=user,
            action=AuditAction.VIEW,
            object_type="chronology",
            object_id=child.pk,
            child_id=child.pk,
            detail=f"PDF not made: {count} entries, over {pdf_exports.job_max_entries()}",
            request=request,
        )
        context = {"child": child, "count": count, "limit": pdf_exports.job_max_entries(), "query": query_without_page(request)}
        return render(request, "chronologies/pdf_too_long.html", context)
    pdf, laid_out = pdf_exports.pdf_of(user=user, child=child, form=form, filters=filters, matching=matching)
    now = timezone.localtime()
    audit_record(
        user=user,
        action=AuditAction.EXPORT,
        object_type="chronology",
        object_id=child.pk,
        child_id=child.pk,
        detail=f"PDF of {laid_out} entries; filters: {'; '.join(form.applied()) or 'none'}",
        request=request,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="chronology-{child.pk}-{now:%Y-%m-%d}.pdf"'
    return response


@login_required
@require_safe
def pdf_export(request, export_id):
    """A long chronology's PDF being prepared in the background, then ready to download (it refreshes itself while waiting)."""
    export = access.access_chronology_export(request.user, export_id, request=request)
    return render(request, "chronologies/pdf_export.html", {"export": export, "child": export.child, "waiting": export.status in WAITING})


@login_required
@require_safe
def pdf_export_download(request, export_id):
    """The prepared PDF: access is checked again now (it may have changed since), and the download is audited (EXPORT)."""
    export = access.access_chronology_export(request.user, export_id, request=request)
    if export.status != ExportStatus.DONE:
        return redirect("chronologies:pdf_export", export.pk)
    pdf_exports.chronology_export_download_audit(actor=request.user, export=export, request=request)
    response = HttpResponse(bytes(export.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="chronology-{export.child_id}-{timezone.localtime(export.completed_at):%Y-%m-%d}.pdf"'
    return response


WAITING = (ExportStatus.QUEUED, ExportStatus.RUNNING)


@login_required
@require_http_methods(["GET", "POST"])
def entry_create(request, child_id):
    child = access.access_child(request.user, child_id, action="contribute", request=request)
    form = NewEntryForm(*_posted(request), team_agencies=selectors.team_agencies(user=request.user, child=child))
    if request.method == "POST" and form.is_valid():
        try:
            services.chronology_entry_record(actor=request.user, child=child, request=request, **form.service_arguments())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Entry added to {child}'s chronology.")
            return redirect("chronologies:child_chronology", child.pk)
    return render(request, "chronologies/entry_form.html", {"child": child, "form": form, "title": "Add a chronology entry"})


def _refused(request, entry, message):
    context = {"entry": entry, "message": message, "back_url": reverse("chronologies:child_chronology", args=[entry.child_id])}
    return render(request, "chronologies/amend_refused.html", context, status=409)


@login_required
@require_http_methods(["GET", "POST"])
def entry_amend(request, entry_id):
    """Correct one of your agency's entries; automatic entries are corrected through their record."""
    entry = selectors.access_entry(user=request.user, entry_id=entry_id, amend=True, request=request)
    if entry.is_automatic:
        return _refused(request, entry, services.made_from_refusal(entry))
    if selectors.is_superseded(user=request.user, entry=entry):
        return _refused(request, entry, "This entry has already been amended. Amend its latest version instead.")
    form = AmendEntryForm(*_posted(request), initial=AmendEntryForm.initial_from(entry))
    if request.method == "POST" and form.is_valid():
        try:
            services.chronology_entry_amend(actor=request.user, entry=entry, request=request, **form.service_arguments())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Entry amended. The original stays in the chronology beneath it.")
            return redirect("chronologies:child_chronology", entry.child_id)
    return render(request, "chronologies/entry_form.html", {"child": entry.child, "entry": entry, "form": form, "title": "Amend a chronology entry"})


# --- Import ------------------------------------------------------------------------------------


def _upload_page(request, form, *, problem=""):
    context = {"form": form, "problem": problem, "columns": importing.COLUMNS, "kinds": EntryKind.choices}
    return render(request, "chronologies/import_upload.html", context)


@case_workers_only
@require_http_methods(["GET", "POST"])
def import_upload(request):
    """Upload a file and see what it would create (a dry run: nothing is written)."""
    form = ImportUploadForm(*_posted(request, files=True))
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["file"]
        try:
            plan = importing.plan_import(user=request.user, agency_id=access.membership_of(request.user).agency_id, text=text)
        except importing.ImportFileError as error:
            form.add_error("file", str(error))
        else:
            audit_record(
                user=request.user,
                action=AuditAction.VIEW,
                object_type="chronology_import",
                detail=f"checked a file: {len(plan.planned)} to create, {len(plan.already_imported)} already imported, "
                f"{len(plan.rows_with_errors)} rows with errors",
                request=request,
            )
            return render(request, "chronologies/import_check.html", {"plan": plan, "confirm": ImportConfirmForm(initial={"text": text})})
    return _upload_page(request, form)


@case_workers_only
@require_POST
def import_confirm(request):
    """Import the checked file's good rows; bad rows and rows imported before are left out."""
    form = ImportConfirmForm(request.POST)
    if not form.is_valid():
        return _upload_page(request, ImportUploadForm(), problem="The checked file did not arrive: upload it again")
    try:
        plan = services.chronology_import(actor=request.user, text=form.cleaned_data["text"], request=request)
    except importing.ImportFileError as error:
        return _upload_page(request, ImportUploadForm(), problem=str(error))
    messages.success(request, _import_summary(plan))
    return redirect("chronologies:import_upload")


def _import_summary(plan) -> str:
    created = len(plan.planned)
    parts = [f"{created} {'entry' if created == 1 else 'entries'} imported."]
    if plan.already_imported:
        parts.append(f"{len(plan.already_imported)} rows were imported before and were skipped.")
    if plan.errors:
        parts.append(f"{len(plan.rows_with_errors)} rows had errors and were not imported: correct them and import the file again.")
    return " ".join(parts)
