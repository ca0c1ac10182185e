"""Case endpoints of the REST API. Querysets start from the access layer; reads are audited there."""
from rest_framework import mixins, serializers, viewsets

from agencies import access
from audit.models import AuditAction
from audit.services import audit_record

from .models import Case, TeamMembership


class TeamMemberSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.name")

    class Meta:
        model = TeamMembership
        fields = ["agency", "since", "reason"]


class CaseSerializer(serializers.ModelSerializer):
    child = serializers.SerializerMethodField()
    lead_agency = serializers.CharField(source="lead_agency.name")

    class Meta:
        model = Case
        fields = ["id", "child", "threshold", "status", "lead_agency", "opened_on", "closed_on"]

    def get_child(self, case) -> dict:
        child = case.child
        return {"id": child.pk, "given_name": child.given_name, "family_name": child.family_name, "date_of_birth": child.date_of_birth}


class CaseDetailSerializer(CaseSerializer):
    team = TeamMemberSerializer(many=True, read_only=True)

    class Meta(CaseSerializer.Meta):
        fields = CaseSerializer.Meta.fields + ["closure_reason", "team"]


class CaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Cases the caller may see. `?child=ID` narrows to one child."""

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
        case = access.access_case(self.request.user, self.kwargs["pk"], action="view", request=self.request._request)
        self.check_object_permissions(self.request, case)
        return case

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        audit_record(user=request.user, action=AuditAction.VIEW, object_type="case_list", detail=f"api {request.query_params.urlencode()}", request=request._request)
        return response
