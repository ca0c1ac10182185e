"""Authentication endpoints of the REST API."""
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from django.conf import settings
from django_otp import user_has_device
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.models import AuditAction
from audit.services import audit_record

from . import access, two_factor


class TokenRequestSerializer(AuthTokenSerializer):
    otp_token = serializers.CharField(label="Code", required=False, allow_blank=True, write_only=True,
                                      help_text="The current code from the account's authenticator app (or a recovery code).")

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if settings.TWO_FACTOR_REQUIRED:
            user = attrs["user"]
            if not user_has_device(user):
                raise serializers.ValidationError({"otp_token": "Set up two-factor authentication by signing in to the website first."})
            if two_factor.verify_code(user, attrs.get("otp_token")) is None:
                raise serializers.ValidationError({"otp_token": "Enter the current code from the authenticator app."})
        return attrs


class TokenView(ObtainAuthToken):
    """POST username, password and `otp_token`; get `{"token": ...}` for integrations. Throttled, audited."""

    permission_classes = [AllowAny]
    throttle_scope = "token"
    serializer_class = TokenRequestSerializer

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
