"""Case-work endpoints of the REST API. Same rules as the pages, through the same access layer.

Querysets start from `agencies.access`; object reads go through `access_case` / `access_child`
(404 when not visible, audited); writes call the same services as the pages, so a rule broken
through the API answers 400 with the same field messages (neglect_portal/api.py's exception handler).

Field level (`cases/field_policy.py`): serializers drop the fields the caller's relation to the
case may not read, and a write that sends a field the caller may not write (read-only, unknown,
or another agency's to set) answers 400 naming that field (`StrictWriteMixin`, narrowed by the
field policy); nothing sent is silently ignored.

Concurrency: a plan action is changed with PATCH carrying the `version` the client read; a stale
version answers 409 Conflict with the record as it is now (a version field in the body rather
than ETag/If-Match, so the same rule serves the pages' hidden field and API clients).
"""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from agencies import access
from audit.models import AuditAction
from audit.services import audit_record, audit_record_children_listed, query_detail
from neglect_portal.api import StrictWriteMixin
from sharing.models import SharingDecision

from . import field_policy, selectors, services
from .models import Case, Child, TeamMembership


class PolicyReadMixin:
    """Drop from the output the fields the caller may not read (`context["field_access"]`)."""

    policy_resource = ""

    def to_representation(self, instance):
        data = super().to_representation(instance)
        field_access = self.context.get("field_access")
        if field_access is None:
            raise RuntimeError(f"{type(self).__name__} needs context['field_access'] (cases.field_policy)")
        return {name: value for name, value in data.items() if field_access.may_read(self.policy_resource, name)}


class TeamMemberSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.name")

    class Meta:
        model = TeamMembership
        fields = ["agency", "since", "reason"]


class ChildSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Child
        fields = ["id", "given_name", "family_name", "date_of_birth"]


class CaseSerializer(serializers.ModelSerializer):
    child = ChildSummarySerializer(read_only=True)
    lead_agency = serializers.CharField(source="lead_agency.name")

    class Meta:
        model = Case
        fields = ["id", "child", "threshold", "status", "lead_agency", "opened_on", "closed_on"]


class CaseDetailSerializer(CaseSerializer):
    team = TeamMemberSerializer(many=True, read_only=True)

    class Meta(CaseSerializer.Meta):
        fields = CaseSerializer.Meta.fields + ["closure_reason", "team"]


class ChildSerializer(StrictWriteMixin, PolicyReadMixin, serializers.ModelSerializer):
    """Create or read a child. Creating opens a case led by the caller's agency, so they can see it."""

    family = serializers.IntegerField(required=False, allow_null=True, write_only=True)
    # Plain text here: the service normalises spaces and checks the check digit or letter.
    nhs_number = serializers.CharField(required=False, allow_blank=True, max_length=16, default="")
    upn = serializers.CharField(required=False, allow_blank=True, max_length=16, default="")
    age = serializers.IntegerField(read_only=True)
    is_adolescent = serializers.BooleanField(read_only=True)

    class Meta:
        model = Child
        fields = [
            "id",
            "given_name",
            "family_name",
            "preferred_name",
            "date_of_birth",
            "is_unborn",
            "sex",
            "gender",
            "ethnicity",
            "disability",
            "nhs_number",
            "upn",
            "family",
            "age",
            "is_adolescent",
        ]

    policy_resource = "child"


class ChildIdentifiersSerializer(StrictWriteMixin, serializers.Serializer):
    given_name = serializers.CharField(required=False, allow_blank=True, default="")
    family_name = serializers.CharField(required=False, allow_blank=True, default="")
    date_of_birth = serializers.DateField(required=False, allow_null=True, default=None)
    nhs_number = serializers.CharField(required=False, allow_blank=True, default="")
    upn = serializers.CharField(required=False, allow_blank=True, default="")


class SharingDecisionSerializer(serializers.ModelSerializer):
    """One entry of a case's disclosure log (read only: decisions are recorded by the actions that share)."""

    decided_by = serializers.CharField(source="decided_by.get_username", read_only=True, default=None, allow_null=True)
    decided_by_agency = serializers.CharField(source="decided_by_agency.name", read_only=True, default=None, allow_null=True)
    shared_with = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    concern = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = SharingDecision
        fields = [
            "id",
            "decided_at",
            "decided_by",
            "decided_by_agency",
            "shared_item",
            "concern",
            "shared_with",
            "reason",
            "lawful_basis",
            "condition",
            "family_informed",
            "not_informed_reason",
        ]


class CaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Cases the caller may see. `?child=ID` narrows to one child. Sub-list: sharing decisions (plans: plans/api.py; concerns: concerns/api.py; oversight: oversight/api.py; the child's voice: voice/api.py)."""

    permission_classes = [access.HasActiveMembership]
    serializer_class = CaseSerializer
    lookup_value_regex = "[0-9]+"  # a non-numeric id is a 404, not a 500

    def get_queryset(self):
        cases = access.cases_visible_to(self.request.user).select_related("child", "lead_agency").order_by("-opened_on", "-pk")
        child = self.request.query_params.get("child")
        if child is not None:
            cases = cases.filter(child_id=child) if child.isdigit() else cases.none()
        return cases

    def get_serializer_class(self):
        return CaseDetailSerializer if self.action == "retrieve" else CaseSerializer

    def get_object(self):
        return access.access_case(self.request.user, self.kwargs["pk"], action="view", request=self.request._request)

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        audit_record(
            user=request.user,
            action=AuditAction.VIEW,
            object_type="case_list",
            detail=f"api {query_detail(request.query_params, keep=('child', 'page'))}",
            request=request._request,
        )
        rows = response.data.get("results", []) if isinstance(response.data, dict) else response.data
        audit_record_children_listed(user=request.user, child_ids=[row["child"]["id"] for row in rows], detail="case list (API)", request=request._request)
        return response

    def _sub_list(self, serializer_class, rows):
        return Response(serializer_class(rows, many=True).data)

    @extend_schema(responses=SharingDecisionSerializer(many=True))
    @action(detail=True, url_path="sharing-decisions", url_name="sharing-decisions", pagination_class=None)
    def sharing_decisions(self, request, pk=None):
        """The case's information-sharing decisions (disclosure log), newest first."""
        case = self.get_object()
        return self._sub_list(SharingDecisionSerializer, selectors.sharing_decisions_of(case=case))


class ChildViewSet(mixins.CreateModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [access.HasActiveMembership]
    serializer_class = ChildSerializer
    lookup_value_regex = "[0-9]+"  # a non-numeric id is a 404, not a 500

    def get_queryset(self):
        return access.children_visible_to(self.request.user)

    def get_object(self):
        return access.access_child(self.request.user, self.kwargs["pk"], action="view", request=self.request._request)

    def retrieve(self, request, *args, **kwargs):
        child = self.get_object()
        context = {**self.get_serializer_context(), "field_access": field_policy.for_child(request.user, child)}
        return Response(ChildSerializer(child, context=context).data)

    # Registering answers the same whatever the register holds (issue 22, finding 4): the reply leaves
    # out the numbers given, since one already held by another child is not copied (services.child_register).
    NOT_ECHOED_ON_CREATE = ("nhs_number", "upn")

    def create(self, request, *args, **kwargs):
        response = super().create(request, *args, **kwargs)
        for name in self.NOT_ECHOED_ON_CREATE:
            response.data.pop(name, None)
        return response

    def perform_create(self, serializer):
        user = self.request.user
        access.require(
            user,
            access.can_see_case_work(user),
            request=self.request._request,
            what="register a child",
            reason="Only practitioners, managers and designated safeguarding leads record children.",
        )
        data = dict(serializer.validated_data)
        family_id = data.pop("family", None)
        family = access.access_family(user, family_id, request=self.request._request) if family_id else None
        serializer.instance = services.child_register(actor=user, family=family, request=self.request._request, **data)
        serializer.context["field_access"] = field_policy.for_child(user, serializer.instance)
