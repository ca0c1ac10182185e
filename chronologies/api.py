"""Chronology endpoints of the REST API: list (filterable), read, create and amend entries; a child's patterns.

Every queryset starts from `agencies.access.chronology_entries_visible_to`, so a restricted entry
the caller may not read is simply absent. A child or entry the caller may not see answers 404 (as
in the pages); amending another agency's entry answers 403. Invalid input answers 400 with the
message beside each field (neglect_portal/api.py), and a key the input does not take answers 400
naming it. Each read writes one audit row; each write is audited by its service.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from agencies import access
from agencies.models import Agency
from audit.models import AuditAction
from audit.services import audit_record, query_detail
from concerns.models import NeglectType
from neglect_portal.api import StrictWriteMixin

from . import selectors, services
from .forms import ChronologyFilterForm
from .models import ChronologyEntry, DatePrecision, EntryKind, Significance
from .patterns import patterns_for_child


class AgencySerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["id", "name"]


class ChronologyEntrySerializer(serializers.ModelSerializer):
    agency = AgencySerializer(read_only=True)
    author = serializers.CharField(source="author_name", read_only=True)
    date_display = serializers.CharField(read_only=True)
    neglect_types = serializers.ListField(child=serializers.CharField(), read_only=True)
    shared_with = AgencySerializer(many=True, read_only=True)

    class Meta:
        model = ChronologyEntry
        fields = [
            "id",
            "child",
            "occurred_on",
            "date_precision",
            "date_display",
            "kind",
            "significance",
            "impact_on_child",
            "summary",
            "action_taken",
            "neglect_types",
            "attendance_percentage",
            "agency",
            "author",
            "restricted",
            "shared_with",
            "source_type",
            "source_id",
            "external_id",
            "original",
            "supersedes",
            "amendment_reason",
            "created_at",
        ]


@extend_schema_field(OpenApiTypes.STR)
class CodeField(serializers.ChoiceField):
    """A choice given by its code, typed in the API schema as a string whose help text lists the codes.

    Not an enum there: several apps name a field "kind" (or "neglect_types") with different code
    lists, and the schema generator can only tell same-named enums apart when each appears in one
    component; the read serializer keeps the enum.
    """

    def __init__(self, *, choices, **kwargs):
        super().__init__(choices=choices, help_text=f"One of: {', '.join(code for code, _ in choices)}.", **kwargs)


def _required(message):
    return {"required": message, "blank": message, "null": message}


class EntryContentSerializer(StrictWriteMixin, serializers.Serializer):
    occurred_on = serializers.DateField(error_messages={**_required("Enter the date of the event"), "invalid": "Enter a real date as YYYY-MM-DD"})
    date_precision = serializers.ChoiceField(choices=DatePrecision.choices, default=DatePrecision.DAY)
    kind = CodeField(choices=EntryKind.choices, error_messages=_required("Choose the kind of event"))
    summary = serializers.CharField(error_messages=_required("Say what happened"))
    impact_on_child = serializers.CharField(error_messages=_required("Describe the impact on the child"))
    action_taken = serializers.CharField(required=False, allow_blank=True, default="")
    significance = serializers.ChoiceField(choices=Significance.choices, default=Significance.ROUTINE)
    neglect_types = serializers.ListField(child=CodeField(choices=NeglectType.choices), required=False, default=list)
    attendance_percentage = serializers.DecimalField(max_digits=4, decimal_places=1, min_value=0, max_value=100, required=False, allow_null=True, default=None)


class EntryCreateSerializer(EntryContentSerializer):
    child = serializers.IntegerField(error_messages=_required("Give the id of the child"))
    restricted = serializers.BooleanField(default=False)
    shared_with = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all(), many=True, required=False, default=list)


class EntryAmendSerializer(EntryContentSerializer):
    reason = serializers.CharField(error_messages=_required("Say why the entry is being amended"))


class ChronologyEntryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Chronology entries the caller may see: the latest version of each, newest first.

    Filters: `child`, `family`, `agency`, `kind`, `significance`, `neglect_type`, `date_from`,
    `date_to` (YYYY-MM-DD) and `order` (`newest` or `oldest`). POST creates an entry for the
    caller's agency; POST `{id}/amend/` supersedes one of the caller's agency's entries.
    """

    permission_classes = [access.HasActiveMembership]
    serializer_class = ChronologyEntrySerializer
    lookup_value_regex = "[0-9]+"  # a non-numeric id is a 404, not a 500

    def get_queryset(self):
        entries = selectors.current_versions(access.chronology_entries_visible_to(self.request.user))
        params = self.request.query_params
        for name, field in (("child", "child_id"), ("family", "child__family_id")):
            value = params.get(name)
            if value is not None:
                entries = entries.filter(**{field: value}) if value.isdigit() else entries.none()
        form = ChronologyFilterForm(params, agencies=Agency.objects.all())
        if not form.is_valid():
            raise serializers.ValidationError(form.errors)
        return form.filters().apply(entries.select_related("agency", "author").prefetch_related("shared_with"))

    # The list's own filters, the only query parameters its audit row records.
    LIST_FILTERS = ("child", "family", "order", "agency", "kind", "significance", "neglect_type", "date_from", "date_to", "page")

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        child = request.query_params.get("child", "")
        audit_record(
            user=request.user,
            action=AuditAction.VIEW,
            object_type="chronology_entry_list",
            child_id=int(child) if child.isdigit() else None,
            detail=f"api {query_detail(request.query_params, keep=self.LIST_FILTERS)}",
            request=request._request,
        )
        return response

    def get_object(self):
        return selectors.access_entry(user=self.request.user, entry_id=self.kwargs["pk"], request=self.request._request)

    @extend_schema(request=EntryCreateSerializer, responses={201: ChronologyEntrySerializer})
    def create(self, request, *args, **kwargs):
        incoming = EntryCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        arguments = dict(incoming.validated_data)
        child = access.access_child(request.user, arguments.pop("child"), action="contribute", request=request._request)
        entry = services.chronology_entry_record(actor=request.user, child=child, request=request._request, **arguments)
        return Response(ChronologyEntrySerializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=EntryAmendSerializer, responses={201: ChronologyEntrySerializer})
    @action(detail=True, methods=["post"])
    def amend(self, request, pk=None):
        entry = selectors.access_entry(user=request.user, entry_id=pk, amend=True, request=request._request)
        incoming = EntryAmendSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        amendment = services.chronology_entry_amend(actor=request.user, entry=entry, request=request._request, **incoming.validated_data)
        return Response(ChronologyEntrySerializer(amendment).data, status=status.HTTP_201_CREATED)


class PatternSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    reason = serializers.CharField()
    since = serializers.DateField()
    entries = serializers.SerializerMethodField()

    def get_entries(self, pattern) -> list[int]:
        return [entry.pk for entry in pattern.entries]


class ChildPatternsView(APIView):
    """The patterns in a child's chronology, from the entries the caller may see."""

    permission_classes = [access.HasActiveMembership]
    serializer_class = PatternSerializer

    @extend_schema(responses=PatternSerializer(many=True))
    def get(self, request, child_id):
        child = access.access_child(request.user, child_id, action="view", request=request._request)
        return Response(PatternSerializer(patterns_for_child(user=request.user, child=child), many=True).data)
