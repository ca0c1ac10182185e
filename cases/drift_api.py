"""Drift flags in the REST API: one case's flags, and the manager queue. Same rules as the pages.

A case comes through `access_case` (404 when not visible; the read is audited there, once); the
queue is for managers and designated safeguarding leads (403 for others) and audited here, once.
"""
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from agencies import access
from audit.models import AuditAction
from audit.services import audit_record

from . import drift
from .drift_views import may_oversee


class EvidenceSerializer(serializers.Serializer):
    label = serializers.CharField()
    url = serializers.CharField()


class AcknowledgementSerializer(serializers.Serializer):
    reason = serializers.CharField()
    acknowledged_on = serializers.DateField()
    review_on = serializers.DateField()
    acknowledged_by = serializers.CharField(source="acknowledged_by.username")


class FlagSerializer(serializers.Serializer):
    code = serializers.CharField()
    severity = serializers.CharField()
    title = serializers.CharField()
    reason = serializers.CharField()
    since = serializers.DateField()
    evidence = EvidenceSerializer(many=True)
    acknowledgement = AcknowledgementSerializer(allow_null=True)


class QueueRowSerializer(serializers.Serializer):
    case_id = serializers.IntegerField(source="case.pk")
    child = serializers.CharField(source="case.child")
    lead_agency = serializers.CharField(source="case.lead_agency.name")
    locality = serializers.CharField(source="case.child.family.locality", default="")
    flags = FlagSerializer(many=True)


class CaseFlagsView(APIView):
    permission_classes = [access.HasActiveMembership]

    @extend_schema(responses=FlagSerializer(many=True))
    def get(self, request, pk):
        case = access.access_case(request.user, pk, action="view", request=request)
        return Response(FlagSerializer(drift.flags_for_case(user=request.user, case=case), many=True).data)


class DriftQueueView(APIView):
    """Query parameters as the page: `rule` (a flag code), `team` (lead agency id), `locality`."""

    permission_classes = [access.HasActiveMembership]

    @extend_schema(responses=inline_serializer("DriftQueue", {"counts": serializers.DictField(child=serializers.IntegerField()), "cases": QueueRowSerializer(many=True)}))
    def get(self, request):
        access.require(request.user, may_oversee(request.user), request=request, what="drift queue")
        code = request.query_params.get("rule", "")
        team = request.query_params.get("team", "")
        result = drift.drift_queue(
            user=request.user, code=code if code in drift.RULES else "", team=int(team) if team.isdigit() else None,
            locality=request.query_params.get("locality", ""),
        )
        audit_record(
            user=request.user, action=AuditAction.VIEW, object_type="drift_queue",
            detail=f"API: {len(result.rows)} of {result.cases_checked} cases flagged", request=request,
        )
        return Response({"counts": result.counts, "cases": QueueRowSerializer(result.rows, many=True).data})
