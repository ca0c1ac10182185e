from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from audit.models import AuditAction
from audit.services import audit_record
from cases import selectors as case_selectors

from . import access, selectors, services, two_factor
from .forms import AgencyForm, UserCreateForm, UserEditForm
from .models import Agency


@login_required
def home(request):
    """Each role's starting page. Case workers see their visible open cases (an audited read)."""
    context = {"membership": access.membership_of(request.user)}
    if access.can_see_case_work(request.user):
        context["my_cases"] = list(case_selectors.my_cases(user=request.user)[:50])
        context["cases"] = list(case_selectors.case_list_for(user=request.user)[:50])
        context["recent_concerns"] = list(case_selectors.my_recent_concerns(user=request.user)[:10])
        context["actions_due"] = list(case_selectors.actions_due(user=request.user, today=timezone.localdate())[:20])
        listed = len(context["cases"]) + len(context["my_cases"])
        audit_record(user=request.user, action=AuditAction.VIEW, object_type="case_list", detail=f"home page, {listed} cases listed", request=request)
    context["notifications"] = selectors.unread_notifications(user=request.user)[:10]
    return render(request, "agencies/home.html", context)


def accessibility(request):
    return render(request, "accessibility.html")


@access.role_required(access.can_manage_partnership)
def agency_list(request):
    return render(request, "agencies/agency_list.html", {"agencies": selectors.agency_list()})


@access.role_required(access.can_manage_partnership)
@require_http_methods(["GET", "POST"])
def agency_create(request):
    form = AgencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.agency_create(name=data["name"], kind=data["kind"], locality=data["locality"], actor=request.user, request=request)
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
    return render(request, "agencies/agency_form.html", {"form": form, "title": f"Edit {agency.name}"})


@access.role_required(access.can_manage_partnership)
def user_list(request):
    search = request.GET.get("q", "").strip()
    return render(request, "agencies/user_list.html", {"users": selectors.user_list(search=search), "search": search})


@access.role_required(access.can_manage_partnership)
@require_http_methods(["GET", "POST"])
def user_create(request):
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.user_create(actor=request.user, request=request, **form.cleaned_data)
        messages.success(request, f"User {form.cleaned_data['username']} added.")
        return redirect("agencies:user_list")
    return render(request, "agencies/user_form.html", {"form": form, "title": "Add a user"})


@access.role_required(access.can_manage_partnership)
@require_http_methods(["GET", "POST"])
def user_edit(request, user_id):
    user = selectors.user_for_admin(user_id)
    if user is None:
        raise Http404("No such user.")
    initial = {
        "first_name": user.first_name, "last_name": user.last_name, "email": user.email,
        "agency": user.membership.agency, "role": user.membership.role,
        "job_title": user.membership.job_title, "is_active": user.is_active,
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
    two_factor.two_factor_reset(actor=request.user, user=user, request=request)
    messages.success(request, f"Two-factor authentication reset for {user.username}. They will set it up again at their next sign-in.")
    return redirect("agencies:user_edit", user_id=user.pk)
