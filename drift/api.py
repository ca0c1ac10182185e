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
from audit.services import audit_record, audit_record_children_listed

from . import rules as drift
from . import selectors


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
        return Response(FlagSerializer(selectors.case_flags(user=request.user, case=case), many=True).data)


class DriftQueueView(APIView):
    """Query parameters as the page: `rule` (a flag code), `team` (lead agency id), `locality`, `page`.

    One page of the queue (`selectors.PAGE_SIZE` cases, worst first); `flagged` is the number of
    cases with flags after the filters, `pages` the number of pages.
    """

    permission_classes = [access.HasActiveMembership]

    @extend_schema(
        responses=inline_serializer(
            "DriftQueue",
            {
                "counts": serializers.DictField(child=serializers.IntegerField()),
                "cases": QueueRowSerializer(many=True),
                "flagged": serializers.IntegerField(),
                "page": serializers.IntegerField(),
                "pages": serializers.IntegerField(),
            },
        )
    )
    def get(self, request):
        access.require(request.user, access.is_overseer(request.user), request=request, what="drift queue")
        code = request.query_params.get("rule", "")
        team = request.query_params.get("team", "")
        result = selectors.drift_queue_page(
            user=request.user,
            code=code if code in drift.RULES else "",
            team=int(team) if team.isdigit() else None,
            locality=request.query_params.get("locality", ""),
            page_number=request.query_params.get("page"),
        )
        audit_record(
            user=request.user,
            action=AuditAction.VIEW,
            object_type="drift_queue",
            detail=f"API: {result.flagged} of {result.cases_checked} cases flagged, page {result.page.number}",
            request=request,
        )
        audit_record_children_listed(user=request.user, child_ids=[row.case.child_id for row in result.rows], detail="drift queue (API)", request=request)
        return Response(
            {
                "counts": result.counts,
                "cases": QueueRowSerializer(result.rows, many=True).data,
                "flagged": result.flagged,
                "page": result.page.number,
                "pages": result.page.paginator.num_pages,
            }
        )
