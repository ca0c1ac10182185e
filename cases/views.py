"""Case-work pages. Thin: parse, ask the access layer, call a service or selector, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from agencies import access
from audit.models import AuditAction
from audit.services import audit_record, audit_record_children_listed
from neglect_portal.concurrency import EditConflict
from neglect_portal.govuk_forms import add_service_errors, form_after_conflict
from notifications.selectors import unread_notifications

from . import case_page, field_policy, forms, home_page, selectors, services


@login_required
def home(request):
    """Each role's starting page. Case workers see their visible open cases (an audited read)."""
    context = {"membership": access.membership_of(request.user)}
    if access.can_see_case_work(request.user):
        context["my_cases"] = list(selectors.my_cases(user=request.user)[:50])
        context["cases"] = list(selectors.case_list_for(user=request.user)[:50])
        listed = len(context["cases"]) + len(context["my_cases"])
        audit_record(user=request.user, action=AuditAction.VIEW, object_type="case_list", detail=f"home page, {listed} cases listed", request=request)
        shown = [case.child_id for case in context["my_cases"] + context["cases"]]
        # What the apps above case work list here (the agency's actions due: plans/; the user's recent concerns: concerns/), and the children they name.
        for name, rows in home_page.listed(user=request.user, today=timezone.localdate()).items():
            context[name] = rows.rows
            shown += rows.child_ids
        audit_record_children_listed(user=request.user, child_ids=shown, detail="home page", request=request)
    # Booleans for the template (templates never compare role strings).
    context["can_manage_partnership"] = access.can_manage_partnership(request.user)
    context["can_read_audit"] = access.can_read_audit(request.user)
    context["sees_partnership_figures_only"] = access.sees_partnership_figures_only(request.user)
    context["notifications"] = unread_notifications(user=request.user)[:10]
    return render(request, "cases/home.html", context)


def case_url(case, anchor=""):
    return reverse("cases:case_detail", args=[case.pk]) + (f"#{anchor}" if anchor else "")


def _render_form(request, template, form, case, title, **extra):
    return render(request, template, {"form": form, "case": case, "title": title, **extra})


def case_form(
    request,
    case_id,
    *,
    action,
    form_class,
    title,
    save,
    success,
    anchor,
    lookup=None,
    allowed=None,
    form_kwargs=None,
    template="cases/case_form.html",
    version_of=None,
    current=None,
):
    """The common shape of a form on a case: access check, validate, wording check, service, redirect.

    `lookup(case)` finds the record the form works on (a plan, an action) among the case's own,
    or None for 404. `allowed(case, record)` is a further access-layer check (403 when False).
    `save(case, record, form)` calls the service; a ValidationError from it goes back to the form
    beside the fields it names. When `save` returns a record with a `case` (a concern that went to
    another case because this one had closed), the user is sent to that case.

    Edits of mutable records pass `version_of(case, record)`: the form carries that version, and a
    EditConflict from the service (someone else saved first) re-displays the form with the user's
    text kept, the record as it is now (`current(case, record)`: label and value pairs) and the new
    version, so saving again is a deliberate choice rather than a silent overwrite.
    """
    case = access.access_case(request.user, case_id, action=action, request=request)
    record = lookup(case) if lookup else None
    if lookup and record is None:
        raise Http404("No such record, or you do not have access to it.")
    if allowed is not None:
        access.require(request.user, allowed(case, record), request=request, what=f"{title}: not for your agency")
    form_kwargs = {key: value(case, record) for key, value in (form_kwargs or {}).items()}
    if version_of is not None:
        form_kwargs["initial"] = {**form_kwargs.get("initial", {}), "version": version_of(case, record)}
    form = form_class(request.POST or None, **form_kwargs)
    conflict_current = None
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(case, record, form)
        except ValidationError as error:
            add_service_errors(form, error)
        except EditConflict as conflict:
            form, conflict_current = _conflicted_form(form_class, form_kwargs, request.POST, conflict, case, record, current)
        else:
            destination = getattr(saved, "case", case)
            if callable(success):  # a message that depends on what was saved (who a concern reached: issue 14)
                success = success(saved)
            if destination.pk != case.pk:
                success = f"{success} This case is closed, so it was recorded on case {destination.pk} for review."
            messages.success(request, success)
            return redirect(case_url(destination, anchor))
    return _render_form(request, template, form, case, title, conflict_current=conflict_current)


def _conflicted_form(form_class, form_kwargs, data, conflict, case, record, current):
    """The user's form again (`form_after_conflict`), and the record as it is now."""
    form = form_after_conflict(form_class, data, conflict, **form_kwargs)
    case.refresh_from_db()
    if record is not None:
        record.refresh_from_db()
    return form, (current(case, record) if current else None)


# --- Search --------------------------------------------------------------


IDENTIFIER_FIELDS = ("given_name", "family_name", "date_of_birth", "nhs_number", "upn")


@login_required
@require_http_methods(["GET", "POST"])
def find_child(request):
    """Find a child by exact identifiers. Lists only children the user may see, never others.

    The identifiers travel in a POST body (CSRF-protected) and the results are the answer to that
    POST, with no redirect: a child's name, date of birth and numbers never sit in a URL, a browser
    history, a proxy log or the audit log's path. Each child listed gets its own audit row.
    """
    access.require(request.user, access.can_see_case_work(request.user), request=request, what="find a child")
    form = forms.ChildIdentifiersForm(request.POST if request.method == "POST" else None)
    children, prefill = None, None
    if form.is_bound and form.is_valid():
        try:
            identifiers = form.identifiers().checked()
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            children = list(selectors.visible_children_matching(user=request.user, identifiers=identifiers))
            audit_record(user=request.user, action=AuditAction.VIEW, object_type="child_search", detail=f"{len(children)} found", request=request)
            audit_record_children_listed(user=request.user, child_ids=[child.pk for child in children], detail="find a child", request=request)
            prefill = {name: form.cleaned_data.get(name) or "" for name in IDENTIFIER_FIELDS}
    return render(request, "cases/find_child.html", {"form": form, "children": children, "prefill": prefill})


# --- The case page and the family -------------------------------------------------------------------


@login_required
def case_detail(request, case_id):
    case = access.access_case(request.user, case_id, action="view", request=request)
    page = selectors.case_page(user=request.user, case=case)
    context = {
        "page": page,
        "case": page.case,
        "can_oversee": access.can_oversee(request.user, page.case),
        "can_change_lead": access.can_change_lead(request.user, page.case),
        "can_lead": access.can_lead_case(request.user, page.case),
        # Recording a concern, the child's voice or a referral: the "contribute" action those forms enforce.
        "can_contribute": access.role_of(request.user) in access.CASE_ACTIONS["contribute"],
        # Recent concerns, plans and their actions, referrals, oversight reviews, the child's voice, drift flags and chronology
        # patterns (registered by concerns/, plans/, referrals/, oversight/, voice/, drift/ and chronologies/).
        **case_page.extra_context(user=request.user, case=page.case, today=page.today),
        # The same field policy as the API: e.g. the NHS number only for health agencies and the leads.
        "child_fields": set(field_policy.readable("child", field_policy.for_case(request.user, page.case), field_policy.READ["child"])),
    }
    return render(request, "cases/case_detail.html", context)


# --- Case work forms -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def reassign_lead(request, case_id):
    def save(case, record, form):
        services.case_reassign_lead(
            actor=request.user,
            case=case,
            lead_professional=form.cleaned_data["lead_professional"],
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
            request=request,
        )

    def current(case, record):
        lead = case.lead_professional
        return [("Lead agency", case.lead_agency.name), ("Lead professional", (lead.get_full_name() or lead.get_username()) if lead else "")]

    return case_form(
        request,
        case_id,
        action="change_lead",
        form_class=forms.ReassignLeadForm,
        title="Change the lead professional",
        save=save,
        success="Lead professional changed.",
        anchor="summary",
        form_kwargs={"case": lambda case, record: case},
        version_of=lambda case, record: case.version,
        current=current,
    )
