"""Pages for agency action plans and the partnership profile (strategy members and partnership admins).

Thin: parse, ask `agencies.access`, call a service or selector, render. A form that fails comes
back with what was typed; a save that lost a race with someone else's (`EditConflict`) comes back
too, with the row as it is now and the form's version moved on, so a second save is deliberate.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from agencies import access
from agencies.models import Agency
from neglect_portal.concurrency import EditConflict
from neglect_portal.govuk_forms import add_service_errors, form_after_conflict

from . import forms, selectors, services
from .models import Rag
from .wording import hints_for


def _plan_url(plan, row=None):
    url = redirect("partnership:plan_detail", plan_id=plan.pk).url
    return f"{url}#row-{row.pk}" if row is not None else url


@access.role_required(access.can_read_action_plans)
def plan_list(request):
    summaries = selectors.plans_overview()
    editable = {
        summary.agency.pk if summary.agency else None
        for summary in summaries
        if access.can_edit_action_plan_of(request.user, summary.agency.pk if summary.agency else None)
    }
    return render(
        request,
        "partnership/plan_list.html",
        {
            "summaries": summaries,
            "editable": editable,
            "rags": Rag.choices,
            "can_edit_profile": access.can_manage_partnership(request.user),
        },
    )


@access.role_required(access.can_read_action_plans)
@require_http_methods(["POST"])
def plan_start(request):
    """Start an agency's plan (`agency` = its id) or the overarching one (`agency` empty)."""
    agency_id = request.POST.get("agency", "")
    if agency_id and not agency_id.isdigit():
        raise Http404("No such agency.")
    agency = get_object_or_404(Agency, pk=agency_id, is_active=True) if agency_id else None
    plan = services.action_plan_start(actor=request.user, agency=agency, request=request)
    return redirect("partnership:plan_detail", plan_id=plan.pk)


@access.role_required(access.can_read_action_plans)
def plan_detail(request, plan_id):
    plan = access.access_action_plan(request.user, plan_id, request=request)
    rows = selectors.plan_rows(plan=plan)
    # The rows are on the page already: counting them again in SQL would be a second query for the same answer.
    counts = [(rag, sum(1 for row in rows if row.current_rag == rag)) for rag in Rag.values]
    return render(
        request,
        "partnership/plan_detail.html",
        {
            "plan": plan,
            "rows": rows,
            "counts": counts,
            "can_edit": access.can_edit_action_plan(request.user, plan),
        },
    )


@access.role_required(access.can_read_action_plans)
@require_http_methods(["GET", "POST"])
def row_new(request, plan_id):
    plan = access.access_action_plan(request.user, plan_id, edit=True, request=request)
    form = forms.RowNewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            row = services.action_plan_row_add(actor=request.user, plan=plan, request=request, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Row added.")
            return redirect(_plan_url(plan, row))
    return render(request, "partnership/row_form.html", {"form": form, "plan": plan, "title": "Add a row", "button": "Add the row"})


@access.role_required(access.can_read_action_plans)
@require_http_methods(["GET", "POST"])
def row_edit(request, row_id):
    row = access.access_action_plan_row(request.user, row_id, edit=True, request=request)
    initial = {name: getattr(row, name) for name in services.ROW_FIELDS} | {"version": row.version}
    form = forms.RowEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in services.ROW_FIELDS}
        try:
            services.action_plan_row_edit(actor=request.user, row=row, version=form.cleaned_data["version"], request=request, **fields)
        except EditConflict as conflict:
            row.refresh_from_db()
            form = form_after_conflict(forms.RowEditForm, request.POST, conflict)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Row changed.")
            return redirect(_plan_url(row.plan, row))
    return render(request, "partnership/row_form.html", {"form": form, "plan": row.plan, "row": row, "title": "Change a row", "button": "Save the changes"})


@access.role_required(access.can_read_action_plans)
@require_http_methods(["GET", "POST"])
def row_update(request, row_id):
    row = access.access_action_plan_row(request.user, row_id, edit=True, request=request)
    form = forms.UpdateForm(request.POST or None, initial={"version": row.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.action_plan_update_record(
                actor=request.user, row=row, version=data["version"], quarter=data["quarter"], rag=data["rag"], progress=data["progress"], request=request
            )
        except EditConflict as conflict:
            form = form_after_conflict(forms.UpdateForm, request.POST, conflict)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Update for {data['quarter']} recorded.")
            return redirect(_plan_url(row.plan, row))
    current = selectors.with_current_status(type(row).objects.filter(pk=row.pk)).get()
    return render(request, "partnership/update_form.html", {"form": form, "plan": row.plan, "row": current})


# The partnership admin's areas, one link each on the settings page (the service navigation keeps one item for all).
SETTINGS_AREAS = [
    ("partnership:profile", "Partnership profile", "The partnership's name, logo and under-18 population (for rates per 10,000)."),
    ("agencies:agency_list", "Agencies", "Partner agencies, their identifiers and single sign-on providers; merge duplicates."),
    ("agencies:user_list", "Users", "Invite people, set their agency and role, deactivate accounts."),
    ("agencies:case_grants", "Case grants", "Access to a case given to someone outside its team, with the reason and end date."),
    ("tools:definition_list", "Tool definitions", "Assessment tools as data: load, publish and retire versions."),
    ("partnership:wording_guide", "Wording guide", "Words to avoid in records and what to write instead."),
    ("frontdoor:team", "Front-door team", "Who receives what the portal joins up and nobody owns yet."),
    ("chronologies:theme_words", "Theme words", "The key words the chronology's patterns look for across agencies."),
    ("subject_access:list", "Subject access", "Requests for a person's records, and their statutory deadlines."),
    ("retention:list", "Retention", "Records due for review or deletion under the retention rules."),
]


@access.role_required(access.can_manage_partnership)
@require_safe
def settings_index(request):
    areas = [{"url": reverse(name), "title": title, "description": description} for name, title, description in SETTINGS_AREAS]
    return render(request, "partnership/settings.html", {"areas": areas})


@access.role_required(access.can_manage_partnership)
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    record = selectors.profile_record()
    initial = {"name": record.name, "under_18_population": record.under_18_population, "version": record.version}
    has_logo = bool(record.logo_type)
    form = forms.ProfileForm(request.POST or None, request.FILES or None, initial=initial, has_logo=has_logo)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        logo = services.LogoChange(data=data["logo"], remove=data.get("remove_logo", False))
        try:
            services.partnership_profile_update(
                actor=request.user, version=data["version"], name=data["name"], under_18_population=data["under_18_population"], logo=logo, request=request
            )
        except EditConflict as conflict:
            form = form_after_conflict(forms.ProfileForm, request.POST, conflict, has_logo=has_logo)  # a chosen file must be chosen again
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Partnership profile saved.")
            return redirect("partnership:profile")
    return render(request, "partnership/profile_form.html", {"form": form, "effective": selectors.partnership_profile(), "record": record})


# --- The wording guide (partnership admins edit it; case workers' forms ask it for hints) -----------


@access.role_required(access.can_manage_partnership)
@require_http_methods(["GET", "POST"])
def wording_guide(request):
    """The guide, and a form to add an entry (each change audited by its service)."""
    form = forms.WordingEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.wording_entry_add(actor=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"“{entry.phrase}” added to the wording guide.")
            return redirect("partnership:wording_guide")
    return render(request, "partnership/wording_guide.html", {"form": form, "entries": selectors.wording_guide()})


def _wording_entry(entry_id):
    entry = selectors.wording_guide().filter(pk=entry_id).first()
    if entry is None:
        raise Http404("No such entry in the wording guide.")
    return entry


@access.role_required(access.can_manage_partnership)
@require_http_methods(["GET", "POST"])
def wording_entry_edit(request, entry_id):
    entry = _wording_entry(entry_id)
    initial = {name: getattr(entry, name) for name in services.WORDING_FIELDS}
    form = forms.WordingEntryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.wording_entry_edit(actor=request.user, entry=entry, request=request, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Wording guide entry saved.")
            return redirect("partnership:wording_guide")
    return render(request, "partnership/wording_entry_form.html", {"form": form, "entry": entry})


@access.role_required(access.can_manage_partnership)
@require_http_methods(["POST"])
def wording_entry_remove(request, entry_id):
    entry = _wording_entry(entry_id)
    services.wording_entry_remove(actor=request.user, entry=entry, request=request)
    messages.success(request, f"“{entry.phrase}” removed from the wording guide.")
    return redirect("partnership:wording_guide")


@access.role_required(access.can_see_case_work)
@require_http_methods(["POST"])
def wording_check(request):
    """The guide's hints for the text a practitioner is typing (JSON), for the hint beside the field.

    POST, so the text never lands in a URL or a log; not audited, because nothing about a child is
    read or kept: the text is checked and forgotten.
    """
    form = forms.WordingCheckForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"hints": [], "error": "Send at most 20,000 characters."}, status=400)
    return JsonResponse({"hints": [hint.as_dict() for hint in hints_for(form.cleaned_data["text"])]})
