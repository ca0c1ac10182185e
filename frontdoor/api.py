"""The front door in the REST API (issue 14). Same rules and services as the pages.

    GET  /api/v1/front-door/items/                  ?status=open|decided|all &overdue=1 &kind=<kind>
    GET  /api/v1/front-door/items/{id}/
    POST /api/v1/front-door/items/{id}/decision/    {"outcome", "threshold", "reasons", "early_help_lead"}

The list is the front door's (403 for anyone else, audited); an item is read through
`access.access_front_door_item` (404 for anyone else, audited), and deciding calls
`services.front_door_decide`, which tells the referrer and writes the chronology.
"""

from django.contrib.auth import get_user_model
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from agencies import access
from audit.models import AuditAction
from audit.services import audit_record, audit_record_children_listed
from cases.models import Threshold
from neglect_portal.api import StrictWriteMixin

from . import selectors, services
from .models import FrontDoorDecision, FrontDoorItem, ItemKind, Outcome


class DecisionSerializer(serializers.ModelSerializer):
    decided_by = serializers.CharField(source="decided_by.username", read_only=True)
    early_help_lead = serializers.CharField(source="early_help_lead.username", default=None, read_only=True)

    class Meta:
        model = FrontDoorDecision
        fields = ["outcome", "threshold", "reasons", "early_help_lead", "decided_by", "decided_on"]


class ItemSerializer(serializers.ModelSerializer):
    case = serializers.IntegerField(source="case_id", allow_null=True, read_only=True)
    child = serializers.SerializerMethodField()
    family = serializers.IntegerField(source="family_id", allow_null=True, read_only=True)
    household_concern = serializers.IntegerField(source="household_concern_id", allow_null=True, read_only=True)
    referring_agency = serializers.CharField(source="referring_agency.name", default=None, read_only=True)
    late = serializers.SerializerMethodField()
    decision = serializers.SerializerMethodField()

    class Meta:
        model = FrontDoorItem
        fields = [
            "id",
            "kind",
            "status",
            "case",
            "child",
            "family",
            "household_concern",
            "flag_code",
            "detail",
            "referring_agency",
            "received_on",
            "due_on",
            "late",
            "decision",
        ]

    def get_child(self, item) -> str | None:
        return str(item.case.child) if item.case_id else None

    def get_late(self, item) -> bool:
        return item.is_late(timezone.localdate())

    def get_decision(self, item) -> dict | None:
        decision = getattr(item, "decision", None) if item.status == "decided" else None
        return DecisionSerializer(decision).data if decision else None


class FrontDoorDecisionInputSerializer(StrictWriteMixin, serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    threshold = serializers.ChoiceField(choices=Threshold.choices)
    reasons = serializers.CharField()
    early_help_lead = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1, max_value=2**31 - 1, help_text="User id; needed for early_help."
    )


class FrontDoorItemViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [access.HasActiveMembership]
    serializer_class = ItemSerializer
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        return access.front_door_items_visible_to(self.request.user)

    @extend_schema(
        parameters=[
            OpenApiParameter("status", OpenApiTypes.STR, enum=["open", "decided", "all"]),
            OpenApiParameter("overdue", OpenApiTypes.BOOL),
            OpenApiParameter("kind", OpenApiTypes.STR, enum=ItemKind.values),
        ]
    )
    def list(self, request, *args, **kwargs):
        access.require(
            request.user,
            access.is_front_door(request.user),
            request=request,
            what="front-door queue",
            reason="The front-door queue is for children's social care's front door.",
        )
        filters = selectors.QueueFilters.from_query(request.query_params)
        rows = selectors.front_door_queue(user=request.user, filters=filters)
        audit_record(user=request.user, action=AuditAction.VIEW, object_type="front_door_queue", detail=f"API, {len(rows)} items", request=request)
        audit_record_children_listed(
            user=request.user, child_ids=[row.item.case.child_id for row in rows if row.item.case_id], detail="front-door queue", request=request
        )
        return Response(ItemSerializer([row.item for row in rows], many=True).data)

    def retrieve(self, request, *args, **kwargs):
        item = access.access_front_door_item(request.user, self.kwargs["pk"], request=request._request)
        return Response(ItemSerializer(item).data)

    @extend_schema(request=FrontDoorDecisionInputSerializer, responses={201: ItemSerializer})
    @action(detail=True, methods=["post"], url_path="decision", url_name="decision")
    def decision(self, request, pk=None):
        item = access.access_front_door_item(request.user, pk, request=request._request)
        serializer = FrontDoorDecisionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        lead = None
        if data["early_help_lead"] is not None:
            lead = get_user_model().objects.filter(pk=data["early_help_lead"], is_active=True).first()
            if lead is None:
                raise serializers.ValidationError({"early_help_lead": "Choose an active practitioner, manager or designated safeguarding lead"})
        services.front_door_decide(
            actor=request.user,
            item=item,
            outcome=data["outcome"],
            threshold=data["threshold"],
            reasons=data["reasons"],
            early_help_lead=lead,
            request=request._request,
        )
        item.refresh_from_db()
        return Response(ItemSerializer(item).data, status=status.HTTP_201_CREATED)
