"""The one door: who may see or do what. Every view, API endpoint, export, PDF and task asks here.

Rules (docs/domain.md, "Access rules"; docs/security.md):

* Only an active user of an active agency, holding a case-working role (practitioner, manager,
  designated safeguarding lead), ever sees a child's case.
* Such a user sees a case when their agency is in the team around the child, or their agency is
  children's social care (the local authority holds statutory responsibility), or a partnership
  admin granted the case to them or to their agency until an end date (django-guardian, direct
  foreign-key tables).
* Strategy members, partnership admins and auditors see no case content; superusers get nothing
  extra: product pages never consult `is_superuser`.
* A case the user may not see answers 404 (its existence is not leaked); a visible case with an
  insufficient role, or without the authority an action needs (leading, overseeing, deciding:
  see "Authority"), answers 403 with the reason on the page.
* Every allowed read and every denial writes one audit row here; writes are audited by the service
  that makes them (one row per action, never two).

django-guardian is called only in this module. Grants are read straight from its direct
foreign-key tables (`_explicit_grants`), never through model-level permissions: guardian's defaults
would list every row to anyone holding the model permission, and it knows no end date.
"""

from functools import wraps

from django.apps import apps
from django.contrib.auth.models import Group
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.http import Http404
from django.utils import timezone
from guardian.shortcuts import assign_perm
from rest_framework import permissions

from audit.models import AuditAction
from audit.services import audit_record

from .models import Agency, AgencyKind, Role
from .two_factor import is_verified


class _FeatureModels:
    """The feature apps' models, looked up by label in Django's app registry when a rule runs.

    Every app sits above `agencies/` (a case names its lead agency, an upload its uploader), so this
    module cannot import their models without an import cycle; the rules that read them still all
    live here. An unknown name fails loudly (KeyError), never silently allows.
    """

    LABELS = {
        "Case": "cases.Case",
        "Child": "cases.Child",
        "Family": "cases.Family",
        "Adult": "cases.Adult",
        "TeamMembership": "cases.TeamMembership",
        "Plan": "plans.Plan",
        "Concern": "concerns.Concern",
        "CaseUserObjectPermission": "cases.CaseUserObjectPermission",
        "CaseGroupObjectPermission": "cases.CaseGroupObjectPermission",
        "ChronologyEntry": "chronologies.ChronologyEntry",
        "Conference": "conferences.Conference",
        "ConferenceChild": "conferences.ConferenceChild",
        "Invitation": "conferences.Invitation",
        "CensusUpload": "census.CensusUpload",
        "ActionPlan": "partnership.ActionPlan",
        "ActionPlanRow": "partnership.ActionPlanRow",
        "SubjectAccessRequest": "subject_access.SubjectAccessRequest",
        "RetentionReview": "retention.RetentionReview",
        # quality/: multi-agency case audits and family feedback ("Multi-agency case audits" below)
        "AuditRound": "quality.AuditRound",
        "SampledCase": "quality.SampledCase",
        "RoundAuditor": "quality.RoundAuditor",
        "AuditorGrade": "quality.AuditorGrade",
        "FeedbackRequest": "quality.FeedbackRequest",
        "FeedbackResponse": "quality.FeedbackResponse",
        "HouseholdMember": "cases.HouseholdMember",
        "FrontDoorItem": "frontdoor.FrontDoorItem",
        "HouseholdConcern": "frontdoor.HouseholdConcern",
    }

    def __getattr__(self, name):
        return apps.get_model(self.LABELS[name])


registry = _FeatureModels()

CASE_WORKING_ROLES = frozenset({Role.PRACTITIONER, Role.MANAGER, Role.DSL})
# Managers and designated safeguarding leads: they oversee the cases their agency leads.
OVERSEER_ROLES = frozenset({Role.MANAGER, Role.DSL})

# What each action on a visible case needs, by role. Actions with an authority rule as well
# ("oversee", "change_lead": see `CASE_AUTHORITY`) also need that rule to hold for the case.
CASE_ACTIONS = {
    # read the case, the child, the family and everything recorded on them
    "view": CASE_WORKING_ROLES,
    # record concerns, chronology entries, the child's voice, assessment runs
    "contribute": CASE_WORKING_ROLES,
    # management oversight, acknowledging drift flags (`can_oversee`)
    "oversee": OVERSEER_ROLES,
    # changing the lead professional, and with them the lead agency (`can_change_lead`)
    "change_lead": OVERSEER_ROLES,
    # scheduling a conference, inviting, recording attendance outside children's social care (`convene_action`)
    "convene": OVERSEER_ROLES,
    # stepping the level of need up or down (`can_change_level_of_need`; need/services.py)
    "change_level_of_need": OVERSEER_ROLES,
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


def _live_grants(model):
    """Grant rows of `model` (a django-guardian direct foreign-key table) that have not expired.

    A grant ends after its `expires_on` day; grants made before expiry dates existed have none.
    """
    today = timezone.localdate()
    return model.objects.filter(permission__codename="view_case", permission__content_type__app_label="cases").filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=today)
    )


def _explicit_grants(user):
    """A condition on cases: granted to the user, or to their agency's group, and not expired.

    The grants live in django-guardian's direct foreign-key tables (`cases.CaseUserObjectPermission`,
    `cases.CaseGroupObjectPermission`, written by `case_grant`). They are read here rather than
    with guardian's `get_objects_for_user` so that a grant's expiry date holds in the same query
    (guardian knows no expiry); global permissions and the superuser flag play no part, as with
    guardian's `accept_global_perms=False, with_superuser=False`.
    """
    if user.pk is None:  # `agency_reader`: never saved, so only its agency's grants
        to_agency = _live_grants(registry.CaseGroupObjectPermission).filter(group_id=user.membership.agency.group_id).values("content_object_id")
        return Q(pk__in=to_agency)
    to_user = _live_grants(registry.CaseUserObjectPermission).filter(user_id=user.pk).values("content_object_id")
    to_agency = _live_grants(registry.CaseGroupObjectPermission).filter(group__user=user).values("content_object_id")
    return Q(pk__in=to_user) | Q(pk__in=to_agency)


def cases_visible_to(user):
    """Every case the user may read. Lists and searches start here."""
    membership = membership_of(user)
    if membership is None:
        return registry.Case.objects.none()
    if membership.role not in CASE_WORKING_ROLES:
        return registry.Case.objects.none()
    if membership.agency.kind == AgencyKind.CHILDRENS_SOCIAL_CARE:
        return registry.Case.objects.all()
    # Built once per user object and condition (a page asks a dozen times; building the grant
    # conditions costs more than the query they make), and handed out as a fresh copy each time.
    # Only the conditions are kept: teams and grants are read by the database when a copy runs.
    condition = (membership.pk, membership.agency_id, membership.role, user.pk, timezone.localdate())
    built = getattr(user, "_cases_visible", None)
    if built is None or built[0] != condition:
        # EXISTS rather than a join: no DISTINCT, so lists stay cheap to order and slice.
        in_team = Exists(registry.TeamMembership.objects.filter(case_id=OuterRef("pk"), agency_id=membership.agency_id))
        built = (condition, registry.Case.objects.filter(in_team | _explicit_grants(user)))
        user._cases_visible = built
    return built[1].all()


def children_visible_to(user):
    """Children with at least one case the user may read. Search never lists anyone else."""
    visible_cases = cases_visible_to(user).filter(child_id=OuterRef("pk"))
    return registry.Child.objects.filter(Exists(visible_cases))


def case_visible(user, case_field="case_id"):
    """A condition on any row: the case its `case_field` names is one `user` may see.

    Correlated (EXISTS on the case's own id), for filters on rows that belong to a case. Written as
    `case__in=cases_visible_to(user)` it made PostgreSQL build the list of every case the user may
    see in the partnership (thousands for a partner agency) on each query that used it.
    """
    return Exists(cases_visible_to(user).filter(pk=OuterRef(case_field)))


def child_visible(user, child_field="child_id"):
    """A condition on any row: the child its `child_field` names has a case `user` may see (`children_visible_to`, correlated)."""
    return Exists(cases_visible_to(user).filter(child_id=OuterRef(child_field)))


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


class Refused(PermissionDenied):
    """A 403 with a reason meant for the person refused.

    The error page shows `reason` (`neglect_portal/errors.py`); the API's `detail` carries it (DRF
    turns Django's PermissionDenied into its own with the same message). A plain PermissionDenied
    keeps the generic page.
    """

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


ROLE_REFUSED = "Your role does not allow this. Ask your manager or partnership admin if you think you need it."


def _deny_forbidden(user, request, object_type, object_id, child_id, reason, *, shown=None):
    """Audit the refusal (one DENIED row, `reason` as its detail) and answer 403 showing `shown` (default: `reason`)."""
    audit_record(
        user=user,
        action=AuditAction.DENIED,
        object_type=object_type,
        object_id=object_id,
        child_id=child_id,
        detail=reason,
        request=request,
    )
    raise Refused(shown or reason)


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


def _refuse_on_case(user, request, object_type, object_id, case, action):
    """403 (one audit row) unless the user's role allows `action` and, for an authority action, its rule holds for `case`.

    Checked before the read is audited, so a refused request writes the denial and nothing else.
    """
    if role_of(user) not in CASE_ACTIONS[action]:
        _deny_forbidden(user, request, object_type, object_id, case.child_id, f"role may not {action} a {object_type}", shown=ROLE_REFUSED)
    authority = CASE_AUTHORITY.get(action)
    if authority is not None and not authority.rule(user, case):
        _deny_forbidden(user, request, object_type, object_id, case.child_id, authority.reason)


def access_case(user, case_id, *, action, request=None):
    """The case, if the user may do `action` on it; otherwise 404 (not visible) or 403 (role, or authority).

    "oversee" and "change_lead" also need their authority rule (`CASE_AUTHORITY`): a partner
    agency's manager sees the case but may not oversee it or take it over.
    """
    _check_action(action)
    case = cases_visible_to(user).select_related("child", "lead_agency", "lead_professional").filter(pk=case_id).first()
    if case is None:
        _deny_not_found(user, request, "case", case_id, f"case not visible ({action})")
    _refuse_on_case(user, request, "case", case_id, case, action)
    _audit_read(user, request, "case", case.pk, case.child_id)
    return case


def records_visible_to(user, model):
    """Rows of `model` (any model with a `case` foreign key) whose case the user may see."""
    return model.objects.filter(case_visible(user))


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
    _refuse_on_case(user, request, object_type, record_id, record.case, action)
    _audit_read(user, request, object_type, record.pk, record.case.child_id)
    return record


def access_child(user, child_id, *, action, request=None):
    """The child, if the user may do `action` on at least one of the child's cases."""
    _check_action(action)
    if action in CASE_AUTHORITY:
        raise ValueError(f"{action!r} is decided per case, not per child: use access_case")
    child = children_visible_to(user).select_related("family").filter(pk=child_id).first()
    if child is None:
        _deny_not_found(user, request, "child", child_id, f"child not visible ({action})")
    if role_of(user) not in CASE_ACTIONS[action]:
        _deny_forbidden(user, request, "child", child_id, child.pk, f"role may not {action} a child", shown=ROLE_REFUSED)
    _audit_read(user, request, "child", child.pk, child.pk)
    return child


def access_family(user, family_id, *, edit=False, request=None):
    """A household the user may read (`families_visible_to`), or change with `edit` (`can_edit_family`, 403 otherwise).

    Only the visible children are shown on the family page (selectors narrow further); an
    invisible family answers 404 like a case.
    """
    family = families_visible_to(user).filter(pk=family_id).first()
    if family is None:
        _deny_not_found(user, request, "family", family_id, "family not visible")
    if edit and not can_edit_family(user, family):
        _deny_forbidden(user, request, "family", family_id, None, FAMILY_EDIT_REFUSED)
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


def access_concern(user, concern_id, *, case_id=None, amend=False, request=None):
    """One concern the user may read (404 otherwise, like its case), or amend (403 for another agency's).

    Answers as `access_entry` does for chronology entries: one audit row per call, the DENIED row of
    a refusal or the VIEW row of an allowed read (GET, or no request); the amendment itself is
    audited by its service. `case_id`, when given, must be the concern's case (404 otherwise).
    """
    concerns = records_visible_to(user, registry.Concern).select_related("case", "agency").filter(pk=concern_id)
    if case_id is not None:
        concerns = concerns.filter(case_id=case_id)
    concern = concerns.first()
    if concern is None:
        _deny_not_found(user, request, "concern", concern_id, "concern not visible")
    if amend and not can_amend_concern(user, concern):
        _deny_forbidden(user, request, "concern", concern_id, concern.child_id, CONCERN_AMEND_REFUSED)
    _audit_read(user, request, "concern", concern.pk, concern.child_id)
    return concern


CONCERN_AMEND_REFUSED = "Only the agency that recorded a concern can amend it. Record your own concern instead."


# --- Authority: who leads, oversees and decides (issue 15 item 1, issue 22 finding 2) ----------------
#
# Seeing a case is not authority over it. Statutory work (children in need, child protection,
# looked after, pre-proceedings) is led by children's social care; otherwise the lead agency leads.
# Its managers and designated safeguarding leads oversee the case and decide who leads it, and so
# do children's social care's, who hold statutory responsibility for every child. A partner agency
# in the team records what it sees (concerns, the child's voice, chronology entries) but does not
# oversee another agency's case, take it over, or record a conference's decisions.

# cases/models.py `Threshold.SPECIALIST` and the statutory `PlanKind`s, by value: this module
# cannot import the cases app (it sits above agencies/); tests/access/test_authority.py checks them.
STATUTORY_THRESHOLD = "specialist"
STATUTORY_PLAN_KINDS = ("child_in_need", "child_protection", "looked_after", "pre_proceedings")

OVERSEE_REFUSED = (
    "Only the lead agency's managers and designated safeguarding leads, or children's social care managers, "
    "oversee this case: record management oversight and decisions about its drift flags."
)
CHANGE_LEAD_REFUSED = (
    "Only the lead agency's managers and designated safeguarding leads, or children's social care managers, "
    "change who leads this case. A partner agency cannot take over another agency's case."
)
CONFERENCE_DECISION_REFUSED = (
    "Conference decisions are recorded by children's social care: its managers and designated safeguarding leads, or the conference's chair."
)
STATUTORY_LEAD_REFUSED = "This is statutory work, led by children's social care: choose someone from children's social care."


def is_overseer(user):
    """A manager or designated safeguarding lead of an active agency (case-working roles only).

    They have a queue of cases to oversee: those their agency leads (and, in children's social
    care, every statutory case). Whether they may oversee one particular case is `can_oversee`.
    """
    return role_of(user) in OVERSEER_ROLES


def _is_csc_overseer(membership):
    return membership.role in OVERSEER_ROLES and membership.agency.kind == AgencyKind.CHILDRENS_SOCIAL_CARE


def is_statutory_case(case):
    """Statutory work: the specialist/statutory level of need, or an open child in need, child
    protection, looked-after or pre-proceedings plan. Children's social care leads it."""
    if case.threshold == STATUTORY_THRESHOLD:
        return True
    return registry.Plan.objects.filter(case_id=case.pk, ended_on__isnull=True, kind__in=STATUTORY_PLAN_KINDS).exists()


def can_oversee(user, case):
    """Management oversight and acknowledging drift flags on `case`.

    * the lead agency's managers and designated safeguarding leads, or
    * children's social care's (statutory responsibility for every child).

    A partner agency's manager or DSL sees the case but does not oversee it: oversight is the
    lead's line of accountability, and an acknowledged flag stops showing to everyone.
    """
    membership = membership_of(user)
    if membership is None or membership.role not in OVERSEER_ROLES:
        return False
    if _is_csc_overseer(membership):
        return True
    return membership.agency_id == case.lead_agency_id


def can_change_lead(user, case):
    """Changing the lead professional (and with them the lead agency) of `case`.

    The people who oversee the case decide who leads it (`can_oversee`): the lead agency's managers
    and DSLs, or children's social care's. A partner agency cannot take over another agency's
    case: its staff may become lead only when one of those people hands it over. Who may be
    chosen is `can_agency_lead`.
    """
    return can_oversee(user, case)


def agencies_that_may_lead(case):
    """The agencies that may lead `case`: children's social care for statutory work; otherwise any active agency."""
    agencies = Agency.objects.filter(is_active=True)
    if is_statutory_case(case):
        return agencies.filter(kind=AgencyKind.CHILDRENS_SOCIAL_CARE)
    return agencies


def can_agency_lead(agency, case):
    """Whether `agency` may be made lead of `case` (statutory cases are led by children's social care only)."""
    return agencies_that_may_lead(case).filter(pk=agency.pk).exists()


def can_record_conference_decision(user, conference):
    """Recording a conference's decisions (a plan started, continued, ended; its category).

    Children's social care convenes child protection conferences and holds the decision: its
    managers and designated safeguarding leads, or the conference's chair (a children's social
    care case worker). Other agencies take part in the conference but do not record its decisions.
    """
    membership = membership_of(user)
    if membership is None or membership.role not in CASE_WORKING_ROLES:
        return False
    if membership.agency.kind != AgencyKind.CHILDRENS_SOCIAL_CARE:
        return False
    return membership.role in OVERSEER_ROLES or conference.chair_id == user.pk


class _Authority:
    """A case action's authority rule and the reason shown when it refuses."""

    def __init__(self, rule, reason):
        self.rule, self.reason = rule, reason


# --- The level of need, stepped up and down (issue 15 item 2, need/services.py) --------------------

LEVEL_OF_NEED_REFUSED = (
    "Only the lead agency's managers and designated safeguarding leads, or children's social care managers, "
    "change the level of need. A case at the specialist/statutory level is stepped down only by children's social care."
)
LEVEL_OF_NEED_STATUTORY_REFUSED = (
    "Only children's social care steps a case up to, or down from, the specialist/statutory level. "
    "Choose another level, or ask children's social care's front door."
)


def can_change_level_of_need(user, case):
    """Recording a level-of-need decision on `case` (stepping it up or down).

    * children's social care's managers and DSLs, for any case (statutory responsibility), or
    * the lead agency's managers and DSLs, while the case is below the specialist/statutory level.

    A partner agency sees the case but does not decide its level: that is the lead's line of
    accountability. A statutory case is led by children's social care, so only they step it down.
    """
    membership = membership_of(user)
    if membership is None or membership.role not in OVERSEER_ROLES:
        return False
    if _is_csc_overseer(membership):
        return True
    if case.threshold == STATUTORY_THRESHOLD:
        return False
    return membership.agency_id == case.lead_agency_id


def can_set_level_of_need(user, case, to_level):
    """`can_change_level_of_need`, for one new level: only children's social care moves a case to or from specialist/statutory."""
    if not can_change_level_of_need(user, case):
        return False
    if to_level != STATUTORY_THRESHOLD and case.threshold != STATUTORY_THRESHOLD:
        return True
    return _is_csc_overseer(membership_of(user))


def require_level_of_need(user, case, to_level, *, request=None):
    """403 with the reason (one audit row) unless `user` may move `case` to `to_level`."""
    allowed = can_set_level_of_need(user, case, to_level)
    reason = LEVEL_OF_NEED_REFUSED if not can_change_level_of_need(user, case) else LEVEL_OF_NEED_STATUTORY_REFUSED
    require(user, allowed, request=request, reason=reason, object_type="case", object_id=case.pk, child_id=case.child_id)


# Actions of `access_case` that need more than a role: the rule must hold for the case itself.
CASE_AUTHORITY = {
    "oversee": _Authority(can_oversee, OVERSEE_REFUSED),
    "change_lead": _Authority(can_change_lead, CHANGE_LEAD_REFUSED),
    "change_level_of_need": _Authority(can_change_level_of_need, LEVEL_OF_NEED_REFUSED),
}


# --- The team around the child: who may bring an agency in ----------------------------------------


def can_add_to_team(user, case):
    """Whether `user` may bring an agency into the team around `case`, which lets that agency read it.

    Only someone who can see the child's record may share it: the user sees this case, or another
    case of the same child (a concern on a closed case goes to the child's current case, and the
    recorder's agency joins it). Inviting an agency to a sibling group's conference therefore adds
    it to the teams of the children the person inviting can see, never the others
    (`conferences.services`). Rules of the system with no person behind them (seed data, imports
    run as commands) pass no user and are not asked.
    """
    return children_visible_to(user).filter(pk=case.child_id).exists()


def require_team_add(user, case, *, request=None):
    """404 (audited, as for a case the user cannot see) unless `can_add_to_team` holds."""
    if not can_add_to_team(user, case):
        _deny_not_found(user, request, "case", case.pk, "team add refused: the case is not visible to the user")


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
    if registry.TeamMembership.objects.filter(case_id=case.pk, agency_id=membership.agency_id).exists():
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

    membership = membership_of(user)
    if membership is None or membership.role not in CASE_WORKING_ROLES:
        return registry.ChronologyEntry.objects.none()
    entries = registry.ChronologyEntry.objects.filter(Exists(cases_visible_to(user).filter(child_id=OuterRef("child_id"))))
    if membership.agency.kind == AgencyKind.CHILDRENS_SOCIAL_CARE:
        return entries
    unrestricted = Q(restricted=False)
    recorded_by_my_agency = Q(agency_id=membership.agency_id)
    shared_with_my_agency = Q(
        Exists(registry.ChronologyEntry.shared_with.through.objects.filter(chronologyentry_id=OuterRef("pk"), agency_id=membership.agency_id))
    )
    return entries.filter(unrestricted | recorded_by_my_agency | shared_with_my_agency)


def restricted_entry_readable(user):
    """A condition on a chronology entry row: the entry, if restricted, is one `user` may read.

    The same rule as `chronology_entries_visible_to`, written on the row itself (correlated EXISTS
    subqueries on the entry's child and on its sharing rows) so that it can be combined with
    `restricted=True` inside another correlated subquery without listing every restricted entry the
    user's agency may read in the partnership. None when the user may read no entry at all.
    tests/access/test_entry_visibility_property.py holds it equal to `chronology_entries_visible_to`.
    """
    membership = membership_of(user)
    if membership is None or membership.role not in CASE_WORKING_ROLES:
        return None
    case_visible = Q(Exists(cases_visible_to(user).filter(child_id=OuterRef("child_id"))))
    if membership.agency.kind == AgencyKind.CHILDRENS_SOCIAL_CARE:
        return case_visible
    shared_with_my_agency = Q(
        Exists(registry.ChronologyEntry.shared_with.through.objects.filter(chronologyentry_id=OuterRef("pk"), agency_id=membership.agency_id))
    )
    return case_visible & (Q(agency_id=membership.agency_id) | shared_with_my_agency)


def restricted_entries_hidden_from(user, entries):
    """The restricted entries among `entries` that `user` may not read (see `restricted_entry_readable`)."""
    readable = restricted_entry_readable(user)
    restricted = entries.filter(restricted=True)
    return restricted if readable is None else restricted.exclude(readable)


# --- Conferences ----------------------------------------------------------------------------------
#
# A conference is visible through its children: a user sees it when they may see at least one of the
# cases it covers (a sibling group's conference has several cases), and then only those children.


def conference_links_visible_to(user):
    """The conference-child links whose case the user may see."""

    return records_visible_to(user, registry.ConferenceChild)


def conferences_visible_to(user):
    """Conferences covering at least one case the user may see (EXISTS: no duplicates, no DISTINCT)."""

    return registry.Conference.objects.filter(Exists(conference_links_visible_to(user).filter(conference_id=OuterRef("pk"))))


def invitations_visible_to(user):

    return registry.Invitation.objects.filter(conference__in=conferences_visible_to(user))


def _is_childrens_social_care(user):
    membership = membership_of(user)
    return membership is not None and membership.agency.kind == AgencyKind.CHILDRENS_SOCIAL_CARE


def convene_action(user):
    """The case action that scheduling, inviting and recording attendance need of this user.

    Children's social care convenes conferences (the local authority's statutory duty), so any of
    its case workers may ("contribute"); in other agencies a manager or designated safeguarding
    lead may ("convene"), for example to arrange a core group; their practitioners may not.
    """
    return "contribute" if _is_childrens_social_care(user) else "convene"


def may_act_on_conferences(user, action):
    """Whether the user's role allows `action` ("view" or "convene") on a conference they can see.

    Recording its decisions is not a matter of role alone: `can_record_conference_decision`.
    """
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

    `action` is "view", "convene" or "decide" (record the conference's decisions:
    `can_record_conference_decision`). One audit row per call: the read (for a reading request or
    a task), or the denial.
    """
    if action not in ("view", "convene", "decide"):
        raise ValueError(f"Unknown conference action {action!r}")
    link = links.select_related("case", "conference").order_by("pk").first()
    if link is None:
        _deny_not_found(user, request, object_type, object_id, f"{object_type} not visible ({action})")
    if action == "decide":
        if not can_record_conference_decision(user, link.conference):
            _deny_forbidden(user, request, object_type, object_id, link.case.child_id, CONFERENCE_DECISION_REFUSED)
    elif not may_act_on_conferences(user, action):
        _deny_forbidden(user, request, object_type, object_id, link.case.child_id, f"role may not {action} a {object_type}", shown=ROLE_REFUSED)
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


# --- Conferences: an invited agency's own invitations (issue 15, item 4) ----------------------------
#
# Partner agencies see their own agency's invitations (dates, report deadlines) on the "Upcoming
# conferences" page and record that their report was sent. Only their agency's invitations, and only
# to conferences they can already see through a case: this narrows `invitations_visible_to`.


def can_see_own_agency_invitations(user):
    """Case workers outside children's social care: their agency's invitations, not the partnership's list."""
    return can_see_case_work(user) and not _is_childrens_social_care(user)


def can_see_upcoming_page(user):
    """The "Upcoming conferences" page: children's social care's full list, or a partner's own invitations."""
    return can_see_upcoming_conferences(user) or can_see_own_agency_invitations(user)


def own_agency_invitations_visible_to(user):
    """Invitations of the user's own agency to conferences the user can see; none without a membership."""
    membership = membership_of(user)
    if membership is None:
        return registry.Invitation.objects.none()
    return invitations_visible_to(user).filter(agency_id=membership.agency_id)


def access_own_invitation(user, invitation_id, *, request=None):
    """An invitation of the user's own agency, to record its report: 404 when it is not visible to the
    user or is another agency's (not revealed), 403 for a role that does no case work."""
    invitation = own_agency_invitations_visible_to(user).select_related("conference", "agency").filter(pk=invitation_id).first()
    if invitation is None:
        _deny_not_found(user, request, "invitation", invitation_id, "invitation not visible or another agency's (report)")
    if not can_see_case_work(user):
        child_id = conference_links_visible_to(user).filter(conference_id=invitation.conference_id).values_list("case__child_id", flat=True).first()
        _deny_forbidden(user, request, "invitation", invitation_id, child_id, "role may not record an agency's report", shown=ROLE_REFUSED)
    return invitation


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
        audit_record(
            user=user, action=AuditAction.DENIED, object_type="child", object_id=child_id, detail="chronology export: child not visible", request=request
        )
        raise Http404("No such record, or you do not have access to it.")
    return child


# --- Exporting one case record (issue 21: the printed assessment, tools/printing.py) -------------


def case_record_for_export(*, user, model, record_id, request=None):
    """One record of a case (a tool run, to print it) if the user may view it; 404 or 403 (audited) otherwise.

    The same answers as `access_case_record(..., action="view")`, but no VIEW row: an export writes
    exactly one audit row, the EXPORT its view records once the file is made (as `child_for_export`).
    """
    object_type = model._meta.model_name
    record = records_visible_to(user, model).select_related("case").filter(pk=record_id).first()
    if record is None:
        _deny_not_found(user, request, object_type, record_id, f"{object_type} export: not visible")
    _refuse_on_case(user, request, object_type, record_id, record.case, "view")
    return record


# --- Partnership-level permissions (no child data) -----------------------------------------------


def can_manage_partnership(user):
    """Partnership admins manage agencies, users and tool definitions."""
    return role_of(user) == Role.PARTNERSHIP_ADMIN


def can_manage_identity_providers(user):
    """Partnership admins, who manage agencies and users, add and change the agencies' single sign-on providers (sso/).

    They see a provider's settings and the name of the variable holding its client secret, never the secret.
    """
    return can_manage_partnership(user)


def can_see_dashboard(user):
    """The quarterly Neglect Dashboard (aggregates only): strategy members and partnership admins (the chairs)."""
    return role_of(user) in {Role.STRATEGY_MEMBER, Role.PARTNERSHIP_ADMIN}


# The strategy group steers its dashboard (docs/dashboard.md): it chooses the measures, sets each
# target with its reason, and writes each quarter's narrative and escalations. It is the strategy
# members and the partnership admin; none of it is child data, so nothing here is scoped to cases.
STRATEGY_GROUP = frozenset({Role.STRATEGY_MEMBER, Role.PARTNERSHIP_ADMIN})


def can_steer_dashboard(user):
    """Measures shown, targets, narrative and escalations: the strategy group (strategy members and partnership admins)."""
    return role_of(user) in STRATEGY_GROUP


def can_sign_off_dashboard(user):
    """A quarter is signed off by a named person of the strategy group (its chair, or the partnership admin for it)."""
    return role_of(user) in STRATEGY_GROUP


def sees_partnership_figures_only(user):
    """Strategy members read partnership aggregates and action plans, never a child's record (the home page says so)."""
    return role_of(user) == Role.STRATEGY_MEMBER


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

    require(user, can_exchange_statutory_returns(user), request=request, what="census returns are for partnership admins")
    uploads = registry.CensusUpload.objects.select_for_update() if for_update else registry.CensusUpload.objects
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

    require(user, can_read_action_plans(user), request=request, what="action plans are for strategy members and partnership admins")
    plan = registry.ActionPlan.objects.select_related("agency").filter(pk=plan_id).first()
    if plan is None:
        raise Http404("No such action plan.")
    if edit:
        require(user, can_edit_action_plan(user, plan), request=request, what=f"may not edit action plan {plan.pk}")
    return plan


def access_action_plan_row(user, row_id, *, edit=False, request=None):
    """A row of a plan, with the same answers as `access_action_plan`."""

    require(user, can_read_action_plans(user), request=request, what="action plans are for strategy members and partnership admins")
    row = registry.ActionPlanRow.objects.select_related("plan__agency").filter(pk=row_id).first()
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


def require(user, allowed, *, request=None, what="", reason="", object_type="page", object_id="", child_id=None):
    """Raise 403 (and audit the denial: one row) unless `allowed` holds for an authenticated user.

    `what` is the audit row's detail; `reason`, when given, is a sentence for the person refused,
    shown on the error page and in the API's `detail` (`Refused`), and the detail when `what` is
    empty. `object_type`, `object_id` and `child_id` say what was refused, when it is a record.
    """
    if not allowed:
        audit_record(
            user=user, action=AuditAction.DENIED, object_type=object_type, object_id=object_id, child_id=child_id, detail=what or reason, request=request
        )
        if reason:
            raise Refused(reason)
        raise PermissionDenied(what or "Your role does not allow this.")


def refusal_record(user, *, what, object_type="page", object_id="", child_id=None, request=None):
    """Audit a refusal that is answered otherwise than with 403 (a 409 "not ready yet", a redirect with a message).

    The one place besides `require` and the `access_*` functions that writes a DENIED row, so every
    refusal is logged once and in the same shape.
    """
    audit_record(user=user, action=AuditAction.DENIED, object_type=object_type, object_id=object_id, child_id=child_id, detail=what, request=request)


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

    if not can_run_subject_access(user):
        return []
    adults = registry.Adult.objects.filter(given_name__iexact=given_name.strip(), family_name__iexact=family_name.strip())
    if postcode.strip():
        adults = adults.filter(family__postcode__iexact=postcode.strip())
    return list(adults.select_related("family").order_by("pk")[:2])


def access_subject_access_request(user, request_id, *, export=False, request=None):
    """One subject access request for a partnership admin: 403 for any other role, 404 when absent.

    A page read writes one VIEW row naming the child; with `export=True` nothing is written here
    because the download writes its EXPORT row (one row per request, never two).
    """

    require(user, can_run_subject_access(user), request=request, what="subject access requests are for partnership admins")
    sar = registry.SubjectAccessRequest.objects.select_related("child", "adult", "created_by").filter(pk=request_id).first()
    if sar is None:
        _deny_not_found(user, request, "subject_access_request", request_id, "subject access request not found")
    if not export:
        _audit_read(user, request, "subject_access_request", sar.pk, sar.child_id_for_audit)
    return sar


def access_retention_review(user, review_id, *, request=None):
    """One retention review for a partnership admin: 403 for any other role, 404 when absent; reads audited."""

    require(user, can_review_retention(user), request=request, what="retention reviews are for partnership admins")
    review = registry.RetentionReview.objects.filter(pk=review_id).first()
    if review is None:
        _deny_not_found(user, request, "retention_review", review_id, "retention review not found")
    _audit_read(user, request, "retention_review", review.pk, None)
    return review


# --- Explicit grants ---------------------------------------------------------------------------
#
# A partnership admin may let one user, or one agency, read one case they would not otherwise see
# (a joint investigation, a new worker before the team add), with a reason and an end date. The
# grant is a row of django-guardian's direct foreign-key tables (`cases.CaseUserObjectPermission`,
# `cases.CaseGroupObjectPermission`) carrying who granted it, why and until when; `_explicit_grants`
# stops counting it after that day. Granting, renewing and revoking each write one audit row naming
# the child; the admin never sees the child's record (`agencies/case_grant_views.py` shows case numbers).

GRANT_KINDS = ("user", "agency")


def _grant_model(kind):
    if kind not in GRANT_KINDS:
        raise ValueError(f"Unknown grant kind {kind!r}")
    return registry.CaseUserObjectPermission if kind == "user" else registry.CaseGroupObjectPermission


def _grantee_label(user=None, agency=None):
    return f"user {user.get_username()}" if user is not None else f"agency {agency.name}"


@transaction.atomic
def case_grant(*, granted_by, case, reason, user=None, agency=None, expires_on=None, request=None):
    """A partnership admin gives one user, or one agency, read access to one case until `expires_on` (inclusive).

    Granting again to the same grantee renews the grant (new reason and date). Audited with the
    reason: the information-sharing decision. `expires_on` None is a grant without an end date
    (the case-grant page always asks for one).
    """
    if not can_manage_partnership(granted_by):
        _deny_forbidden(granted_by, request, "case", case.pk, case.child_id, "only partnership admins grant access")
    if (user is None) == (agency is None):
        raise ValueError("Grant to exactly one of user or agency.")
    grantee = user if user is not None else Group.objects.get(pk=agency.group_id)
    grant = assign_perm(VIEW_PERMISSION, grantee, case)
    type(grant).objects.filter(pk=grant.pk).update(
        reason=(reason or "").strip(),
        granted_by=granted_by,
        granted_at=timezone.now(),
        expires_on=expires_on,
    )
    until = f" until {expires_on:%d %B %Y}" if expires_on else ""
    audit_record(
        user=granted_by,
        action=AuditAction.GRANT,
        object_type="case",
        object_id=case.pk,
        child_id=case.child_id,
        detail=f"to {_grantee_label(user, agency)}{until}: {reason}",
        request=request,
    )
    return grant


def case_for_grant(user, case_id, *, request=None):
    """The case numbered `case_id`, or None, for a partnership admin choosing what to grant (403 for anyone else).

    Admins see no case content: the page names the case by its number only.
    """
    require(user, can_manage_partnership(user), request=request, what="case grants are for partnership admins")
    return registry.Case.objects.filter(pk=case_id).first()


def case_grants_list(user, *, request=None):
    """Every explicit grant, newest first, as (kind, grant) pairs, for a partnership admin (403 for anyone else)."""
    require(user, can_manage_partnership(user), request=request, what="case grants are for partnership admins")
    to_users = registry.CaseUserObjectPermission.objects.select_related("user", "granted_by", "content_object")
    to_agencies = registry.CaseGroupObjectPermission.objects.select_related("group__agency", "granted_by", "content_object")
    grants = [("user", grant) for grant in to_users] + [("agency", grant) for grant in to_agencies]
    return sorted(grants, key=lambda pair: (pair[1].granted_at is not None, pair[1].granted_at, pair[1].pk), reverse=True)


def grant_is_live(grant):
    """Whether a grant still lets its grantee read the case (the rule of `_live_grants`, for one row)."""
    return grant.expires_on is None or grant.expires_on >= timezone.localdate()


@transaction.atomic
def case_grant_revoke(*, revoked_by, kind, grant_id, request=None):
    """A partnership admin ends a grant now (403 for anyone else, 404 when there is no such grant); audited once."""
    require(revoked_by, can_manage_partnership(revoked_by), request=request, what="case grants are for partnership admins")
    grant = _grant_model(kind).objects.select_related("content_object").filter(pk=grant_id).first()
    if grant is None:
        raise Http404("No such grant.")
    grantee = grant.user if kind == "user" else grant.group.agency
    label = _grantee_label(user=grantee) if kind == "user" else _grantee_label(agency=grantee)
    case = grant.content_object
    grant.delete()
    audit_record(
        user=revoked_by,
        action=AuditAction.DELETE,
        object_type="case_grant",
        object_id=case.pk,
        child_id=case.child_id,
        detail=f"revoked the grant to {label}",
        request=request,
    )


# --- Accounts: who may change an account, and whose API tokens (issue 22, findings 3, 5 and 6) ----
#
# Partnership admins run the accounts of everyone else. Nobody changes their own agency or role or
# deactivates themselves: an admin who moved their own membership to children's social care would
# read every case at once (finding 5). Another admin makes such a change, and it is audited. Admins
# never hold a usable credential of another person (finding 6): they invite, and a second-factor
# reset sends the person a "set your password" link (agencies/services.py, agencies/two_factor.py).
# API tokens are their owner's alone: nobody else lists or revokes them.

ACCOUNT_SELF_REFUSED = (
    "You cannot change your own account's agency or role, deactivate it, or reset its two-factor authentication. Ask another partnership admin."
)


def can_edit_account(actor, target):
    """Whether `actor` may change `target`'s details, agency, role, active flag or second factor.

    * partnership admins only;
    * never their own account: a change to one's own role or agency is how an admin would give
      themselves case access (finding 5), so another admin makes it.
    """
    if not can_manage_partnership(actor):
        return False
    return actor.pk != target.pk


def require_account_edit(actor, target, *, request=None):
    """403 with the reason (one audit row naming the account) unless `can_edit_account` holds.

    Called by the user-edit and second-factor-reset pages before anything is read, and by
    `services.user_update` before its transaction (any other path), so the row is never rolled back.
    """
    require(
        actor,
        can_edit_account(actor, target),
        request=request,
        what=f"may not edit account {target.pk}",
        reason=ACCOUNT_SELF_REFUSED if can_manage_partnership(actor) else "",
        object_type="user",
        object_id=target.pk,
    )


def access_api_token(user, token_id, *, request=None):
    """One of the user's own API tokens, or 404 (audited): another person's token is not revealed."""
    from .models import ApiToken

    token = ApiToken.objects.filter(pk=token_id, user_id=getattr(user, "pk", None)).first()
    if token is None:
        _deny_not_found(user, request, "api_token", token_id, "not the user's token")
    return token


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


# --- Drift's stored flags: the whole record, and who sees it (issue 18, drift/refresh.py) ----------
#
# drift/rules.py computes each flag from the records the reader may see. drift/ stores those flags
# once per case, computed as a reader who sees the whole record (children's social care), and a
# stored flag goes only to readers whose view of the child is that same whole record; everyone else
# gets the rules run on their own view (drift/selectors.py). These three rules decide which is which.


def whole_record_reader():
    """An in-memory stand-in for children's social care, for computing drift's stored flags only.

    It sees what a children's social care manager sees (every case, every chronology entry) and
    nothing more. It is never saved, has no password or session and cannot sign in; it exists only
    inside drift/refresh.py, whose results are narrowed for each reader by `sees_whole_record`.
    """
    from django.contrib.auth import get_user_model

    from .models import Membership

    reader = get_user_model()(username="drift-read-model", is_active=True)
    reader.membership = Membership(
        agency=Agency(name="Children's social care (whole record)", kind=AgencyKind.CHILDRENS_SOCIAL_CARE, is_active=True), role=Role.MANAGER
    )
    return reader


def agency_reader(agency):
    """An in-memory manager of `agency` with no grants of their own, for warming drift's stored views only.

    It sees what any case worker of the agency without a personal grant sees (the agency's team
    places and its group's grants) and nothing more. Like `whole_record_reader` it is never saved,
    has no password or session and cannot sign in; drift/own_view.py uses it to compute, ahead of
    time, the flags a reader of that agency will get, stored under a key made from what that reader
    sees, so only a reader who sees exactly the same is ever given them.
    """
    from django.contrib.auth import get_user_model

    from .models import Membership

    reader = get_user_model()(username=f"drift-agency-view-{agency.pk}", is_active=True)
    reader.membership = Membership(agency=agency, role=Role.MANAGER)
    return reader


def sees_whole_record(user):
    """Whether the user reads every case and every chronology entry: children's social care case workers."""
    membership = membership_of(user)
    if membership is None or membership.role not in CASE_WORKING_ROLES:
        return False
    return membership.agency.kind == AgencyKind.CHILDRENS_SOCIAL_CARE


def record_hidden_from(user):
    """A condition on cases: the case's child has a record the rules read that this user may not see.

    A restricted chronology entry their agency may not read, or an assessment run on another of the
    child's cases they may not see. Where it holds, the whole-record flags could say more (or less)
    than the user's own view, so the user's flags are computed from their view instead.
    """
    # Conditions on each row, correlated (not `pk__in` / `case__in` a list of every entry, case or child
    # the user may see in the partnership: PostgreSQL built those whole, for every case page).
    hidden_entry = restricted_entries_hidden_from(user, registry.ChronologyEntry.objects.filter(child_id=OuterRef("child_id")))
    run_model = apps.get_model("tools.AssessmentRun")
    hidden_run = run_model.objects.filter(case__child_id=OuterRef("child_id")).exclude(case_visible(user))
    # Issue 14: the family-wide rule reads the household's other children too (drift/rules.py, `family_concerns`).
    # The case's household by a subquery, not `child__family_id`: that joined every child in the county.
    family_id = Subquery(registry.Child.objects.filter(pk=OuterRef(OuterRef("child_id"))).values("family_id")[:1])
    hidden_sibling = registry.Child.objects.filter(family_id=family_id).exclude(pk=OuterRef("child_id")).exclude(child_visible(user, "pk"))
    hidden_sibling_entry = restricted_entries_hidden_from(user, registry.ChronologyEntry.objects.filter(child__family_id=family_id))
    # The household's Early Help Assessments answer the family-wide rule: a sibling's run on a case the user may not see.
    hidden_sibling_run = run_model.objects.filter(case__child__family_id=family_id).exclude(case_visible(user))
    return Exists(hidden_entry) | Exists(hidden_run) | Exists(hidden_sibling) | Exists(hidden_sibling_entry) | Exists(hidden_sibling_run)


# --- Households and the front door (issue 14) ---------------------------------------------------------
#
# A household is read through its children, as before; it is changed (name, address, who lives in it,
# merging a duplicate) by children's social care and by the agencies leading its children's cases.
# The front door is children's social care's team that decides what happens to what the portal joins
# up: requests for support, concerns nobody leads, household concerns, family-wide and red flags. Its
# items and household concerns exist for the front door only: for anyone else they answer 404.

FAMILY_EDIT_REFUSED = (
    "Only children's social care and the agencies leading the case of a child in this household change it. "
    "Record a concern, or ask the front door, if you think the household is wrong."
)


def families_visible_to(user):
    """Households the user may read (merged duplicates are not households any more).

    * a child living in it has a case the user may see (the family page lists only those children);
    * children's social care case workers read every household: they see every case, and the front
      door matches addresses to households;
    * the agency that recorded a household reads it while no child lives in it (a household is
      often recorded before its children are known).
    """
    membership = membership_of(user)
    if membership is None or membership.role not in CASE_WORKING_ROLES:
        return registry.Family.objects.none()
    families = registry.Family.objects.filter(merged_into__isnull=True)
    if membership.agency.kind == AgencyKind.CHILDRENS_SOCIAL_CARE:
        return families
    with_a_visible_child = Exists(children_visible_to(user).filter(family_id=OuterRef("pk")))
    empty = ~Exists(registry.Child.objects.filter(family_id=OuterRef("pk")))
    recorded_by_my_agency = Q(created_by_agency_id=membership.agency_id)
    return families.filter(with_a_visible_child | (recorded_by_my_agency & empty))


def can_edit_family(user, family):
    """Changing a household: its name and address (a move), who lives in it, merging a duplicate into it.

    * children's social care case workers (statutory responsibility; the front door keeps households right);
    * case workers of an agency that leads an open case of a child living in it;
    * the agency that recorded it, while no child lives in it.

    A partner in a child's team reads the household but does not change it: who lives with a child
    is a recorded decision of the people who lead the child's case.
    """
    membership = membership_of(user)
    if membership is None or membership.role not in CASE_WORKING_ROLES:
        return False
    if membership.agency.kind == AgencyKind.CHILDRENS_SOCIAL_CARE:
        return True
    if not registry.Child.objects.filter(family_id=family.pk).exists():
        return family.created_by_agency_id == membership.agency_id
    return registry.Case.objects.filter(child__family_id=family.pk, status="open", lead_agency_id=membership.agency_id).exists()


def can_merge_families(user, keep, duplicate):
    """Merging `duplicate` into `keep` changes both households: the user must be able to change each."""
    return can_edit_family(user, keep) and can_edit_family(user, duplicate)


def can_record_household_concern(user):
    """Any case worker may record a concern about a household known only by address or a parent's name."""
    return can_see_case_work(user)


def is_front_door(user):
    """Works the front door: a case worker of children's social care who holds the front-door flag, or its managers and DSLs.

    The flag (`Membership.front_door`, set by a partnership admin on the front-door team page) names
    the MASH or early-help hub's practitioners; children's social care's managers and designated
    safeguarding leads oversee the front door's decisions, as they oversee its cases, so they work
    it too. Nobody else sees a front-door item or a household concern.
    """
    membership = membership_of(user)
    if membership is None or membership.role not in CASE_WORKING_ROLES:
        return False
    if membership.agency.kind != AgencyKind.CHILDRENS_SOCIAL_CARE:
        return False
    return membership.front_door or membership.role in OVERSEER_ROLES


def front_door_recipients():
    """The people told of a new front-door item: the flagged front-door workers; when nobody is flagged, children's social care's managers and DSLs.

    Something sent "to the front door" always reaches a named person while children's social care
    has an active manager, even before anyone has been put on the front-door team.
    """
    from django.contrib.auth import get_user_model

    workers = get_user_model().objects.filter(
        is_active=True,
        membership__agency__kind=AgencyKind.CHILDRENS_SOCIAL_CARE,
        membership__agency__is_active=True,
        membership__role__in=CASE_WORKING_ROLES,
    )
    flagged = workers.filter(membership__front_door=True)
    return (flagged if flagged.exists() else workers.filter(membership__role__in=OVERSEER_ROLES)).order_by("pk")


def can_manage_front_door_team(user):
    """Partnership admins, who manage users, say who works the front door."""
    return can_manage_partnership(user)


def front_door_items_visible_to(user):
    """The front door's queue: every item, for the front door only (nobody else has any)."""
    if not is_front_door(user):
        return registry.FrontDoorItem.objects.none()
    return registry.FrontDoorItem.objects.all()


def access_front_door_item(user, item_id, *, request=None):
    """One front-door item for the front door; 404 (audited) for everyone else, so an item's existence is not leaked.

    Deciding is the front door's work too, so reading and deciding need the same thing. A read is
    audited naming the child when the item is about one case.
    """
    item = front_door_items_visible_to(user).select_related("case__child", "family", "household_concern").filter(pk=item_id).first()
    if item is None:
        _deny_not_found(user, request, "front_door_item", item_id, "front-door item not visible")
    _audit_read(user, request, "front_door_item", item.pk, item.case.child_id if item.case_id else None)
    return item


def household_concerns_visible_to(user):
    """Concerns recorded about a household or an address: the front door's only, until it links them to children."""
    if not is_front_door(user):
        return registry.HouseholdConcern.objects.none()
    return registry.HouseholdConcern.objects.all()


def household_members_visible_to(user):
    """Membership rows of children the user may see, and of adults of households the user may read."""
    child_rows = Q(child_visible(user))
    adult_rows = Q(adult__isnull=False, family__in=families_visible_to(user).values("pk"))
    return registry.HouseholdMember.objects.filter(child_rows | adult_rows)


def can_see_partner_red_flags(user):
    """Managers and DSLs see the red flags of cases their agency is in the team for, whoever leads them."""
    return is_overseer(user)


# --- Multi-agency case audits and family feedback (quality/, issue 17) ------------------------------
#
# Partnership admins and strategy members run audit rounds. The round's own pages hold no case
# content: sampled cases are named by number and reference ("Case 3"), with grades, never evidence.
# Auditors are case workers, one per agency taking part. When the round starts, each is granted every
# sampled case until the round's last day with the same explicit grants a partnership admin makes
# (`case_grant`: django-guardian's direct tables, with who granted, why and until when, one GRANT row
# each naming the child), so the case's own pages open to them as to any grantee; when the round
# closes those grants end (one DELETE row each). A sampled case's audit pages answer only the round's
# auditors, only while the round is in progress and while they can read the case: anyone else, and
# every auditor before the round starts or after it closes, gets 404, as for a case.
#
# Families give feedback through a single-use link that needs no account (`access_feedback_link`): a
# link that is not one we sent, was used, or has expired answers 404 with one DENIED row and nothing
# about the case; the rows of these requests have no user (they are "family feedback link").

AUDIT_RUNNER_ROLES = frozenset({Role.PARTNERSHIP_ADMIN, Role.STRATEGY_MEMBER})
# quality.models.RoundStatus.IN_PROGRESS, by value: this module cannot import quality/ (it sits above agencies/).
AUDIT_ROUND_IN_PROGRESS = "in_progress"
FAMILY_LINK_ACTOR = "family feedback link"
AUDIT_MODERATE_REFUSED = "Only the round's moderator records the agreed grades. Grade the case as the auditor for your agency."


def can_run_case_audits(user):
    """Partnership admins and strategy members set up, start and close audit rounds, record learning and actions,
    and read a round's report: none of which shows case content."""
    return role_of(user) in AUDIT_RUNNER_ROLES


def can_manage_question_sets(user):
    """Question sets are partnership data, like tool definitions: partnership admins load and publish them."""
    return role_of(user) == Role.PARTNERSHIP_ADMIN


def can_be_auditor(user):
    """Only case workers audit cases: they are the only ones who may read a child's case at all."""
    return role_of(user) in CASE_WORKING_ROLES


def audit_rounds_visible_to(user):
    """Every round for those who run them (no case content in a round's own pages); none for anyone else."""
    if not can_run_case_audits(user):
        return registry.AuditRound.objects.none()
    return registry.AuditRound.objects.all()


def access_audit_round(user, round_id, *, request=None):
    """A round for those who run audits: 403 (audited) for anyone else, 404 when there is no such round.

    Reads are not audited: a round's pages name no child (case numbers and grades only), like the
    case-grant and action-plan pages.
    """
    require(user, can_run_case_audits(user), request=request, what="audit rounds are run by partnership admins and strategy members")
    audit_round = audit_rounds_visible_to(user).select_related("question_set", "moderator").filter(pk=round_id).first()
    if audit_round is None:
        raise Http404("No such audit round.")
    return audit_round


def sampled_cases_visible_to(user):
    """The sampled cases the user audits now: one condition each.

    * they are an auditor of the case's round;
    * the round is in progress (not being set up, not closed);
    * the round's last day has not passed (auditors whose agency is in the team keep reading the
      case, but not as auditors);
    * they can read the case: the grant made when the round started (or their own team access), so a
      grant that has ended closes the audit pages in the same query.
    """
    if not can_be_auditor(user):
        return registry.SampledCase.objects.none()
    is_auditor = Exists(registry.RoundAuditor.objects.filter(audit_round_id=OuterRef("audit_round_id"), user_id=user.pk))
    readable = Q(case_visible(user))
    return registry.SampledCase.objects.filter(is_auditor, _round_open_now(), readable)


def _round_open_now():
    """The row's `audit_round` is in progress and its last day has not passed."""
    return Q(audit_round__status=AUDIT_ROUND_IN_PROGRESS, audit_round__ends_on__gte=timezone.localdate())


def is_auditing(user):
    """Whether the user has a sampled case to audit now (the menu shows "Case audits").

    Asked on every page: first whether the user audits any round in progress at all (a short indexed
    query), and only then which of its sampled cases they may read now.
    """
    if not can_be_auditor(user):
        return False
    return registry.RoundAuditor.objects.filter(_round_open_now(), user_id=user.pk).exists() and sampled_cases_visible_to(user).exists()


def access_sampled_case(user, sampled_case_id, *, moderate=False, request=None):
    """A sampled case for its round's auditor (404 for anyone else, before the round starts and after it closes);
    with `moderate=True`, 403 unless the user is the round's moderator. An allowed read writes one VIEW row naming the child."""
    sampled = sampled_cases_visible_to(user).select_related("audit_round__question_set", "case__child", "case__lead_agency").filter(pk=sampled_case_id).first()
    if sampled is None:
        _deny_not_found(user, request, "audit_case", sampled_case_id, "sampled case not open to this user for audit")
    if moderate and sampled.audit_round.moderator_id != user.pk:
        _deny_forbidden(user, request, "audit_case", sampled_case_id, sampled.case.child_id, AUDIT_MODERATE_REFUSED)
    _audit_read(user, request, "audit_case", sampled.pk, sampled.case.child_id)
    return sampled


def auditor_grades_visible_to(user):
    """Grades an auditor may read: their own on the cases they audit, and, for the round's moderator, every grade of its cases.

    Auditors grade on their own first; the moderator sees every agency's grade and evidence side by side.
    """
    own = Q(auditor__user_id=user.pk) if user is not None and user.is_authenticated else Q(pk__in=[])
    moderates = Q(sampled_case__audit_round__moderator_id=getattr(user, "pk", None))
    return registry.AuditorGrade.objects.filter(sampled_case__in=sampled_cases_visible_to(user).values("pk")).filter(own | moderates)


def audit_round_grant_reason(audit_round):
    """The reason written on a round's grants; closing the round ends the grants carrying it and no others."""
    return f"Multi-agency case audit, round {audit_round.pk}: {audit_round.title}"[:300]


def _round_pairs(audit_round):
    """(auditor's user, sampled case) for every auditor and every case of the round."""
    auditors = [auditor.user for auditor in registry.RoundAuditor.objects.filter(audit_round_id=audit_round.pk).select_related("user")]
    cases = [sampled.case for sampled in registry.SampledCase.objects.filter(audit_round_id=audit_round.pk).select_related("case")]
    return [(user, case) for user in auditors for case in cases]


def _user_grant(user, case):
    return _live_grants(registry.CaseUserObjectPermission).filter(user_id=user.pk, content_object_id=case.pk).first()


def audit_round_grants_give(*, actor, audit_round, request=None):
    """Grant each auditor of the round each sampled case until the round's last day; one GRANT row per grant.

    Made by whoever starts the round (a partnership admin or a strategy member): choosing the sample
    and the auditors is the access decision, taken on the round's pages. A grant the auditor already
    holds that lasts at least as long is left as it is (and is not ended with the round); a shorter
    one is extended to the round's last day and ends with the round.
    """
    require(actor, can_run_case_audits(actor), request=request, what="audit rounds are run by partnership admins and strategy members")
    with transaction.atomic():
        return _audit_round_grants_give(actor, audit_round, request)


def _audit_round_grants_give(actor, audit_round, request):
    reason = audit_round_grant_reason(audit_round)
    made = 0
    for user, case in _round_pairs(audit_round):
        existing = _user_grant(user, case)
        if existing is not None and (existing.expires_on is None or existing.expires_on >= audit_round.ends_on):
            continue
        grant = assign_perm(VIEW_PERMISSION, user, case)
        type(grant).objects.filter(pk=grant.pk).update(reason=reason, granted_by=actor, granted_at=timezone.now(), expires_on=audit_round.ends_on)
        audit_record(
            user=actor,
            action=AuditAction.GRANT,
            object_type="case",
            object_id=case.pk,
            child_id=case.child_id,
            detail=f"to {_grantee_label(user=user)} until {audit_round.ends_on:%d %B %Y}: {reason}",
            request=request,
        )
        made += 1
    return made


def audit_round_grants_end(*, actor, audit_round, request=None):
    """End the grants the round made (those carrying its reason); one DELETE row per grant ended."""
    require(actor, can_run_case_audits(actor), request=request, what="audit rounds are run by partnership admins and strategy members")
    with transaction.atomic():
        return _audit_round_grants_end(actor, audit_round, request)


def _audit_round_grants_end(actor, audit_round, request):
    reason = audit_round_grant_reason(audit_round)
    ended = 0
    for user, case in _round_pairs(audit_round):
        grants = registry.CaseUserObjectPermission.objects.filter(user_id=user.pk, content_object_id=case.pk, reason=reason)
        if grants.delete()[0]:
            audit_record(
                user=actor,
                action=AuditAction.DELETE,
                object_type="case_grant",
                object_id=case.pk,
                child_id=case.child_id,
                detail=f"round closed: ended the grant to {_grantee_label(user=user)}",
                request=request,
            )
            ended += 1
    return ended


def feedback_responses_visible_to(user):
    """Family feedback on the cases the user may read: answers land on the case, for its team."""
    return records_visible_to(user, registry.FeedbackResponse)


def feedback_requests_visible_to(user):
    """Feedback links sent on the cases the user may read (when sent, whether answered; never the token)."""
    return records_visible_to(user, registry.FeedbackRequest)


def access_feedback_link(token_hash, *, request=None):
    """The feedback request a family's link names, if it is one we sent, unused and in date; otherwise 404.

    `token_hash` is the SHA-256 of a token whose signature the caller checked (None when it was not
    signed by us: a guess). Each answer writes one row with no user: the VIEW of a page read, or the
    DENIED of a refusal with its reason (not recognised, already used, expired). The refusal says
    the same whatever the reason, so the page reveals nothing, not even that a link existed.
    """
    link = None
    if token_hash:
        link = registry.FeedbackRequest.objects.select_related("question_set", "case").filter(token_hash=token_hash, sent_at__isnull=False).first()
    reason = None
    if link is None:
        reason = "family feedback link not recognised"
    elif link.used_at is not None:
        reason = "family feedback link already used"
    elif link.expires_at <= timezone.now():
        reason = "family feedback link expired"
    if reason is not None:
        audit_record(
            user=None,
            username=FAMILY_LINK_ACTOR,
            action=AuditAction.DENIED,
            object_type="feedback_request",
            object_id=link.pk if link else "",
            child_id=link.case.child_id if link else None,
            detail=reason,
            request=request,
        )
        raise Http404("This link cannot be used.")
    if request is None or request.method in READ_METHODS:
        # No child on this row: the page shows nothing about the child or the case (and so a busy week of
        # families answering is not an over-access alert); the answers, when sent, are a row naming the child.
        audit_record(
            user=None,
            username=FAMILY_LINK_ACTOR,
            action=AuditAction.VIEW,
            object_type="feedback_request",
            object_id=link.pk,
            detail="family feedback page opened",
            request=request,
        )
    return link


def household_entries_counted_for(user, family_ids):
    """Chronology entries of the children living in these households that count towards a family-wide pattern for `user`.

    A family-wide flag shows on each sibling's case to those who may see that case (drift/rules.py,
    `family_concerns`), so it is counted over the whole household, including children whose
    record the user may not see: that is the dot nobody joined (issue 14). It names only what the
    user may see: the pattern narrows its wording and evidence with `chronology_entries_visible_to`.
    Restricted entries count only when the user may read them, so the flag never hints at one.
    Callers pass households of children the user sees.
    """
    if not can_see_case_work(user):
        return registry.ChronologyEntry.objects.none()
    readable = restricted_entry_readable(user)
    counted = Q(restricted=False) if readable is None else Q(restricted=False) | readable
    return registry.ChronologyEntry.objects.filter(child__family_id__in=family_ids).filter(counted)


# --- Chronology PDFs prepared in the background (issue 18, chronologies/pdf_exports.py) ----------------


def access_chronology_export(user, export_id, *, request=None):
    """A chronology PDF prepared by a job: only for the user who asked, and only while they may still see the child.

    The child's visibility is checked again each time the export's page or file is read (access
    may have changed since the PDF was asked for): 404, audited, as for the child itself. Reading
    the page writes no audit row of its own; downloading the file writes the EXPORT.
    """
    export = apps.get_model("chronologies.ChronologyExport").objects.filter(pk=export_id, requested_by_id=getattr(user, "pk", None)).first()
    if export is None or membership_of(user) is None:
        _deny_not_found(user, request, "chronology_export", export_id, "not an export this user asked for")
    child_for_export(user=user, child_id=export.child_id, request=request)
    return export
