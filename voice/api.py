"""The child's voice in the REST API: a case's recorded voices (read only).

Same rules as the pages: the case comes through `agencies.access.access_case` (404 when not visible,
audited).
"""

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response

from agencies import access

from .models import ChildVoice


class ChildVoiceSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.name", read_only=True)

    class Meta:
        model = ChildVoice
        fields = ["id", "recorded_on", "speaker", "what_was_said", "how_they_feel", "method", "agency"]


class CaseVoiceView(generics.GenericAPIView):
    """The child's voice recorded on the case, newest first."""

    permission_classes = [access.HasActiveMembership]
    serializer_class = ChildVoiceSerializer
    pagination_class = None

    @extend_schema(responses=ChildVoiceSerializer(many=True))
    def get(self, request, pk):
        case = access.access_case(request.user, pk, action="view", request=request._request)
        return Response(ChildVoiceSerializer(case.voices.select_related("agency").order_by("-recorded_on", "-pk"), many=True).data)
