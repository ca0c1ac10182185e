"""Front-door pages (issue 14). Thin: parse, ask the access layer, call a service or selector, render.

The queue, items, decisions and household matching are the front door's (`access.is_front_door`):
the queue page answers 403 to anyone else, and an item, like any record they may not see, 404.
Any case worker records a household concern; partnership admins say who works the front door.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from agencies import access
from audit.models import AuditAction
from audit.services import audit_record, audit_record_children_listed
from neglect_portal.govuk_forms import add_service_errors

from . import forms, selectors, services
from .models import ItemKind


@login_required
@require_GET
def queue(request):
    """The front door's queue: what is waiting, the deadline of each, late ones first and in red."""
    access.require(
        request.user,
        access.is_front_door(request.user),
        request=request,
        what="front-door queue",
        reason="The front-door queue is for children's social care's front door.",
    )
    filters = selectors.QueueFilters.from_query(request.GET)
    today = timezone.localdate()
    rows = selectors.front_door_queue(user=request.user, filters=filters, today=today)
    audit_record(
        user=request.user,
        action=AuditAction.VIEW,
        object_type="front_door_queue",
        detail=f"{len(rows)} items; status={filters.status}, kind={filters.kind or 'any'}, overdue={filters.overdue}",
        request=request,
    )
    audit_record_children_listed(
        user=request.user, child_ids=[row.item.case.child_id for row in rows if row.item.case_id], detail="front-door queue", request=request
    )
    counts = selectors.front_door_counts(user=request.user, today=today)
    kinds = [(value, label, counts["by_kind"][value]) for value, label in ItemKind.choices]
    return render(request, "frontdoor/queue.html", {"rows": rows, "filters": filters, "kinds": kinds, "counts": counts, "today": today})


@login_required
@require_GET
def item(request, item_id):
    """One item with the records behind it: the concern or request, the children and cases, their flags, household matches."""
    found = access.access_front_door_item(request.user, item_id, request=request)
    page = selectors.item_page(user=request.user, item=found)
    audit_record_children_listed(
        user=request.user,
        child_ids=[child.pk for child in page.children] + [c.pk for m in page.matches for c in m.children],
        detail=f"front-door item {found.pk}",
        request=request,
    )
    return render(request, "frontdoor/item.html", {"page": page, "item": found, "today": timezone.localdate()})


@login_required
@require_http_methods(["GET", "POST"])
def decision(request, item_id):
    found = access.access_front_door_item(request.user, item_id, request=request)
    if not found.is_open:
        messages.success(request, "This item has already been decided.")
        return redirect("frontdoor:item", item_id=found.pk)
    form = forms.DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.front_door_decide(
                actor=request.user,
                item=found,
                outcome=data["outcome"],
                threshold=data["threshold"],
                reasons=data["reasons"],
                early_help_lead=data["early_help_lead"],
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            told = f" {found.referred_by.get_full_name() or found.referred_by.get_username()} has been told." if found.referred_by else ""
            messages.success(request, f"Decision recorded and added to the chronology.{told}")
            return redirect("frontdoor:item", item_id=found.pk)
    return render(request, "frontdoor/decision.html", {"form": form, "item": found, "page": selectors.item_page(user=request.user, item=found)})


@login_required
@require_http_methods(["GET", "POST"])
def link(request, item_id):
    """Link a household concern to a household (`?family=` from the item page's matches, or a household number) and its children."""
    found = access.access_front_door_item(request.user, item_id, request=request)
    family_id = request.POST.get("family") or request.GET.get("family") or ""
    if not family_id.isdigit():
        messages.success(request, "Choose the household first: one of the matches, or enter its household number.")
        return redirect("frontdoor:item", item_id=found.pk)
    family = access.access_family(request.user, int(family_id), request=request)
    children = access.children_visible_to(request.user).filter(family=family).order_by("date_of_birth", "pk")
    form = forms.LinkForm(request.POST or None, household_children=children)
    if request.method == "POST" and form.is_valid():
        try:
            services.household_concern_link(
                actor=request.user, item=found, family=family, children=form.cleaned_data["children"], reason=form.cleaned_data["reason"], request=request
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Linked to {family}. The concern is on each child's chronology now.")
            return redirect("frontdoor:item", item_id=found.pk)
    return render(request, "frontdoor/link.html", {"form": form, "item": found, "family": family})


@login_required
@require_http_methods(["GET", "POST"])
def household_concern_new(request):
    """Record a concern about a household known only by address or a parent's name: it goes to the front door alone."""
    access.require(request.user, access.can_record_household_concern(request.user), request=request, what="record a household concern")
    form = forms.HouseholdConcernForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            concern, told = services.household_concern_record(actor=request.user, request=request, **form.service_arguments())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            # The same answer whatever the portal holds: a reference and who was told, never a match.
            messages.success(
                request, f"Concern recorded (reference H{concern.pk}). It has gone to {told}; they find the household and decide what happens next."
            )
            return redirect("home")
    return render(request, "frontdoor/household_concern_form.html", {"form": form, "title": "Record a concern about a household"})


@login_required
@require_http_methods(["GET", "POST"])
def team(request):
    """Partnership admins say which of children's social care's case workers work the front door."""
    access.require(request.user, access.can_manage_front_door_team(request.user), request=request, what="front-door team")
    people = services.front_door_team_people()
    form = forms.FrontDoorTeamForm(
        request.POST or None, front_door_people=people, initial={"members": [person for person in people if person.membership.front_door]}
    )
    if request.method == "POST" and form.is_valid():
        changed = services.front_door_team_set(actor=request.user, members=form.cleaned_data["members"], request=request)
        messages.success(request, f"Front-door team saved ({changed} change{'s' if changed != 1 else ''}).")
        return redirect("frontdoor:team")
    return render(request, "frontdoor/team.html", {"form": form})
