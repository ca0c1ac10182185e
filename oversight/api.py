"""Management oversight in the REST API: a case's oversight reviews (read only).

Same rules as the pages: the case comes through `agencies.access.access_case` (404 when not visible,
audited).
"""

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response

from agencies import access

from .models import Oversight


class OversightSerializer(serializers.ModelSerializer):
    manager = serializers.CharField(source="manager.get_full_name", read_only=True)

    class Meta:
        model = Oversight
        fields = ["id", "recorded_on", "manager", "decision", "reasons", "next_review_on"]


class CaseOversightView(generics.GenericAPIView):
    """The case's oversight reviews, newest first."""

    permission_classes = [access.HasActiveMembership]
    serializer_class = OversightSerializer
    pagination_class = None

    @extend_schema(responses=OversightSerializer(many=True))
    def get(self, request, pk):
        case = access.access_case(request.user, pk, action="view", request=request._request)
        return Response(OversightSerializer(case.oversights.select_related("manager").order_by("-recorded_on", "-pk"), many=True).data)
