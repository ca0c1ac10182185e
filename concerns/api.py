"""Concern endpoints of the REST API. Same rules as the pages, through the same access layer.

Recording a concern (`concerns/`) and a case's concerns (`cases/<id>/concerns/`, the address and name
it had as a sub-route of the case endpoints). Writes call the same services as the pages.
"""

from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema
from rest_framework import generics, mixins, serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from agencies import access
from cases import selectors as case_selectors
from cases.api import ChildIdentifiersSerializer
from cases.models import Threshold
from neglect_portal.api import StrictWriteMixin
from sharing.models import FamilyInformed, LawfulBasis, SharingCondition
from sharing.services import SharingDetails

from . import services
from .models import Concern, NeglectType


class ConcernForTheLeadSerializer(serializers.Serializer):
    """The answer to a concern recorded by `child_identifiers`: the same whatever the register holds.

    A reference (the concern's id) and what happens next; never the child, the case, or whether the
    details matched anyone (issue 22, finding 4).
    """

    reference = serializers.IntegerField(help_text="The recorded concern's id, to quote when asking about it.")
    detail = serializers.CharField()


class ConcernSerializer(StrictWriteMixin, serializers.ModelSerializer):
    child = serializers.IntegerField(required=False, write_only=True, help_text="Id of a child you can already see.")
    child_identifiers = ChildIdentifiersSerializer(required=False, write_only=True)
    neglect_types = serializers.ListField(
        child=serializers.ChoiceField(choices=NeglectType.values),
        required=False,
        default=list,
        help_text="At least one, unless suggested_threshold is universal or universal_plus: then none records the concern as needs not met.",
    )
    needs_not_met = serializers.BooleanField(source="is_needs_not_met", read_only=True, help_text="Recorded at a universal level without a type of neglect.")
    agency = serializers.CharField(source="agency.name", read_only=True)
    case = serializers.IntegerField(source="case_id", read_only=True)
    suggested_threshold = serializers.ChoiceField(choices=Threshold.values, required=False, allow_blank=True, default="")
    # The information-sharing decision (sharing/services.py): required, and not echoed back.
    sharing_reason = serializers.CharField(
        write_only=True, error_messages={"required": "Say why you are sharing this information", "blank": "Say why you are sharing this information"}
    )
    lawful_basis = serializers.ChoiceField(choices=LawfulBasis.choices, write_only=True, error_messages={"required": "Choose the lawful basis for sharing"})
    sharing_condition = serializers.ChoiceField(
        choices=SharingCondition.choices, write_only=True, error_messages={"required": "Choose the condition for sharing special category data"}
    )
    family_informed = serializers.ChoiceField(
        choices=[FamilyInformed.YES, FamilyInformed.NO], write_only=True, error_messages={"required": "Say whether the family knows this is being shared"}
    )
    not_informed_reason = serializers.CharField(write_only=True, required=False, allow_blank=True, default="")
    # Issue 14: a request for support from the front door in the same step, and who the concern reached.
    ask_front_door = serializers.BooleanField(write_only=True, required=False, default=False)
    support_reason = serializers.CharField(write_only=True, required=False, allow_blank=True, default="")
    delivered_to = serializers.SerializerMethodField(help_text="Who was told of the concern, in words.")

    class Meta:
        model = Concern
        fields = [
            "id",
            "case",
            "child",
            "child_identifiers",
            "observed_on",
            "neglect_types",
            "needs_not_met",
            "description",
            "impact_on_child",
            "action_taken",
            "suggested_threshold",
            "agency",
            "is_adolescent_concern",
            "created_at",
            "sharing_reason",
            "lawful_basis",
            "sharing_condition",
            "family_informed",
            "not_informed_reason",
            "ask_front_door",
            "support_reason",
            "delivered_to",
        ]
        read_only_fields = ["is_adolescent_concern", "created_at"]
        extra_kwargs = {"action_taken": {"required": False, "allow_blank": True}}

    def get_delivered_to(self, concern) -> list[str]:
        return list(getattr(concern, "delivered_to", None) or [])

    def validate(self, data):
        if ("child" in data) == ("child_identifiers" in data):
            raise ValidationError({"child": "Give either child (an id you can see) or child_identifiers, not both."})
        if data.get("family_informed") == FamilyInformed.NO and not data.get("not_informed_reason", "").strip():
            raise ValidationError({"not_informed_reason": "Say why the family has not been told"})
        if data.get("ask_front_door") and not data.get("support_reason", "").strip():
            raise ValidationError({"support_reason": "Say what support you are asking the front door for"})
        return data

    def sharing_details(self):
        data = self.validated_data
        return SharingDetails(
            reason=data["sharing_reason"],
            lawful_basis=data["lawful_basis"],
            condition=data["sharing_condition"],
            family_informed=data["family_informed"],
            not_informed_reason=data.get("not_informed_reason", ""),
        )


class ConcernViewSet(mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Record a concern about a child you can see (`child`) or any child found by exact `child_identifiers`."""

    permission_classes = [access.HasActiveMembership]
    serializer_class = ConcernSerializer

    def get_queryset(self):
        return access.records_visible_to(self.request.user, Concern)

    @extend_schema(
        responses={
            201: PolymorphicProxySerializer(
                component_name="ConcernRecorded",
                serializers=[ConcernSerializer, ConcernForTheLeadSerializer],
                resource_type_field_name=None,
            )
        }
    )
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        arguments = {
            key: data.get(key, "") for key in ("observed_on", "neglect_types", "description", "impact_on_child", "action_taken", "suggested_threshold")
        }
        arguments["sharing"] = serializer.sharing_details()
        arguments["ask_front_door"], arguments["support_reason"] = data.get("ask_front_door", False), data.get("support_reason", "")
        if "child" in data:
            case = self._case_for_concern(data["child"])
            concern = services.concern_record(actor=request.user, case=case, request=request._request, **arguments)
        else:
            identifiers = case_selectors.ChildIdentifiers(**data["child_identifiers"])
            recorded = services.concern_record_for_identifiers(actor=request.user, identifiers=identifiers, request=request._request, **arguments)
            # The same answer whatever the register holds (issue 22, finding 4): a reference, no child, no case.
            answer = {"reference": recorded.concern_id, "detail": services.CONCERN_FOR_THE_LEAD}
            return Response(ConcernForTheLeadSerializer(answer).data, status=status.HTTP_201_CREATED)
        return Response(ConcernSerializer(concern).data, status=status.HTTP_201_CREATED)

    def _case_for_concern(self, child_id):
        child = access.access_child(self.request.user, child_id, action="contribute", request=self.request._request)
        case = case_selectors.case_for_new_concern(user=self.request.user, child=child)
        if case is None:
            raise ValidationError({"child": "This child has no case you can see. Record the concern with child_identifiers instead."})
        return case


class CaseConcernsView(generics.GenericAPIView):
    """The case's concerns, newest first."""

    permission_classes = [access.HasActiveMembership]
    serializer_class = ConcernSerializer
    pagination_class = None

    @extend_schema(responses=ConcernSerializer(many=True))
    def get(self, request, pk):
        case = access.access_case(request.user, pk, action="view", request=request._request)
        return Response(ConcernSerializer(case.concerns.select_related("agency").order_by("-created_at", "-pk"), many=True).data)
