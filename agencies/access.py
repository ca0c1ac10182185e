"""The one door: who may see or do what. Every view, API endpoint, export, PDF and task asks here.

Rules (DESIGN.md, "Access rules"):

* Only an active user of an active agency, holding a case-working role (practitioner, manager,
  designated safeguarding lead), ever sees a child's case.
* Such a user sees a case when their agency is in the team around the child, or their agency is
  children's social care (the local authority holds statutory responsibility), or a partnership
  admin granted the case to them or to their agency (django-guardian, direct foreign-key tables).
* Strategy members, partnership admins and auditors see no case content; superusers get nothing
  extra: product pages never consult `is_superuser`.
* A case the user may not see answers 404 (its existence is not leaked); a visible case with an
  insufficient role answers 403.
* Every allowed read and every denial writes one audit row here; writes are audited by the service
  that makes them (one row per action, never two).

django-guardian is called only in this module, always with `accept_global_perms=False` and
`with_superuser=False`: its defaults would list every row to anyone holding the model permission.
"""
from functools import wraps

from django.contrib.auth.models import Group
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from guardian.shortcuts import assign_perm, get_objects_for_user
from rest_framework import permissions

from audit.models import AuditAction
from audit.services import audit_record
from cases.models import Case, Child, Family, TeamMembership

from .models import AgencyKind, Role
from .two_factor import is_verified

CASE_WORKING_ROLES = frozenset({Role.PRACTITIONER, Role.MANAGER, Role.DSL})

# What each action on a visible case needs, by role.
CASE_ACTIONS = {
    # read the case, the child, the family and everything recorded on them
    "view": CASE_WORKING_ROLES,
    # record concerns, chronology entries, the child's voice, assessment runs
    "contribute": CASE_WORKING_ROLES,
    # management oversight, reassigning the lead professional, acknowledging drift flags
    "oversee": frozenset({Role.MANAGER, Role.DSL}),
}

VIEW_PERMISSION = "cases.view_case"

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def membership_of(user):
    """The user's membership when it counts: active user, second factor passed, active agency; else None."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if not is_verified(user):
        return None
    membership = getattr(user, "membership", None)
    if membership is None or not membership.agency.is_active:
        return None
    return membership


def role_of(user):
    membership = membership_of(user)
    return membership.role if membership else None


def _explicit_grants(user):
    """Case ids granted to the user or their agency's group, through django-guardian."""
    return get_objects_for_user(
        user,
        VIEW_PERMISSION,
        klass=Case,
        use_groups=True,
        with_superuser=False,
        accept_global_perms=False,
    ).values("pk")


def cases_visible_to(user):
    """Every case the user may read. Lists and searches start here."""
    membership = membership_of(user)
    if membership is None:
        return Case.objects.none()
    if membership.role not in CASE_WORKING_ROLES:
        return Case.objects.none()
    if membership.agency.kind == AgencyKind.CHILDRENS_SOCIAL_CARE:
        return Case.objects.all()
    # EXISTS rather than a join: no DISTINCT, so lists stay cheap to order and slice.
    in_team = Exists(TeamMembership.objects.filter(case_id=OuterRef("pk"), agency_id=membership.agency_id))
    granted = Q(pk__in=_explicit_grants(user))
    return Case.objects.filter(in_team | granted)


def children_visible_to(user):
    """Children with at least one case the user may read. Search never lists anyone else."""
    visible_cases = cases_visible_to(user).filter(child_id=OuterRef("pk"))
    return Child.objects.filter(Exists(visible_cases))


def _deny_not_found(user, request, object_type, object_id, reason):
    audit_record(
        user=user,
        action=AuditAction.DENIED,
        object_type=object_type,
        object_id=object_id,
        detail=reason,
        request=request,
    )
    raise Http404("No such record, or you do not have access to it.")


def _deny_forbidden(user, request, object_type, object_id, child_id, reason):
    audit_record(
        user=user,
        action=AuditAction.DENIED,
        object_type=object_type,
        object_id=object_id,
        child_id=child_id,
        detail=reason,
        request=request,
    )
    raise PermissionDenied(reason)


def _audit_read(user, request, object_type, object_id, child_id):
    """A read is audited when the request reads (writes are audited by their service)."""
    if request is None or request.method in READ_METHODS:
        audit_record(
            user=user,
            action=AuditAction.VIEW,
            object_type=object_type,
            object_id=object_id,
            child_id=child_id,
            request=request,
        )


def _check_action(action):
    if action not in CASE_ACTIONS:
        raise ValueError(f"Unknown case action {action!r}; known: {sorted(CASE_ACTIONS)}")


def access_case(user, case_id, *, action, request=None):
    """The case, if the user may do `action` on it; otherwise 404 (not visible) or 403 (role)."""
    _check_action(action)
    case = cases_visible_to(user).select_related("child", "lead_agency", "lead_professional").filter(pk=case_id).first()
    if case is None:
        _deny_not_found(user, request, "case", case_id, f"case not visible ({action})")
    if role_of(user) not in CASE_ACTIONS[action]:
        _deny_forbidden(user, request, "case", case_id, case.child_id, f"role may not {action} a case")
    _audit_read(user, request, "case", case.pk, case.child_id)
    return case


def records_visible_to(user, model):
    """Rows of `model` (any model with a `case` foreign key) whose case the user may see."""
    return model.objects.filter(case__in=cases_visible_to(user).values("pk"))


def access_case_record(user, model, record_id, *, action, request=None):
    """One record that belongs to a case (a plan, a tool run, a conference invitation...).

    Same answers as `access_case`: 404 when its case is not visible (or it does not exist), 403 when
    the role may not do `action`; an allowed read is audited with the record's type and id.
    """
    _check_action(action)
    object_type = model._meta.model_name
    record = records_visible_to(user, model).select_related("case").filter(pk=record_id).first()
    if record is None:
        _deny_not_found(user, request, object_type, record_id, f"{object_type} not visible ({action})")
    if role_of(user) not in CASE_ACTIONS[action]:
        _deny_forbidden(user, request, object_type, record_id, record.case.child_id, f"role may not {action} a {object_type}")
    _audit_read(user, request, object_type, record.pk, record.case.child_id)
    return record


def access_child(user, child_id, *, action, request=None):
    """The child, if the user may do `action` on at least one of the child's cases."""
    _check_action(action)
    child = children_visible_to(user).select_related("family").filter(pk=child_id).first()
    if child is None:
        _deny_not_found(user, request, "child", child_id, f"child not visible ({action})")
    if role_of(user) not in CASE_ACTIONS[action]:
        _deny_forbidden(user, request, "child", child_id, child.pk, f"role may not {action} a child")
    _audit_read(user, request, "child", child.pk, child.pk)
    return child


def access_family(user, family_id, *, request=None):
    """A household the user may read: at least one of its children has a case the user can see.

    Only the visible children are shown on the family page (selectors narrow further); an
    invisible family answers 404 like a case.
    """
    family = Family.objects.filter(pk=family_id).filter(Exists(children_visible_to(user).filter(family_id=OuterRef("pk")))).first()
    if family is None:
        _deny_not_found(user, request, "family", family_id, "family not visible")
    _audit_read(user, request, "family", family.pk, None)
    return family


def can_lead_case(user, case):
    """Plans and their actions are set by the lead agency or children's social care.

    Partners record what they see (concerns, the child's voice) and update the actions they own;
    starting or ending a plan is the lead's decision.
    """
    membership = membership_of(user)
    if membership is None or membership.role not in CASE_WORKING_ROLES:
        return False
    return membership.agency_id == case.lead_agency_id or membership.agency.kind == AgencyKind.CHILDRENS_SOCIAL_CARE


def can_update_action(user, plan_action):
    """The agency that owns an action reports its progress; so may the case's lead."""
    membership = membership_of(user)
    if membership is not None and membership.role in CASE_WORKING_ROLES and membership.agency_id == plan_action.owner_agency_id:
        return True
    return can_lead_case(user, plan_action.plan.case)


def _is_recording_agency(user, record):
    membership = membership_of(user)
    return membership is not None and membership.role in CASE_WORKING_ROLES and membership.agency_id == record.agency_id


def can_amend_concern(user, concern):
    """Only the agency that recorded a concern corrects it; everyone else adds their own record."""
    return _is_recording_agency(user, concern)


# --- Field-level access: the user's relation to a case (issue 10, cases/field_policy.py) -----------

RELATION_STATUTORY = "statutory"  # children's social care: statutory responsibility for every child
RELATION_LEAD = "lead"  # the case's lead agency
RELATION_PARTNER = "partner"  # another agency in the team around the child
RELATION_GRANTED = "granted"  # sees the case only through a partnership admin's explicit grant
_RELATION_STRENGTH = [RELATION_STATUTORY, RELATION_LEAD, RELATION_PARTNER, RELATION_GRANTED]


def case_relation(user, case):
    """How the user stands to a case they may see, for the field policy; None when they may not see it.

    One condition per relation, strongest first: children's social care, then the lead agency,
    then a team member, then an explicit grant.
    """
    membership = membership_of(user)
    if membership is None or membership.role not in CASE_WORKING_ROLES:
        return None
    if membership.agency.kind == AgencyKind.CHILDRENS_SOCIAL_CARE:
        return RELATION_STATUTORY
    if membership.agency_id == case.lead_agency_id:
        return RELATION_LEAD
    if TeamMembership.objects.filter(case_id=case.pk, agency_id=membership.agency_id).exists():
        return RELATION_PARTNER
    if cases_visible_to(user).filter(pk=case.pk).exists():
        return RELATION_GRANTED
    return None


def child_relation(user, child):
    """The strongest relation the user has to any of the child's cases they may see (None if none)."""
    relations = {case_relation(user, case) for case in cases_visible_to(user).filter(child_id=child.pk).select_related("lead_agency")}
    return next((relation for relation in _RELATION_STRENGTH if relation in relations), None)


def agency_kind_of(user):
    """The kind of the user's agency (the field policy gives health and education their own identifiers)."""
    membership = membership_of(user)
    return membership.agency.kind if membership else None


# --- Restricted chronology entries ----------------------------------------------------------------


def chronology_entries_visible_to(user):
    """Chronology entries the user may read.

    An entry is visible when its child's case is visible (as above) and, if the entry is marked
    restricted (police intelligence, health detail), only to: the recording agency, children's
    social care, and agencies named on the entry (`shared_with`). Restricted entries are absent,
    not greyed out, for everyone else.
    """
    from chronologies.models import ChronologyEntry

    membership = membership_of(user)
    if membership is None or membership.role not in CASE_WORKING_ROLES:
        return ChronologyEntry.objects.none()
    entries = ChronologyEntry.objects.filter(Exists(cases_visible_to(user).filter(child_id=OuterRef("child_id"))))
    if membership.agency.kind == AgencyKind.CHILDRENS_SOCIAL_CARE:
        return entries
    unrestricted = Q(restricted=False)
    recorded_by_my_agency = Q(agency_id=membership.agency_id)
    shared_with_my_agency = Q(Exists(ChronologyEntry.shared_with.through.objects.filter(chronologyentry_id=OuterRef("pk"), agency_id=membership.agency_id)))
    return entries.filter(unrestricted | recorded_by_my_agency | shared_with_my_agency)


# --- Conferences ----------------------------------------------------------------------------------
#
# A conference is visible through its children: a user sees it when they may see at least one of the
# cases it covers (a sibling group's conference has several cases), and then only those children.


def conference_links_visible_to(user):
    """The conference-child links whose case the user may see."""
    from cases.conference_models import ConferenceChild

    return records_visible_to(user, ConferenceChild)


def conferences_visible_to(user):
    """Conferences covering at least one case the user may see (EXISTS: no duplicates, no DISTINCT)."""
    from cases.conference_models import Conference

    return Conference.objects.filter(Exists(conference_links_visible_to(user).filter(conference_id=OuterRef("pk"))))


def invitations_visible_to(user):
    from cases.conference_models import Invitation

    return Invitation.objects.filter(conference__in=conferences_visible_to(user))


def _is_childrens_social_care(user):
    membership = membership_of(user)
    return membership is not None and membership.agency.kind == AgencyKind.CHILDRENS_SOCIAL_CARE


def convene_action(user):
    """The case action that scheduling, inviting and recording attendance need of this user.

    Children's social care convenes conferences (the local authority's statutory duty), so any of
    its case workers may ("contribute"); in other agencies a manager or designated safeguarding
    lead may ("oversee"), for example to arrange a core group; their practitioners may not.
    """
    return "contribute" if _is_childrens_social_care(user) else "oversee"


def may_act_on_conferences(user, action):
    """Whether the user's role allows `action` ("view", "convene" or "oversee") on a conference they can see."""
    if action == "convene":
        action = convene_action(user)
    return role_of(user) in CASE_ACTIONS[action]


def can_see_upcoming_conferences(user):
    """The partnership-wide upcoming list names children: children's social care case workers only.

    They see every case (statutory responsibility) and chair or convene most conferences; anyone
    else finds their conferences on the pages of the cases they can see.
    """
    return can_see_case_work(user) and _is_childrens_social_care(user)


def can_see_attendance_report(user):
    """Attendance figures per agency hold no child data: strategy members, managers and DSLs read them."""
    return role_of(user) in {Role.STRATEGY_MEMBER, Role.MANAGER, Role.DSL}


def _checked_conference(user, links, *, action, object_type, object_id, request):
    """The first visible link of a conference, or 404/403 as `access_case_record` answers; audits reads.

    `action` is "view", "convene" or "oversee". One audit row per call: the read (for a reading
    request or a task), or the denial.
    """
    if action not in ("view", "convene", "oversee"):
        raise ValueError(f"Unknown conference action {action!r}")
    link = links.select_related("case", "conference").order_by("pk").first()
    if link is None:
        _deny_not_found(user, request, object_type, object_id, f"{object_type} not visible ({action})")
    if not may_act_on_conferences(user, action):
        _deny_forbidden(user, request, object_type, object_id, link.case.child_id, f"role may not {action} a {object_type}")
    _audit_read(user, request, object_type, object_id, link.case.child_id)
    return link


def access_conference(user, conference_id, *, action, request=None):
    """The conference, if the user may see one of its cases and `action` it; otherwise 404 or 403."""
    links = conference_links_visible_to(user).filter(conference_id=conference_id)
    link = _checked_conference(user, links, action=action, object_type="conference", object_id=conference_id, request=request)
    return link.conference


def access_invitation(user, invitation_id, *, action, request=None):
    """An invitation, through its conference: same answers as `access_conference`."""
    links = conference_links_visible_to(user).filter(conference__invitations__pk=invitation_id)
    _checked_conference(user, links, action=action, object_type="invitation", object_id=invitation_id, request=request)
    return invitations_visible_to(user).select_related("conference", "agency", "invitee").get(pk=invitation_id)


CHRONOLOGY_ENTRY = "chronology_entry"


def can_amend_entry(user, entry) -> bool:
    """Only the agency that recorded an entry corrects it (the rule of `can_amend_concern`)."""
    return _is_recording_agency(user, entry)


def access_entry(*, user, entry_id, amend=False, request=None):
    """One entry the user may read (404 otherwise, like a case), or amend (403 for another agency's).

    Answers as `agencies.access.access_case` does: a denial writes a DENIED audit row, an allowed
    read (GET, or no request) writes one VIEW row; writes are audited by their service.
    """
    entry = chronology_entries_visible_to(user).select_related("child", "agency", "author", "original").filter(pk=entry_id).first()
    if entry is None:
        _deny_not_found(user, request, CHRONOLOGY_ENTRY, entry_id, "chronology entry not visible")
    if amend and not can_amend_entry(user, entry):
        _deny_forbidden(user, request, CHRONOLOGY_ENTRY, entry_id, entry.child_id, "only the recording agency amends an entry")
    _audit_read(user, request, CHRONOLOGY_ENTRY, entry.pk, entry.child_id)
    return entry


def child_for_export(*, user, child_id, request=None):
    """The child whose chronology is exported, if the user may see them; 404 (audited) otherwise.

    Reads through `children_visible_to` without writing a VIEW row, so that an export writes
    exactly one audit row: the EXPORT its view records once the PDF is made.
    """
    child = children_visible_to(user).select_related("family").filter(pk=child_id).first()
    if child is None:
        audit_record(user=user, action=AuditAction.DENIED, object_type="child", object_id=child_id, detail="chronology export: child not visible", request=request)
        raise Http404("No such record, or you do not have access to it.")
    return child


# --- Partnership-level permissions (no child data) -----------------------------------------------


def can_manage_partnership(user):
    """Partnership admins manage agencies, users and tool definitions."""
    return role_of(user) == Role.PARTNERSHIP_ADMIN


def can_see_dashboard(user):
    """The quarterly Neglect Dashboard (aggregates only): strategy members and partnership admins (the chairs)."""
    return role_of(user) in {Role.STRATEGY_MEMBER, Role.PARTNERSHIP_ADMIN}


# --- Statutory returns (census/: the DfE CIN census export and import, Ofsted Annex A lists) -------
#
# A return covers every child in need in the partnership, so it is not scoped to cases: whoever may
# exchange returns sees them all. Partnership admins only (they already hold the partnership-wide
# data-protection functions). Children's social care managers are left out on purpose: their case
# access is scoped, and a return would widen it to every child. The management commands run as
# operators and are audited with the command's name.


def can_exchange_statutory_returns(user):
    """Download the census return and Annex A lists, upload a return for import: partnership admins."""
    return role_of(user) == Role.PARTNERSHIP_ADMIN


def access_census_upload(user, upload_id, *, for_update=False, request=None):
    """An uploaded return awaiting confirmation, for the admin who uploaded it only (anyone else: 404, audited).

    The file holds every child in need's details: another admin re-uploads rather than reads it.
    """
    from census.models import CensusUpload

    require(user, can_exchange_statutory_returns(user), request=request, what="census returns are for partnership admins")
    uploads = CensusUpload.objects.select_for_update() if for_update else CensusUpload.objects
    upload = uploads.filter(pk=upload_id, uploaded_by=user).first()
    if upload is None:
        _deny_not_found(user, request, "cin_census_upload", upload_id, "not found or not the uploader's")
    return upload


# --- Agency action plans (partnership/, no child data) -------------------------------------------
#
# The strategy group reviews every agency's neglect action plan and its own overarching plan each
# quarter, so each of its members reads all of them; a member edits only their own agency's plan;
# the chairs (partnership admins) edit every plan, the overarching one included. Nobody else
# reaches these pages. Plans name no child: reads are not audited, denials and writes are.

ACTION_PLAN_READERS = frozenset({Role.STRATEGY_MEMBER, Role.PARTNERSHIP_ADMIN})


def can_read_action_plans(user):
    """Strategy members and partnership admins read every plan (partnership-level, no child data)."""
    return role_of(user) in ACTION_PLAN_READERS


def can_edit_action_plan_of(user, agency_id):
    """Edit rows of the plan of `agency_id` (None: the overarching plan).

    Admins edit every plan; a strategy member edits their own agency's plan and no other.
    """
    membership = membership_of(user)
    if membership is None:
        return False
    if membership.role == Role.PARTNERSHIP_ADMIN:
        return True
    return membership.role == Role.STRATEGY_MEMBER and agency_id is not None and membership.agency_id == agency_id


def can_edit_action_plan(user, plan):
    return can_edit_action_plan_of(user, plan.agency_id)


def access_action_plan(user, plan_id, *, edit=False, request=None):
    """The plan, or 404 when there is none, or 403 (audited) when the role may not read or edit it.

    A plan that does not exist answers 404 to a reader only: anyone else is refused first (403),
    so the pages say nothing about plans to people who may not read them.
    """
    from partnership.models import ActionPlan

    require(user, can_read_action_plans(user), request=request, what="action plans are for strategy members and partnership admins")
    plan = ActionPlan.objects.select_related("agency").filter(pk=plan_id).first()
    if plan is None:
        raise Http404("No such action plan.")
    if edit:
        require(user, can_edit_action_plan(user, plan), request=request, what=f"may not edit action plan {plan.pk}")
    return plan


def access_action_plan_row(user, row_id, *, edit=False, request=None):
    """A row of a plan, with the same answers as `access_action_plan`."""
    from partnership.models import ActionPlanRow

    require(user, can_read_action_plans(user), request=request, what="action plans are for strategy members and partnership admins")
    row = ActionPlanRow.objects.select_related("plan__agency").filter(pk=row_id).first()
    if row is None:
        raise Http404("No such action plan row.")
    if edit:
        require(user, can_edit_action_plan(user, row.plan), request=request, what=f"may not edit action plan row {row.pk}")
    return row


def can_read_audit(user):
    """Auditors read the access log (read-only)."""
    return role_of(user) == Role.AUDITOR


def can_see_case_work(user):
    """Case-working roles get the practitioner home page, search and case pages."""
    return role_of(user) in CASE_WORKING_ROLES


def require(user, allowed, *, request=None, what=""):
    """Raise 403 (and audit the denial) unless `allowed` holds for an authenticated user."""
    if not allowed:
        audit_record(user=user, action=AuditAction.DENIED, object_type="page", detail=what, request=request)
        raise PermissionDenied(what or "Your role does not allow this.")


def role_required(check):
    """View decorator: anonymous users go to the login page; a signed-in user without the role gets 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            require(request.user, check(request.user), request=request, what=f"{check.__name__} needed")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


# --- Subject access and retention ----------------------------------------------------------------
#
# Both are the partnership's data-protection function, held by partnership admins: they see no case
# content in the product's pages, and read a subject's whole record only as the export a subject
# access request produces (each download audited as an EXPORT naming the child).


def can_run_subject_access(user):
    """Partnership admins record subject access requests and download their exports."""
    return role_of(user) == Role.PARTNERSHIP_ADMIN


def can_review_retention(user):
    """Partnership admins approve (or hold back) the deletion of records past their retention date."""
    return role_of(user) == Role.PARTNERSHIP_ADMIN


def subject_children_matching(*, user, identifiers):
    """Up to two children whose exact identifiers match, across all children, for a subject access request.

    Like `cases.selectors.children_matching_identifiers` (exact identifiers, strongest first, two
    results mean ambiguous) but for the data-protection function: only partnership admins, and the
    result is shown only as "found" until the export is made (audited on creation and download).
    """
    if not can_run_subject_access(user):
        return []
    return identifiers.first_matches()


def subject_adults_matching(*, user, given_name, family_name, postcode=""):
    """Up to two adults with exactly this name (and household postcode when given), for a request."""
    from cases.models import Adult

    if not can_run_subject_access(user):
        return []
    adults = Adult.objects.filter(given_name__iexact=given_name.strip(), family_name__iexact=family_name.strip())
    if postcode.strip():
        adults = adults.filter(family__postcode__iexact=postcode.strip())
    return list(adults.select_related("family").order_by("pk")[:2])


def access_subject_access_request(user, request_id, *, export=False, request=None):
    """One subject access request for a partnership admin: 403 for any other role, 404 when absent.

    A page read writes one VIEW row naming the child; with `export=True` nothing is written here
    because the download writes its EXPORT row (one row per request, never two).
    """
    from subject_access.models import SubjectAccessRequest

    require(user, can_run_subject_access(user), request=request, what="subject access requests are for partnership admins")
    sar = SubjectAccessRequest.objects.select_related("child", "adult", "created_by").filter(pk=request_id).first()
    if sar is None:
        _deny_not_found(user, request, "subject_access_request", request_id, "subject access request not found")
    if not export:
        _audit_read(user, request, "subject_access_request", sar.pk, sar.child_id_for_audit)
    return sar


def access_retention_review(user, review_id, *, request=None):
    """One retention review for a partnership admin: 403 for any other role, 404 when absent; reads audited."""
    from retention.models import RetentionReview

    require(user, can_review_retention(user), request=request, what="retention reviews are for partnership admins")
    review = RetentionReview.objects.filter(pk=review_id).first()
    if review is None:
        _deny_not_found(user, request, "retention_review", review_id, "retention review not found")
    _audit_read(user, request, "retention_review", review.pk, None)
    return review


# --- Explicit grants ---------------------------------------------------------------------------


@transaction.atomic
def case_grant(*, granted_by, case, reason, user=None, agency=None, request=None):
    """A partnership admin gives one user, or one agency, read access to one case.

    The grant is stored by django-guardian against the case's direct foreign-key table and audited
    with the reason (the information-sharing decision).
    """
    if not can_manage_partnership(granted_by):
        _deny_forbidden(granted_by, request, "case", case.pk, case.child_id, "only partnership admins grant access")
    if (user is None) == (agency is None):
        raise ValueError("Grant to exactly one of user or agency.")
    grantee = user if user is not None else Group.objects.get(pk=agency.group_id)
    assign_perm(VIEW_PERMISSION, grantee, case)
    audit_record(
        user=granted_by,
        action=AuditAction.GRANT,
        object_type="case",
        object_id=case.pk,
        child_id=case.child_id,
        detail=f"to {'user ' + user.get_username() if user else 'agency ' + agency.name}: {reason}",
        request=request,
    )


# --- REST framework ------------------------------------------------------------------------------


class HasActiveMembership(permissions.BasePermission):
    """DRF permission: an active user of an active agency (a superuser without one gets 403).

    Object visibility is not decided here: every viewset's queryset starts from
    `cases_visible_to` / `children_visible_to` (so a strategy member's list is empty), and object
    reads go through `access_case` (so a case they may not see answers 404, as in the pages).
    """

    def has_permission(self, request, view):
        if membership_of(request.user) is not None:
            return True
        if request.user.is_authenticated:  # signed in with no working membership (a superuser): the refusal is logged
            audit_record(user=request.user, action=AuditAction.DENIED, object_type="api", detail="no active membership", request=request)
        return False
