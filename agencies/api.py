"""Authentication endpoints of the REST API."""
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.models import AuditAction
from audit.services import audit_record

from . import access


class TokenView(ObtainAuthToken):
    """POST username and password, get `{"token": ...}` for integrations. Throttled, audited."""

    permission_classes = [AllowAny]
    throttle_scope = "token"

    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        token, _ = Token.objects.get_or_create(user=user)
        audit_record(user=user, action=AuditAction.LOGIN, object_type="api_token", request=request._request)
        return Response({"token": token.key})


class MeView(APIView):
    """Who the caller is: their agency and role."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses=inline_serializer(
            "Me", {"username": serializers.CharField(), "agency": serializers.CharField(allow_null=True), "role": serializers.CharField(allow_null=True)}
        )
    )
    def get(self, request):
        membership = access.membership_of(request.user)
        return Response(
            {
                "username": request.user.get_username(),
                "agency": membership.agency.name if membership else None,
                "role": membership.role if membership else None,
            }
        )
