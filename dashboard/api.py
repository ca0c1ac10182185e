"""Dashboard endpoints of the REST API: strategy members and partnership admins, as the pages.

A quarter that is not `YYYY-YY-Qn`, or has not started, answers 400 with the reason; signing off a
quarter also needs it to have ended. The PDF download writes one EXPORT audit row.
"""
from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from agencies import access
from audit.models import AuditAction
from audit.services import audit_record

from .quarters import BadQuarter, reported_quarter
from .selectors import quarter_measures, snapshot_pdf
from .services import snapshot_request


class CanSeeDashboard(permissions.BasePermission):
    message = "Only strategy members and partnership admins see the dashboard."

    def has_permission(self, request, view):
        return access.can_see_dashboard(request.user)


class CanManagePartnership(permissions.BasePermission):
    message = "Only partnership admins recompute the dashboard."

    def has_permission(self, request, view):
        return access.can_manage_partnership(request.user)


def _quarter(name, *, ended=False):
    try:
        return reported_quarter(name, today=timezone.localdate(), ended=ended)
    except BadQuarter as error:
        raise exceptions.ParseError(str(error)) from error


class QuarterMeasuresView(APIView):
    """The quarter's measures, key -> value: the signed-off snapshot's, or computed now when there is none."""

    permission_classes = [access.HasActiveMembership, CanSeeDashboard]

    @extend_schema(responses={200: inline_serializer("QuarterMeasures", {"quarter": serializers.CharField(), "measures": serializers.DictField()})})
    def get(self, request, quarter):
        parsed = _quarter(quarter)
        return Response({"quarter": parsed.name, "measures": quarter_measures(quarter=parsed)})


class QuarterSnapshotView(APIView):
    """Queue the quarter's snapshot (figures and PDF, computed in the background): 202."""

    permission_classes = [access.HasActiveMembership, CanManagePartnership]

    @extend_schema(request=None, responses={202: inline_serializer("SnapshotQueued", {"quarter": serializers.CharField(), "status": serializers.CharField()})})
    def post(self, request, quarter):
        parsed = _quarter(quarter, ended=True)
        snapshot = snapshot_request(quarter=parsed, requested_by=request.user, request=request._request)
        return Response({"quarter": parsed.name, "status": snapshot.status}, status=status.HTTP_202_ACCEPTED)


class QuarterPdfView(APIView):
    """The signed-off PDF of the quarter; 404 until its snapshot has been computed."""

    permission_classes = [access.HasActiveMembership, CanSeeDashboard]

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    def get(self, request, quarter):
        parsed = _quarter(quarter)
        pdf = snapshot_pdf(quarter=parsed)
        if pdf is None:
            raise exceptions.NotFound(f"There is no signed-off PDF for {parsed.name} yet: a partnership admin queues its snapshot.")
        audit_record(user=request.user, action=AuditAction.EXPORT, object_type="dashboard", object_id=parsed.name, detail="PDF (API)", request=request._request)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="neglect-dashboard-{parsed.name}.pdf"'
        return response
