from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from neglect_portal.govuk_forms import add_service_errors

from . import access, selectors, services, two_factor
from .forms import AgencyForm, AgencyMergeForm, UserCreateForm, UserEditForm
from .models import Agency


def accessibility(request):
    """The accessibility statement, on the GOV.UK model; anyone may read it, signed in or not."""
    return render(request, "accessibility.html", {"accessibility_contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL})


@access.role_required(access.can_manage_partnership)
def agency_list(request):
    return render(request, "agencies/agency_list.html", {"agencies": selectors.agency_list()})


@access.role_required(access.can_manage_partnership)
@require_http_methods(["GET", "POST"])
def agency_create(request):
    form = AgencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        identifiers = {field: data[field] for field in ("ods_code", "urn", "police_force_code")}
        services.agency_create(name=data["name"], kind=data["kind"], locality=data["locality"], actor=request.user, request=request, **identifiers)
        messages.success(request, f"Agency {form.cleaned_data['name']} added.")
        return redirect("agencies:agency_list")
    return render(request, "agencies/agency_form.html", {"form": form, "title": "Add an agency"})


@access.role_required(access.can_manage_partnership)
@require_http_methods(["GET", "POST"])
def agency_edit(request, agency_id):
    agency = get_object_or_404(Agency, pk=agency_id)
    form = AgencyForm(request.POST or None, instance=agency)
    if request.method == "POST" and form.is_valid():
        services.agency_update(agency=form.instance, actor=request.user, request=request, **{f: form.cleaned_data[f] for f in form.changed_data})
        messages.success(request, f"Agency {form.cleaned_data['name']} saved.")
        return redirect("agencies:agency_list")
    return render(request, "agencies/agency_form.html", {"form": form, "title": f"Edit {agency.name}", "agency": agency})


@access.role_required(access.can_manage_partnership)
@require_http_methods(["GET", "POST"])
def agency_merge(request, agency_id):
    """Merge a duplicate agency into the one to keep (agencies.services.agency_merge)."""
    merge = get_object_or_404(Agency, pk=agency_id, merged_into__isnull=True)
    form = AgencyMergeForm(request.POST if request.method == "POST" else None, merge=merge)
    if request.method == "POST" and form.is_valid():
        try:
            keep = services.agency_merge(keep=form.cleaned_data["keep"], merge=merge, actor=request.user, request=request)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{merge.name} merged into {keep.name}.")
            return redirect("agencies:agency_list")
    context = {"form": form, "merge": merge, "references": selectors.agency_reference_summary(merge)}
    return render(request, "agencies/agency_merge.html", context)


@access.role_required(access.can_manage_partnership)
def user_list(request):
    search = request.GET.get("q", "").strip()
    # The edit link only where it works: never on the admin's own row (access.can_edit_account).
    rows = [{"person": person, "can_edit": access.can_edit_account(request.user, person)} for person in selectors.user_list(search=search)]
    return render(request, "agencies/user_list.html", {"rows": rows, "search": search})


@access.role_required(access.can_manage_partnership)
@require_http_methods(["GET", "POST"])
def user_create(request):
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.user_invite(actor=request.user, request=request, **form.cleaned_data)
        messages.success(request, f"User {form.cleaned_data['username']} added. We have emailed them a link to set their password.")
        return redirect("agencies:user_list")
    return render(request, "agencies/user_form.html", {"form": form, "title": "Add a user", "inviting": True, "link_hours": settings.PASSWORD_LINK_HOURS})


@access.role_required(access.can_manage_partnership)
@require_http_methods(["GET", "POST"])
def user_edit(request, user_id):
    user = selectors.user_for_admin(user_id)
    if user is None:
        raise Http404("No such user.")
    access.require_account_edit(request.user, user, request=request)
    initial = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "agency": user.membership.agency,
        "role": user.membership.role,
        "job_title": user.membership.job_title,
        "is_active": user.is_active,
    }
    form = UserEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.user_update(user=user, actor=request.user, request=request, **form.cleaned_data)
        messages.success(request, f"User {user.username} saved.")
        return redirect("agencies:user_list")
    return render(request, "agencies/user_form.html", {"form": form, "title": f"Edit {user.username}", "edited_user": user})


@access.role_required(access.can_manage_partnership)
@require_http_methods(["POST"])
def user_reset_two_factor(request, user_id):
    user = selectors.user_for_admin(user_id)
    if user is None:
        raise Http404("No such user.")
    access.require_account_edit(request.user, user, request=request)
    two_factor.two_factor_reset(actor=request.user, user=user, request=request)
    messages.success(
        request,
        f"Two-factor authentication reset for {user.username}. We have emailed them a link to set a new password; "
        "then they set up two-factor authentication again.",
    )
    return redirect("agencies:user_edit", user_id=user.pk)
