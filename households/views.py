"""Household pages (issue 14): record a household, change it, move it, add and remove members, merge a duplicate.

Thin, as cases/views.py: parse, ask the access layer (`access_family(..., edit=True)`: 404 when the
household is not visible, 403 with the reason when the user may not change it), call a service,
redirect to the household page with what was done.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from agencies import access
from audit.services import audit_record_children_listed
from neglect_portal.govuk_forms import add_service_errors

from . import forms, selectors, services


def _page(request, template, **context):
    return render(request, f"households/{template}", context)


@login_required
@require_http_methods(["GET", "POST"])
def family_new(request):
    access.require(request.user, access.can_see_case_work(request.user), request=request, what="record a household")
    form = forms.HouseholdForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            family = services.household_create(actor=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Household recorded: {family} (household {family.pk}). Add the children and adults who live there.")
            return redirect("households:family_detail", family_id=family.pk)
    return _page(request, "household_form.html", form=form, title="Record a household")


@login_required
@require_http_methods(["GET", "POST"])
def family_edit(request, family_id):
    family = access.access_family(request.user, family_id, edit=True, request=request)
    initial = {"name": family.name, "locality": family.locality, "language": family.language, "interpreter_needed": family.interpreter_needed}
    form = forms.HouseholdDetailsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.household_update(actor=request.user, family=family, request=request, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Household details changed.")
            return redirect("households:family_detail", family_id=family.pk)
    return _page(request, "household_form.html", form=form, family=family, title="Change the household's details")


@login_required
@require_http_methods(["GET", "POST"])
def family_move(request, family_id):
    family = access.access_family(request.user, family_id, edit=True, request=request)
    form = forms.HouseholdMoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.household_move(actor=request.user, family=family, request=request, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "New address recorded. The old one is kept in the household's address history.")
            return redirect("households:family_detail", family_id=family.pk)
    return _page(request, "household_form.html", form=form, family=family, title="Record a move to a new address")


@login_required
@require_http_methods(["GET", "POST"])
def member_add(request, family_id):
    """Add a child the user can see (found by exact identifiers) to the household, with the reason."""
    family = access.access_family(request.user, family_id, edit=True, request=request)
    form = forms.ChildMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            found = selectors.visible_child_by_identifiers(user=request.user, identifiers=form.identifiers().checked())
            if isinstance(found, list):
                raise ValidationError(
                    {
                        "given_name": "No child you can see has exactly these details"
                        if not found
                        else "More than one child you can see has these details: add their NHS number or UPN"
                    }
                )
            child = access.access_child(request.user, found.pk, action="view", request=request)
            services.household_member_add(
                actor=request.user,
                family=family,
                child=child,
                relationship=form.cleaned_data["relationship"],
                reason=form.cleaned_data["reason"],
                joined_on=form.cleaned_data["joined_on"],
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{child} added to the household. The decision is on their chronology.")
            return redirect("households:family_detail", family_id=family.pk)
    return _page(request, "household_member_form.html", form=form, family=family, title="Add a child to the household")


@login_required
@require_http_methods(["GET", "POST"])
def member_remove(request, family_id, member_id):
    family = access.access_family(request.user, family_id, edit=True, request=request)
    member = selectors.member_of_household(user=request.user, family=family, member_id=member_id)
    if member is None:
        raise Http404("No such record, or you do not have access to it.")
    form = forms.MemberRemoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.household_member_remove(
                actor=request.user, member=member, reason=form.cleaned_data["reason"], left_on=form.cleaned_data["left_on"], request=request
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{member.person} no longer lives in the household. The record of their time there is kept.")
            return redirect("households:family_detail", family_id=family.pk)
    return _page(request, "household_form.html", form=form, family=family, title=f"{member.person} no longer lives here")


@login_required
@require_http_methods(["GET", "POST"])
def family_merge(request, family_id):
    """Merge a duplicate household record into this one (both must be households the user may change)."""
    family = access.access_family(request.user, family_id, edit=True, request=request)
    form = forms.HouseholdMergeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        duplicate = access.access_family(request.user, form.cleaned_data["duplicate"], edit=True, request=request)
        try:
            services.household_merge(actor=request.user, keep=family, duplicate=duplicate, reason=form.cleaned_data["reason"], request=request)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Household {duplicate.pk} merged into this one: its members and addresses are here now.")
            return redirect("households:family_detail", family_id=family.pk)
    return _page(request, "household_form.html", form=form, family=family, title="Merge a duplicate household into this one")


@login_required
def family_detail(request, family_id):
    access.access_family(request.user, family_id, request=request)
    view = selectors.household_view(user=request.user, family_id=family_id)
    if view is None:
        raise Http404("No such record, or you do not have access to it.")
    audit_record_children_listed(user=request.user, child_ids=[child.pk for child in view.children], detail=f"family {family_id}", request=request)
    return render(request, "households/family_detail.html", {"view": view})


@login_required
@require_http_methods(["GET", "POST"])
def adult_new(request, family_id):
    family = access.access_family(request.user, family_id, request=request)
    access.require(request.user, access.can_see_case_work(request.user), request=request, what="add an adult")
    view = selectors.household_view(user=request.user, family_id=family.pk)
    form = forms.AdultForm(request.POST or None, children=view.children)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.adult_add(
                actor=request.user,
                family=family,
                given_name=data["given_name"],
                family_name=data["family_name"],
                relationships=[services.ChildRelationship(child=c, relationship=r, parental_responsibility=pr) for c, r, pr in form.relationships()],
                is_father_or_male_carer=data["is_father_or_male_carer"],
                mental_health=data["mental_health"],
                substance_misuse=data["substance_misuse"],
                domestic_abuse=data["domestic_abuse"],
                learning_disability=data["learning_disability"],
                lived_experience_notes=data["lived_experience_notes"],
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{data['given_name']} {data['family_name']} added to the household.")
            return redirect("households:family_detail", family_id=family.pk)
    return render(request, "households/adult_form.html", {"form": form, "family": family, "title": "Add an adult to the household"})
