"""Households in the REST API (issue 14): record one, read one, add a member, end a membership.

Same rules as the pages: the household comes through `access.access_family` (404 when not visible,
403 with the reason when the caller may not change it), a child to add through `access.access_child`,
and the writes call households/services.py. A household's members are only those the caller
may see (`households.selectors.household_view`).

    POST   /api/v1/families/                          {"name", "address", "postcode", "uprn", ...}
    GET    /api/v1/families/{id}/
    POST   /api/v1/families/{id}/members/             {"child": id} or {"adult": id, "relationship": ...}, with "reason"
    DELETE /api/v1/families/{id}/members/{member_id}/ {"reason"}
"""

from django.db.models import Exists, OuterRef
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from agencies import access
from cases.household_models import ADULT_RELATIONSHIPS, CHILD_RELATIONSHIPS, HouseholdAddress, HouseholdMember
from cases.models import Adult, Family
from neglect_portal.api import StrictWriteMixin

from . import selectors as household_selectors
from . import services as household_services


class HouseholdAddressSerializer(serializers.ModelSerializer):
    class Meta:
        model = HouseholdAddress
        fields = ["address", "postcode", "uprn", "moved_in_on", "moved_out_on"]


class HouseholdMemberSerializer(serializers.ModelSerializer):
    child = serializers.SerializerMethodField()
    adult = serializers.SerializerMethodField()

    class Meta:
        model = HouseholdMember
        fields = ["id", "child", "adult", "relationship", "joined_on", "left_on", "reason"]

    def get_child(self, member) -> dict | None:
        child = member.child
        return {"id": child.pk, "given_name": child.given_name, "family_name": child.family_name, "date_of_birth": child.date_of_birth} if child else None

    def get_adult(self, member) -> dict | None:
        adult = member.adult
        return {"id": adult.pk, "given_name": adult.given_name, "family_name": adult.family_name} if adult else None


class FamilySerializer(StrictWriteMixin, serializers.ModelSerializer):
    members = serializers.SerializerMethodField()
    addresses = serializers.SerializerMethodField()

    class Meta:
        model = Family
        fields = ["id", "name", "address", "postcode", "uprn", "locality", "language", "interpreter_needed", "members", "addresses"]
        read_only_fields = ["id"]
        extra_kwargs = {name: {"required": False} for name in ("address", "postcode", "uprn", "locality", "language", "interpreter_needed")}

    def validate_locality(self, value):
        from django.conf import settings

        if value and value not in settings.PARTNERSHIP_LOCALITIES:
            raise serializers.ValidationError(f"Choose one of: {', '.join(settings.PARTNERSHIP_LOCALITIES)}")
        return value

    def _view(self):
        return self.context.get("household")

    def get_members(self, family) -> list[dict]:
        view = self._view()
        return HouseholdMemberSerializer(view.members if view else [], many=True).data

    def get_addresses(self, family) -> list[dict]:
        view = self._view()
        return HouseholdAddressSerializer(view.addresses if view else [], many=True).data


class MemberAddSerializer(StrictWriteMixin, serializers.Serializer):
    child = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1, help_text="Id of a child you can see.")
    adult = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1, help_text="Id of an adult of a household you may change.")
    relationship = serializers.ChoiceField(choices=sorted(set(CHILD_RELATIONSHIPS) | set(ADULT_RELATIONSHIPS)), required=False, allow_blank=True, default="")
    reason = serializers.CharField(required=False, allow_blank=True, default="", help_text="Why they are being added (required).")
    joined_on = serializers.DateField(required=False, allow_null=True, default=None)

    def validate(self, data):
        if ("child" in data) == ("adult" in data):
            raise serializers.ValidationError({"child": "Give either child or adult, not both."})
        return data


class MemberRemoveSerializer(StrictWriteMixin, serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", help_text="Why they no longer live here (required).")
    left_on = serializers.DateField(required=False, allow_null=True, default=None)


class FamilyViewSet(mixins.CreateModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [access.HasActiveMembership]
    serializer_class = FamilySerializer
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        return access.families_visible_to(self.request.user)

    def _answer(self, family, status_code=status.HTTP_200_OK):
        view = household_selectors.household_view(user=self.request.user, family_id=family.pk)
        return Response(FamilySerializer(family, context={"household": view}).data, status=status_code)

    def retrieve(self, request, *args, **kwargs):
        family = access.access_family(request.user, self.kwargs["pk"], request=request._request)
        return self._answer(family)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = {key: value for key, value in serializer.validated_data.items() if key not in ("members", "addresses")}
        family = household_services.household_create(actor=request.user, request=request._request, **data)
        return self._answer(family, status.HTTP_201_CREATED)

    @extend_schema(request=MemberAddSerializer, responses={201: FamilySerializer})
    @action(detail=True, methods=["post"], url_path="members", url_name="members")
    def members(self, request, pk=None):
        family = access.access_family(request.user, pk, edit=True, request=request._request)
        serializer = MemberAddSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        child = adult = None
        if "child" in data:
            child = access.access_child(request.user, data["child"], action="view", request=request._request)
        else:
            adult = self._adult(data["adult"])
        household_services.household_member_add(
            actor=request.user,
            family=family,
            child=child,
            adult=adult,
            relationship=data["relationship"],
            reason=data["reason"],
            joined_on=data["joined_on"],
            request=request._request,
        )
        return self._answer(family, status.HTTP_201_CREATED)

    def _adult(self, adult_id):
        """An adult of a household the caller may read (404 otherwise, like a household they cannot see)."""
        adult = Adult.objects.filter(Exists(access.families_visible_to(self.request.user).filter(pk=OuterRef("family_id"))), pk=adult_id).first()
        if adult is None:
            access.refusal_record(
                self.request.user, what="household: adult not visible", object_type="adult", object_id=adult_id, request=self.request._request
            )
            raise NotFound("No such record, or you do not have access to it.")
        return adult

    @extend_schema(request=MemberRemoveSerializer, responses={200: FamilySerializer})
    @action(detail=True, methods=["delete"], url_path=r"members/(?P<member_id>[0-9]+)", url_name="member")
    def member(self, request, pk=None, member_id=None):
        family = access.access_family(request.user, pk, edit=True, request=request._request)
        member = household_selectors.member_of_household(user=request.user, family=family, member_id=member_id)
        if member is None:
            raise NotFound("No such record, or you do not have access to it.")
        serializer = MemberRemoveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        household_services.household_member_remove(
            actor=request.user,
            member=member,
            reason=serializer.validated_data["reason"],
            left_on=serializer.validated_data["left_on"],
            request=request._request,
        )
        return self._answer(family)
