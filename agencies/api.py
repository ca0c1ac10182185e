"""Authentication endpoints of the REST API."""

from django.conf import settings
from django_otp import user_has_device
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle, ScopedRateThrottle
from rest_framework.views import APIView

from . import access, tokens, two_factor


class TokenRequestSerializer(AuthTokenSerializer):
    otp_token = serializers.CharField(
        label="Code", required=False, allow_blank=True, write_only=True, help_text="The current code from the account's authenticator app (or a recovery code)."
    )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if settings.TWO_FACTOR_REQUIRED:
            user = attrs["user"]
            if not user_has_device(user):
                raise serializers.ValidationError({"otp_token": "Set up two-factor authentication by signing in to the website first."})
            if two_factor.verify_code(user, attrs.get("otp_token")) is None:
                raise serializers.ValidationError({"otp_token": "Enter the current code from the authenticator app."})
        return attrs


class TokenView(APIView):
    """POST username, password and `otp_token`; get a new `{"token", "expires_at"}` for integrations. Throttled, audited.

    Every call issues a new token that expires after API_TOKEN_TTL_HOURS (agencies/tokens.py);
    an earlier key is never handed out again.
    """

    # The password and code are the credentials; the token scope and the per-IP anonymous rate apply here.
    permission_classes = [AllowAny]
    throttle_classes = [AnonRateThrottle, ScopedRateThrottle]
    throttle_scope = "token"
    serializer_class = TokenRequestSerializer

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: inline_serializer("Token", {"token": serializers.CharField(), "expires_at": serializers.DateTimeField()})},
    )
    def post(self, request, *args, **kwargs):
        serializer = TokenRequestSerializer(data=request.data, context={"request": request})
        if not serializer.is_valid():
            # django-axes refused to check the password (agencies/two_factor_lockout.py): say so.
            if getattr(request, "axes_locked_out", False):
                return Response({"detail": "Too many failed sign-in attempts. Try again later."}, status=429)
            raise serializers.ValidationError(serializer.errors)
        token, key = tokens.token_issue(user=serializer.validated_data["user"], request=request._request)
        return Response({"token": key, "expires_at": serializers.DateTimeField().to_representation(token.expires_at)})


class ApiTokenSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    key_prefix = serializers.CharField(read_only=True, help_text="The first characters of the key, to tell tokens apart.")
    created_at = serializers.DateTimeField(read_only=True)
    expires_at = serializers.DateTimeField(read_only=True)
    last_used_at = serializers.DateTimeField(read_only=True, allow_null=True)
    revoked_at = serializers.DateTimeField(read_only=True, allow_null=True)
    revoked_reason = serializers.CharField(read_only=True)


class TokenListView(APIView):
    """The caller's own API tokens, newest first (live, expired and revoked): at most the last 100.

    Revoking is done on the account page (`accounts/`), signed in with the second factor: an API
    `DELETE` is left out on purpose, so a leaked token cannot end its owner's other tokens, and the
    schemathesis run (tests/security/test_schemathesis.py) cannot revoke the token it runs with.
    """

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=ApiTokenSerializer(many=True))
    def get(self, request):
        return Response(ApiTokenSerializer(tokens.tokens_of(user=request.user)[:100], many=True).data)


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


ERROR_SCHEMA = {
    "type": "object",
    "description": "`detail` for a refusal; field name -> list of messages for invalid input.",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": True,
}
ERROR_RESPONSES = {
    "400": "Invalid input: field errors, or a query parameter the endpoint cannot use.",
    "401": "No valid token or session.",
    "403": "Signed in, but the caller's role may not do this (the access layer).",
    "404": "No such record, or one the caller may not see (existence is not revealed).",
    "429": "Too many requests (throttled per IP or per user) or sign-in locked.",
}


def add_error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: document the refusals every endpoint can answer.

    Every operation goes through authentication, the access layer and the throttles, so 401, 403,
    404 and 429 are possible everywhere, and 400 wherever there is input. An address that matches no
    route (say a non-numeric id) gets Django's HTML 404 page, hence the second media type.
    """
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for methods in result.get("paths", {}).values():
        for operation in methods.values():
            takes_input = "requestBody" in operation or operation.get("parameters")
            responses = operation.setdefault("responses", {})
            for status, description in ERROR_RESPONSES.items():
                if status == "400" and not takes_input:
                    continue
                content = {**error, "text/html": {"schema": {"type": "string"}}} if status == "404" else error
                responses.setdefault(status, {"description": description, "content": content})
    return result


def time_without_offset(result, generator, request, public):
    """drf-spectacular postprocessing hook: DRF writes times as "10:00:00", without a UTC offset.

    OpenAPI's `format: time` is RFC 3339's full-time, which needs one, so a validator refuses every
    time we send. RFC 3339 calls the offset-less form `partial-time`: say that instead.
    """

    def walk(node):
        if isinstance(node, dict):
            if node.get("format") == "time" and node.get("type") == "string":
                node["format"] = "partial-time"
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(result)
    return result
