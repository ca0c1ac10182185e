"""Action-plan endpoints of the REST API: the same rules as the pages, through `agencies.access`.

Strategy members and partnership admins read every plan with each row's current RAG and its
history; a strategy member adds quarterly updates to their own agency's rows (admins to any).
Bad input answers 400 with field errors; a `version` that is no longer the row's answers 409 with
the current one (`current_version`), so a client re-reads before overwriting someone else's update
(both through neglect_portal/api.py's exception handler).
"""

from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_serializer
from rest_framework import permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from agencies import access
from neglect_portal.api import StrictWriteMixin

from . import selectors, services
from .models import ActionPlan, ActionPlanRow, ActionPlanUpdate, Rag


class CanReadActionPlans(permissions.BasePermission):
    message = "Only strategy members and partnership admins read the action plans."

    def has_permission(self, request, view):
        return access.can_read_action_plans(request.user)


class UpdateSerializer(serializers.ModelSerializer):
    recorded_by = serializers.CharField(source="recorded_by.username", read_only=True)

    class Meta:
        model = ActionPlanUpdate
        fields = ["id", "quarter", "rag", "progress", "recorded_by", "recorded_at"]


class RowSerializer(serializers.ModelSerializer):
    current_rag = serializers.CharField(allow_null=True)
    current_quarter = serializers.CharField(allow_null=True)
    current_progress = serializers.CharField(allow_null=True)
    history = UpdateSerializer(source="updates", many=True, read_only=True)

    class Meta:
        model = ActionPlanRow
        fields = [
            "id",
            "plan",
            "objective",
            "action",
            "input",
            "desired_outcome",
            "lead",
            "timescale",
            "version",
            "current_rag",
            "current_quarter",
            "current_progress",
            "history",
        ]


@extend_schema_serializer(component_name="ActionPlan")  # "Plan" is the case plan (cases/api.py)
class PlanSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.name", allow_null=True, default=None)
    title = serializers.CharField()
    is_overarching = serializers.BooleanField()
    counts = serializers.SerializerMethodField()

    class Meta:
        model = ActionPlan
        fields = ["id", "agency", "title", "is_overarching", "counts"]

    def get_counts(self, plan) -> dict:
        return {rag: getattr(plan, f"{rag}_rows", 0) for rag in Rag.values}


class PlanDetailSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.name", allow_null=True, default=None)
    title = serializers.CharField()
    is_overarching = serializers.BooleanField()
    rows = serializers.SerializerMethodField()

    class Meta:
        model = ActionPlan
        fields = ["id", "agency", "title", "is_overarching", "rows"]

    @extend_schema_field(RowSerializer(many=True))
    def get_rows(self, plan) -> list:
        return RowSerializer(selectors.plan_rows(plan=plan), many=True).data


class UpdateInputSerializer(StrictWriteMixin, serializers.Serializer):
    quarter = serializers.CharField(max_length=10, help_text="Financial-year quarter the update reports on, e.g. 2025-26-Q3.")
    rag = serializers.ChoiceField(choices=Rag.choices)
    progress = serializers.CharField(max_length=10_000)
    version = serializers.IntegerField(min_value=1, help_text="The row's version when you read it (409 when someone has changed it since).")


def _row_with_status(row_id):
    return selectors.with_current_status(ActionPlanRow.objects.filter(pk=row_id)).prefetch_related("updates__recorded_by").get()


class PlanListView(APIView):
    """Every started plan with its rows' current RAG counts."""

    permission_classes = [access.HasActiveMembership, CanReadActionPlans]

    @extend_schema(responses=PlanSerializer(many=True))
    def get(self, request):
        return Response(PlanSerializer(selectors.plans_with_counts(), many=True).data)


class PlanDetailView(APIView):
    """One plan with its rows, each with its current status and its whole history (newest first)."""

    permission_classes = [access.HasActiveMembership, CanReadActionPlans]

    @extend_schema(responses=PlanDetailSerializer)
    def get(self, request, plan_id):
        plan = access.access_action_plan(request.user, plan_id, request=request._request)
        return Response(PlanDetailSerializer(plan).data)


class RowDetailView(APIView):
    """One row with its current status and history."""

    permission_classes = [access.HasActiveMembership, CanReadActionPlans]

    @extend_schema(responses=RowSerializer)
    def get(self, request, row_id):
        row = access.access_action_plan_row(request.user, row_id, request=request._request)
        return Response(RowSerializer(_row_with_status(row.pk)).data)


class RowUpdateView(APIView):
    """Record a quarterly update of a row: 201 with the row as it is now (its new version)."""

    permission_classes = [access.HasActiveMembership, CanReadActionPlans]

    @extend_schema(request=UpdateInputSerializer, responses={201: RowSerializer})
    def post(self, request, row_id):
        row = access.access_action_plan_row(request.user, row_id, edit=True, request=request._request)
        payload = UpdateInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        services.action_plan_update_record(
            actor=request.user, row=row, version=data["version"], quarter=data["quarter"], rag=data["rag"], progress=data["progress"], request=request._request
        )
        return Response(RowSerializer(_row_with_status(row.pk)).data, status=status.HTTP_201_CREATED)
