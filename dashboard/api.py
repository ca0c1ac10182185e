"""Dashboard endpoints of the REST API: strategy members and partnership admins, as the pages.

A quarter that is not `YYYY-YY-Qn`, or has not started, answers 400 with the reason; signing off a
quarter also needs it to have ended. The PDF download writes one EXPORT audit row.
"""

from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from agencies import access
from audit.models import AuditAction
from audit.services import audit_record
from neglect_portal.api import StrictWriteMixin
from neglect_portal.csv_export import csv_text
from neglect_portal.quarters import BadQuarter, reported_quarter

from . import services
from .exports import quarter_csv_rows, quarter_pdf
from .measures import THEMES
from .selectors import catalogue, current_targets, dashboard_setup, measure_sets, quarter_measures, quarter_report, snapshot_pdf, target_history, target_words
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


def _for_publication(request):
    """`?publication=1`: the version for publication (dashboard/disclosure.py)."""
    return request.query_params.get("publication") in ("1", "true")


class QuarterPdfView(APIView):
    """The signed-off PDF of the quarter (404 until its snapshot has been computed); `?publication=1` the version for publication, rendered now."""

    permission_classes = [access.HasActiveMembership, CanSeeDashboard]

    @extend_schema(
        parameters=[OpenApiParameter("publication", OpenApiTypes.BOOL, description="1 for the version for publication")],
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
    )
    def get(self, request, quarter):
        parsed = _quarter(quarter)
        if _for_publication(request):
            pdf = quarter_pdf(quarter=parsed, for_publication=True)
            audit_record(
                user=request.user,
                action=AuditAction.EXPORT,
                object_type="dashboard",
                object_id=parsed.name,
                detail="PDF for publication (API)",
                request=request._request,
            )
            response = HttpResponse(pdf, content_type="application/pdf")
            response["Content-Disposition"] = f'attachment; filename="neglect-dashboard-{parsed.name}-for-publication.pdf"'
            return response
        pdf = snapshot_pdf(quarter=parsed)
        if pdf is None:
            raise exceptions.NotFound(f"There is no signed-off PDF for {parsed.name} yet: a partnership admin queues its snapshot.")
        audit_record(user=request.user, action=AuditAction.EXPORT, object_type="dashboard", object_id=parsed.name, detail="PDF (API)", request=request._request)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="neglect-dashboard-{parsed.name}.pdf"'
        return response


class QuarterCsvView(APIView):
    """Every figure of the quarter as CSV (breakdowns, change, trend); `?publication=1` the version for publication. Audited."""

    permission_classes = [access.HasActiveMembership, CanSeeDashboard]

    @extend_schema(
        parameters=[OpenApiParameter("publication", OpenApiTypes.BOOL, description="1 for the version for publication")],
        responses={(200, "text/csv"): OpenApiTypes.STR},
    )
    def get(self, request, quarter):
        parsed = _quarter(quarter)
        for_publication = _for_publication(request)
        body = csv_text(quarter_csv_rows(quarter=parsed, for_publication=for_publication))
        audit_record(
            user=request.user,
            action=AuditAction.EXPORT,
            object_type="dashboard",
            object_id=parsed.name,
            detail="measures CSV for publication (API)" if for_publication else "measures CSV (API)",
            request=request._request,
        )
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
        suffix = "-for-publication" if for_publication else ""
        response["Content-Disposition"] = f'attachment; filename="neglect-dashboard-{parsed.name}{suffix}.csv"'
        return response


# --- The strategy group: set-up, targets, narrative and sign-off ------------------------------------


class CanSteerDashboard(permissions.BasePermission):
    message = "Only the strategy group (strategy members and partnership admins) steers the dashboard."

    def has_permission(self, request, view):
        return access.can_steer_dashboard(request.user)


class CanSignOffDashboard(permissions.BasePermission):
    message = "Only the strategy group (strategy members and partnership admins) signs a quarter off."

    def has_permission(self, request, view):
        return access.can_sign_off_dashboard(request.user)


class MeasureSetOutput(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    source = serializers.CharField()
    shipped = serializers.BooleanField()
    measures = serializers.ListField(child=serializers.DictField())


class SetupOutput(serializers.Serializer):
    measure_set = serializers.CharField()
    added_measures = serializers.ListField(child=serializers.CharField())
    board = serializers.CharField()
    version = serializers.IntegerField()


class TargetOutput(serializers.Serializer):
    measure = serializers.CharField()
    value = serializers.FloatField(allow_null=True)
    reason = serializers.CharField()
    set_by = serializers.CharField()
    set_at = serializers.DateTimeField()
    words = serializers.CharField()


class TargetsOutput(serializers.Serializer):
    targets = TargetOutput(many=True)
    history = TargetOutput(many=True)
    measures = serializers.ListField(child=serializers.DictField())


class ReportOutput(serializers.Serializer):
    quarter = serializers.CharField()
    narratives = serializers.DictField(child=serializers.CharField())
    escalations = serializers.CharField()
    version = serializers.IntegerField()
    themes = serializers.ListField(child=serializers.CharField())
    signed_off = serializers.DictField(allow_null=True)


class MeasureSetsView(APIView):
    """The measure sets (the three strategies shipped, and any the partnership added), each measure with the strategy's line."""

    permission_classes = [access.HasActiveMembership, CanSeeDashboard]

    @extend_schema(responses={200: MeasureSetOutput(many=True)})
    def get(self, request):
        return Response(
            [
                {
                    "key": s.key,
                    "name": s.name,
                    "source": s.source,
                    "shipped": s.shipped,
                    "measures": [{"key": item.measure_key, "source_line": item.source_line} for item in s.items.all()],
                }
                for s in measure_sets()
            ]
        )


class SetupInputSerializer(StrictWriteMixin, serializers.Serializer):
    version = serializers.IntegerField(min_value=1)
    measure_set = serializers.CharField(allow_blank=True, required=False, default="")
    added_measures = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    board = serializers.CharField(allow_blank=True, required=False, default="")


def _setup_body(setup):
    return {
        "measure_set": setup.measure_set.key if setup and setup.measure_set else "",
        "added_measures": setup.added_measures if setup else [],
        "board": setup.board if setup else "",
        "version": setup.version if setup else 1,
    }


class SetupView(APIView):
    """The partnership's dashboard: its chosen measure set (blank: the whole catalogue), added measures and board."""

    permission_classes = [access.HasActiveMembership, CanSteerDashboard]

    @extend_schema(responses={200: SetupOutput})
    def get(self, request):
        return Response(_setup_body(dashboard_setup()))

    @extend_schema(request=SetupInputSerializer, responses={200: SetupOutput})
    def put(self, request):
        data = SetupInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        setup = services.setup_save(
            actor=request.user,
            version=values["version"],
            measure_set_key=values["measure_set"],
            added_measures=values["added_measures"],
            board=values["board"],
            request=request._request,
        )
        return Response(_setup_body(setup))


class TargetInputSerializer(StrictWriteMixin, serializers.Serializer):
    measure = serializers.CharField()
    value = serializers.FloatField(allow_null=True)
    reason = serializers.CharField()


def _target_body(target, measure=None):
    return {
        "measure": target.measure_key,
        "value": target.value,
        "reason": target.reason,
        "set_by": target.set_by.get_username(),
        "set_at": target.set_at.isoformat(),
        "words": target_words(target),
    }


class TargetsView(APIView):
    """Each measure's target now (GET), with who set it, when and why; POST sets or removes one (`value` null), audited."""

    permission_classes = [access.HasActiveMembership, CanSteerDashboard]

    @extend_schema(responses={200: TargetsOutput})
    def get(self, request):
        return Response(
            {
                "targets": [_target_body(target) for target in current_targets().values()],
                "history": [_target_body(target) for target in target_history()],
                "measures": [{"key": m.key, "title": m.title, "unit": m.unit, "better": m.better} for m in catalogue()],
            }
        )

    @extend_schema(request=TargetInputSerializer, responses={201: TargetOutput})
    def post(self, request):
        data = TargetInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        target = services.target_set(
            actor=request.user, measure_key=values["measure"], value=values["value"], reason=values["reason"], request=request._request
        )
        return Response(_target_body(target), status=status.HTTP_201_CREATED)


class ReportInputSerializer(StrictWriteMixin, serializers.Serializer):
    version = serializers.IntegerField(min_value=1)
    narratives = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False, default=dict)
    escalations = serializers.CharField(allow_blank=True, required=False, default="")


class SignOffInputSerializer(StrictWriteMixin, serializers.Serializer):
    version = serializers.IntegerField(min_value=1)
    name = serializers.CharField()
    position = serializers.CharField(allow_blank=True, required=False, default="")


def _report_body(quarter, report):
    return {
        "quarter": quarter.name,
        "narratives": report.narratives if report else {},
        "escalations": report.escalations if report else "",
        "version": report.version if report else 1,
        "themes": list(THEMES),
        "signed_off": None
        if report is None or not report.is_signed_off
        else {
            "name": report.signed_off_name,
            "position": report.signed_off_position,
            "at": report.signed_off_at.isoformat(),
            "by": report.signed_off_by.get_username() if report.signed_off_by else "",
        },
    }


class QuarterReportView(APIView):
    """The quarter's narrative per theme and issues to escalate (GET; PUT writes them until the quarter is signed off)."""

    permission_classes = [access.HasActiveMembership, CanSteerDashboard]

    @extend_schema(responses={200: ReportOutput})
    def get(self, request, quarter):
        parsed = _quarter(quarter)
        return Response(_report_body(parsed, quarter_report(quarter=parsed)))

    @extend_schema(request=ReportInputSerializer, responses={200: ReportOutput})
    def put(self, request, quarter):
        parsed = _quarter(quarter)
        data = ReportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        report = services.report_save(
            actor=request.user,
            quarter=parsed.name,
            version=values["version"],
            narratives=values["narratives"],
            escalations=values["escalations"],
            request=request._request,
        )
        return Response(_report_body(parsed, report))


class QuarterSignOffView(APIView):
    """Sign an ended quarter off in the caller's name (`name`, `position`): the words lock and the signed PDF is queued (202)."""

    permission_classes = [access.HasActiveMembership, CanSignOffDashboard]

    @extend_schema(request=SignOffInputSerializer, responses={202: ReportOutput})
    def post(self, request, quarter):
        parsed = _quarter(quarter, ended=True)
        data = SignOffInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        report = services.quarter_sign_off(
            actor=request.user, quarter=parsed.name, version=values["version"], name=values["name"], position=values["position"], request=request._request
        )
        return Response(_report_body(parsed, report), status=status.HTTP_202_ACCEPTED)
