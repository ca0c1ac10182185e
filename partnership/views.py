"""Pages for agency action plans and the partnership profile (strategy members and partnership admins).

Thin: parse, ask `agencies.access`, call a service or selector, render. A form that fails comes
back with what was typed; a save that lost a race with someone else's (`EditConflict`) comes back
too, with the row as it is now and the form's version moved on, so a second save is deliberate.
"""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from agencies import access
from agencies.models import Agency

from . import forms, selectors, services
from .models import Rag


def _keep_with_conflict(form_class, request, conflict, **kwargs):
    """The form as submitted, carrying the current version, with the conflict as its error."""
    data = request.POST.copy()
    data["version"] = conflict.current_version
    form = form_class(data, **kwargs)
    form.is_valid()
    form.add_error(None, conflict.message)
    return form


def _plan_url(plan, row=None):
    url = redirect("partnership:plan_detail", plan_id=plan.pk).url
    return f"{url}#row-{row.pk}" if row is not None else url


@access.role_required(access.can_read_action_plans)
def plan_list(request):
    summaries = selectors.plans_overview()
    editable = {summary.agency.pk if summary.agency else None for summary in summaries if access.can_edit_action_plan_of(request.user, summary.agency.pk if summary.agency else None)}
    return render(request, "partnership/plan_list.html", {
        "summaries": summaries, "editable": editable, "rags": Rag.choices, "can_edit_profile": access.can_manage_partnership(request.user),
    })


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
    return render(request, "partnership/plan_detail.html", {
        "plan": plan, "rows": rows, "counts": counts, "can_edit": access.can_edit_action_plan(request.user, plan),
    })


@access.role_required(access.can_read_action_plans)
@require_http_methods(["GET", "POST"])
def row_new(request, plan_id):
    plan = access.access_action_plan(request.user, plan_id, edit=True, request=request)
    form = forms.RowNewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            row = services.action_plan_row_add(actor=request.user, plan=plan, request=request, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
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
        except services.EditConflict as conflict:
            row.refresh_from_db()
            form = _keep_with_conflict(forms.RowEditForm, request, conflict)
        except ValidationError as error:
            form.add_error(None, error)
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
            services.action_plan_update_record(actor=request.user, row=row, version=data["version"], quarter=data["quarter"], rag=data["rag"],
                                               progress=data["progress"], request=request)
        except services.EditConflict as conflict:
            form = _keep_with_conflict(forms.UpdateForm, request, conflict)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Update for {data['quarter']} recorded.")
            return redirect(_plan_url(row.plan, row))
    current = selectors.with_current_status(type(row).objects.filter(pk=row.pk)).get()
    return render(request, "partnership/update_form.html", {"form": form, "plan": row.plan, "row": current})


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
            services.partnership_profile_update(actor=request.user, version=data["version"], name=data["name"],
                                                under_18_population=data["under_18_population"], logo=logo, request=request)
        except services.EditConflict as conflict:
            form = _keep_with_conflict(forms.ProfileForm, request, conflict, has_logo=has_logo)  # a chosen file must be chosen again
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Partnership profile saved.")
            return redirect("partnership:profile")
    return render(request, "partnership/profile_form.html", {"form": form, "effective": selectors.partnership_profile(), "record": record})
