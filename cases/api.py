"""Case-work endpoints of the REST API. Same rules as the pages, through the same access layer.

Querysets start from `agencies.access`; object reads go through `access_case` / `access_child`
(404 when not visible, audited); writes call the same services as the pages, so a rule broken
through the API answers 400 with the same field messages.
"""
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from agencies import access
from audit.models import AuditAction
from audit.services import audit_record

from . import selectors, services
from .models import Case, Child, ChildVoice, Concern, NeglectType, Oversight, Plan, PlanAction, TeamMembership, Threshold


def _raise_as_400(error: DjangoValidationError):
    """A service's field-keyed ValidationError becomes DRF's 400 with the same keys."""
    if not hasattr(error, "error_dict"):
        raise ValidationError({"non_field_errors": error.messages})
    raise ValidationError({("non_field_errors" if field == NON_FIELD_ERRORS else field): messages for field, messages in error.message_dict.items()})


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


class ChildSerializer(serializers.ModelSerializer):
    """Create or read a child. Creating opens a case led by the caller's agency, so they can see it."""

    family = serializers.IntegerField(required=False, allow_null=True, write_only=True)
    # Plain text here: the service normalises spaces and checks the check digit or letter.
    nhs_number = serializers.CharField(required=False, allow_blank=True, max_length=16, default="")
    upn = serializers.CharField(required=False, allow_blank=True, max_length=16, default="")
    age = serializers.IntegerField(read_only=True)
    is_adolescent = serializers.BooleanField(read_only=True)

    class Meta:
        model = Child
        fields = ["id", "given_name", "family_name", "preferred_name", "date_of_birth", "is_unborn", "sex", "nhs_number", "upn", "family", "age", "is_adolescent"]


class ChildIdentifiersSerializer(serializers.Serializer):
    given_name = serializers.CharField(required=False, allow_blank=True, default="")
    family_name = serializers.CharField(required=False, allow_blank=True, default="")
    date_of_birth = serializers.DateField(required=False, allow_null=True, default=None)
    nhs_number = serializers.CharField(required=False, allow_blank=True, default="")
    upn = serializers.CharField(required=False, allow_blank=True, default="")


class ConcernSerializer(serializers.ModelSerializer):
    child = serializers.IntegerField(required=False, write_only=True, help_text="Id of a child you can already see.")
    child_identifiers = ChildIdentifiersSerializer(required=False, write_only=True)
    neglect_types = serializers.ListField(child=serializers.ChoiceField(choices=NeglectType.values), allow_empty=False)
    agency = serializers.CharField(source="agency.name", read_only=True)
    case = serializers.IntegerField(source="case_id", read_only=True)
    suggested_threshold = serializers.ChoiceField(choices=Threshold.values, required=False, allow_blank=True, default="")

    class Meta:
        model = Concern
        fields = ["id", "case", "child", "child_identifiers", "observed_on", "neglect_types", "description", "impact_on_child",
                  "action_taken", "suggested_threshold", "agency", "is_adolescent_concern", "created_at"]
        read_only_fields = ["is_adolescent_concern", "created_at"]
        extra_kwargs = {"action_taken": {"required": False, "allow_blank": True}}

    def validate(self, data):
        if ("child" in data) == ("child_identifiers" in data):
            raise ValidationError({"child": "Give either child (an id you can see) or child_identifiers, not both."})
        return data


class PlanActionSerializer(serializers.ModelSerializer):
    owner_agency = serializers.CharField(source="owner_agency.name", read_only=True)
    overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = PlanAction
        fields = ["id", "what", "outcome_for_child", "owner_agency", "due_on", "status", "evidence", "overdue"]


class PlanSerializer(serializers.ModelSerializer):
    is_repeat = serializers.BooleanField(read_only=True)
    actions = PlanActionSerializer(many=True, read_only=True)

    class Meta:
        model = Plan
        fields = ["id", "kind", "cp_category", "cin_category_code", "started_on", "ended_on", "end_reason", "is_repeat", "actions"]


class OversightSerializer(serializers.ModelSerializer):
    manager = serializers.CharField(source="manager.get_full_name", read_only=True)

    class Meta:
        model = Oversight
        fields = ["id", "recorded_on", "manager", "decision", "reasons", "next_review_on"]


class ChildVoiceSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.name", read_only=True)

    class Meta:
        model = ChildVoice
        fields = ["id", "recorded_on", "speaker", "what_was_said", "how_they_feel", "method", "agency"]


class CaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Cases the caller may see. `?child=ID` narrows to one child. Sub-lists: plans, oversight, voice, concerns."""

    permission_classes = [access.HasActiveMembership]
    serializer_class = CaseSerializer

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
        audit_record(user=request.user, action=AuditAction.VIEW, object_type="case_list", detail=f"api {request.query_params.urlencode()}", request=request._request)
        return response

    def _sub_list(self, serializer_class, rows):
        return Response(serializer_class(rows, many=True).data)

    @extend_schema(responses=PlanSerializer(many=True))
    @action(detail=True)
    def plans(self, request, pk=None):
        case = self.get_object()
        page = selectors.case_page(user=request.user, case=case)
        return self._sub_list(PlanSerializer, page.plans)

    @extend_schema(responses=OversightSerializer(many=True))
    @action(detail=True)
    def oversight(self, request, pk=None):
        case = self.get_object()
        return self._sub_list(OversightSerializer, case.oversights.select_related("manager").order_by("-recorded_on", "-pk"))

    @extend_schema(responses=ChildVoiceSerializer(many=True))
    @action(detail=True)
    def voice(self, request, pk=None):
        case = self.get_object()
        return self._sub_list(ChildVoiceSerializer, case.voices.select_related("agency").order_by("-recorded_on", "-pk"))

    @extend_schema(responses=ConcernSerializer(many=True))
    @action(detail=True)
    def concerns(self, request, pk=None):
        case = self.get_object()
        return self._sub_list(ConcernSerializer, case.concerns.select_related("agency").order_by("-created_at", "-pk"))


class ChildViewSet(mixins.CreateModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [access.HasActiveMembership]
    serializer_class = ChildSerializer

    def get_queryset(self):
        return access.children_visible_to(self.request.user)

    def get_object(self):
        return access.access_child(self.request.user, self.kwargs["pk"], action="view", request=self.request._request)

    def perform_create(self, serializer):
        user = self.request.user
        if not access.can_see_case_work(user):
            raise PermissionDenied("Only practitioners, managers and designated safeguarding leads record children.")
        data = dict(serializer.validated_data)
        family_id = data.pop("family", None)
        family = access.access_family(user, family_id, request=self.request._request) if family_id else None
        try:
            serializer.instance = services.child_register(actor=user, family=family, request=self.request._request, **data)
        except DjangoValidationError as error:
            _raise_as_400(error)


class ConcernViewSet(mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Record a concern about a child you can see (`child`) or any child found by exact `child_identifiers`."""

    permission_classes = [access.HasActiveMembership]
    serializer_class = ConcernSerializer

    def get_queryset(self):
        return access.records_visible_to(self.request.user, Concern)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        arguments = {key: data.get(key, "") for key in ("observed_on", "neglect_types", "description", "impact_on_child", "action_taken", "suggested_threshold")}
        try:
            if "child" in data:
                case = self._open_case_of(data["child"])
                concern = services.concern_record(actor=request.user, case=case, request=request._request, **arguments)
            else:
                identifiers = selectors.ChildIdentifiers(**data["child_identifiers"])
                recorded = services.concern_record_for_identifiers(actor=request.user, identifiers=identifiers, request=request._request, **arguments)
                concern = access.access_case_record(request.user, Concern, recorded.concern_id, action="contribute", request=request._request)
        except DjangoValidationError as error:
            _raise_as_400(error)
        return Response(ConcernSerializer(concern).data, status=status.HTTP_201_CREATED)

    def _open_case_of(self, child_id):
        child = access.access_child(self.request.user, child_id, action="contribute", request=self.request._request)
        case = selectors.open_case_of(user=self.request.user, child=child)
        if case is None:
            raise ValidationError({"child": "This child has no open case you can see. Record the concern with child_identifiers to open one."})
        return case

