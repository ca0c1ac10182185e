"""Plan endpoints of the REST API, under a case's address: /cases/<id>/plans/ and /cases/<id>/actions/<id>/.

Same rules as the pages, through the same access layer (cases/api.py says how): the case comes from
`access.access_case` (404 when not visible, audited), the action is looked for among the case's own.

Field level (`cases/field_policy.py`): a PATCH that sends a field the caller may not write answers
400 naming it; the owner agency reports progress, and only the lead changes what the action is.

Concurrency: a plan action is changed with PATCH carrying the `version` the client read; a stale
version answers 409 Conflict with the record as it is now (a version field in the body rather
than ETag/If-Match, so the same rule serves the pages' hidden field and API clients).
"""

from django.utils import timezone
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from agencies import access
from cases import field_policy
from neglect_portal.api import StrictWriteMixin
from neglect_portal.concurrency import EditConflict

from . import selectors, services
from .models import Plan, PlanAction


class PlanActionSerializer(serializers.ModelSerializer):
    owner_agency = serializers.CharField(source="owner_agency.name", read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = PlanAction
        fields = ["id", "what", "outcome_for_child", "owner_agency", "due_on", "status", "evidence", "overdue", "version"]

    def get_overdue(self, plan_action) -> bool:
        """The query's annotation on lists (`with_overdue_flag`); the model's rule for a single row."""
        annotated = getattr(plan_action, "overdue", None)
        return annotated if annotated is not None else plan_action.is_overdue(timezone.localdate())


class PlanActionChangeSerializer(StrictWriteMixin, serializers.Serializer):
    """PATCH of a plan action: `version` (the one the client read) and the fields the caller may write.

    Which fields are writable comes from the field policy (`context["field_access"]`): the owner
    agency reports progress; what the action is, and when it is due, only the lead may change.
    """

    version = serializers.IntegerField(min_value=1, error_messages={"required": "Send the version of the action you read (optimistic concurrency)"})
    status = serializers.ChoiceField(choices=PlanAction._meta.get_field("status").choices, required=False)
    evidence = serializers.CharField(required=False, allow_blank=True)
    what = serializers.CharField(required=False)
    outcome_for_child = serializers.CharField(required=False)
    due_on = serializers.DateField(required=False)

    def writable_fields(self):
        """Fail closed: without a field policy in the context nothing is writable."""
        field_access = self.context.get("field_access")
        return {name for name in self.fields if field_access is not None and field_access.may_write("plan_action", name)}


class PlanSerializer(serializers.ModelSerializer):
    is_repeat = serializers.BooleanField(read_only=True)
    actions = PlanActionSerializer(many=True, read_only=True)

    class Meta:
        model = Plan
        fields = ["id", "kind", "cp_category", "cin_category_code", "started_on", "ended_on", "end_reason", "is_repeat", "actions"]


class CasePlansView(generics.GenericAPIView):
    """The case's plans, newest first, each with its actions."""

    permission_classes = [access.HasActiveMembership]
    serializer_class = PlanSerializer
    pagination_class = None

    @extend_schema(responses=PlanSerializer(many=True))
    def get(self, request, pk):
        case = access.access_case(request.user, pk, action="view", request=request._request)
        plans = selectors.plans_of_case(user=request.user, case=case, today=timezone.localdate())
        return Response(PlanSerializer(plans, many=True).data)


class CasePlanActionView(generics.GenericAPIView):
    """One action of the case's plans. PATCH with the `version` you read: 409 when someone changed it since."""

    permission_classes = [access.HasActiveMembership]
    serializer_class = PlanActionSerializer

    def get(self, request, pk, action_id):
        return Response(PlanActionSerializer(self._plan_action("view")).data)

    @extend_schema(
        request=PlanActionChangeSerializer,
        responses={
            200: PlanActionSerializer,
            409: inline_serializer("PlanActionConflict", {"detail": serializers.CharField(), "current": PlanActionSerializer()}),
        },
    )
    def patch(self, request, pk, action_id):
        plan_action = self._plan_action("contribute")
        access.require(
            request.user, access.can_update_action(request.user, plan_action), request=request._request, what="update an action your agency does not own"
        )
        serializer = PlanActionChangeSerializer(data=request.data, context={"field_access": field_policy.for_plan_action(request.user, plan_action)})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        expected_version = data.pop("version")
        status_now, evidence_now = data.pop("status", plan_action.status), data.pop("evidence", plan_action.evidence)
        try:
            updated = services.plan_action_update(
                actor=request.user,
                action=plan_action,
                status=status_now,
                evidence=evidence_now,
                expected_version=expected_version,
                request=request._request,
                **data,
            )
        except EditConflict as conflict:
            plan_action.refresh_from_db()
            conflict.current = PlanActionSerializer(plan_action).data  # the 409 shows the action as it is now
            raise
        return Response(PlanActionSerializer(updated).data)

    def _plan_action(self, case_action):
        case = access.access_case(self.request.user, self.kwargs["pk"], action=case_action, request=self.request._request)
        plan_action = selectors.plan_action_on_case(case=case, action_id=self.kwargs["action_id"])
        if plan_action is None:
            raise NotFound("No such record, or you do not have access to it.")
        return plan_action
