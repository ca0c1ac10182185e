"""Assessment-tool endpoints of the REST API. Same access rules as the pages.

Every queryset starts from the access layer (`records_visible_to` for runs, the role checks for
definitions); one run is fetched with `access_case_record`, a case with `access_case`, a child with
`access_child`, so a record the caller may not see answers 404. Reads of runs and progress are
audited there (lists here); writes by the services.

Invalid input answers 400 with field errors (neglect_portal/api.py; an answer's errors under
"answers", keyed "<area id>.<item id>"), a key the input does not take (a run's scores or status)
400 naming it; changing a final run answers 409 Conflict.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from agencies import access
from audit.models import AuditAction
from audit.services import audit_record, query_detail
from neglect_portal.api import StrictWriteMixin

from . import selectors, services
from .models import AssessmentRun, FinalRunError, ToolDefinition


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "This assessment is final and cannot be changed."
    default_code = "final"


# --- Definitions -------------------------------------------------------------------------------


class DefinitionSerializer(serializers.ModelSerializer):
    # Plain text, not an enum: the schema already has a "status" enum (cases), and two enums of one
    # name warn in `check --deploy`.
    status = serializers.CharField(read_only=True, help_text="draft, published or retired")

    class Meta:
        model = ToolDefinition
        fields = ["id", "key", "version", "name", "owner", "status", "published_at", "retired_at"]


class DefinitionDetailSerializer(DefinitionSerializer):
    class Meta(DefinitionSerializer.Meta):
        fields = DefinitionSerializer.Meta.fields + ["structure"]


class DefinitionViewSet(viewsets.ReadOnlyModelViewSet):
    """Tool definitions: published and retired versions for case workers, every version for partnership admins."""

    permission_classes = [access.HasActiveMembership]
    lookup_value_regex = "[0-9]+"  # a non-numeric id is a 404, not a 500

    def get_queryset(self):
        return selectors.definitions_visible_to(user=self.request.user).order_by("key", "-version")

    def get_serializer_class(self):
        return DefinitionDetailSerializer if self.action == "retrieve" else DefinitionSerializer


# --- Runs --------------------------------------------------------------------------------------


class RunSerializer(serializers.ModelSerializer):
    definition = serializers.SerializerMethodField()
    child = serializers.IntegerField(source="case.child_id", read_only=True)
    assessor = serializers.SerializerMethodField()
    agency = serializers.CharField(source="agency.name", read_only=True)
    area_status = serializers.SerializerMethodField()
    status = serializers.CharField(read_only=True, help_text="draft or final")

    class Meta:
        model = AssessmentRun
        fields = [
            "id",
            "definition",
            "case",
            "child",
            "assessor",
            "agency",
            "status",
            "assessed_on",
            "age_band",
            "people_present",
            "child_voice",
            "answers",
            "area_status",
            "scores",
            "started_at",
            "updated_at",
            "finalised_at",
        ]
        read_only_fields = fields

    def get_definition(self, run) -> dict:
        definition = run.definition
        return {"id": definition.pk, "key": definition.key, "version": definition.version, "name": definition.name}

    def get_assessor(self, run) -> str:
        return run.assessor.get_full_name() or run.assessor.get_username()

    def get_area_status(self, run) -> dict:
        return {area.id: run.area_status(area) for area in run.structure.areas}


class RunCreateSerializer(StrictWriteMixin, serializers.Serializer):
    case = serializers.IntegerField()
    definition = serializers.IntegerField(help_text="The id of a published tool definition.")


class RunUpdateSerializer(StrictWriteMixin, serializers.Serializer):
    assessed_on = serializers.DateField(required=False)
    age_band = serializers.CharField(required=False, allow_blank=True)
    people_present = serializers.CharField(required=False, allow_blank=True)
    child_voice = serializers.CharField(required=False, allow_blank=True)
    answers = serializers.DictField(
        child=serializers.DictField(),
        required=False,
        help_text='{area id: {item id: {"value": ..., "evidence": "..."}}}; items not sent keep their saved answers.',
    )


class RunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Assessment runs on cases the caller may see. `?case=ID` or `?child=ID` narrows the list.

    POST creates a draft; PATCH saves part of a draft; POST .../finalise/ scores it and makes it final.
    """

    permission_classes = [access.HasActiveMembership]
    lookup_value_regex = "[0-9]+"  # a non-numeric id is a 404, not a 500
    serializer_class = RunSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        runs = selectors.runs_visible_to(user=self.request.user).order_by("-assessed_on", "-pk")
        for name, lookup in (("case", "case_id"), ("child", "case__child_id")):
            value = self.request.query_params.get(name)
            if value is not None:
                runs = runs.filter(**{lookup: value}) if value.isdigit() else runs.none()
        return runs

    def get_object(self):
        action_name = "view" if self.request.method in access.READ_METHODS else "contribute"
        run = access.access_case_record(self.request.user, AssessmentRun, self.kwargs["pk"], action=action_name, request=self.request._request)
        self.check_object_permissions(self.request, run)
        return run

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        audit_record(
            user=request.user,
            action=AuditAction.VIEW,
            object_type="assessmentrun_list",
            detail=f"api {query_detail(request.query_params, keep=('case', 'child', 'page'))}",
            request=request._request,
        )
        return response

    def validation_detail(self, detail):
        """The exception handler's 400 body reshaped: the service keys an answer's errors by its area
        ("<area id>" or "<area id>.<item id>"), and they nest under "answers" as the input does."""
        top = {*services.DETAIL_FIELDS, "case", "definition", api_settings.NON_FIELD_ERRORS_KEY}
        answers = {key: messages for key, messages in detail.items() if key not in top}
        return {**{key: messages for key, messages in detail.items() if key in top}, **({"answers": answers} if answers else {})}

    @extend_schema(request=RunCreateSerializer, responses={201: RunSerializer})
    def create(self, request):
        given = RunCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        case = access.access_case(request.user, given.validated_data["case"], action="contribute", request=request._request)
        definition = selectors.published_definitions(user=request.user).filter(pk=given.validated_data["definition"]).first()
        if definition is None:
            raise exceptions.ValidationError({"definition": ["Choose a published tool definition."]})
        run = services.run_start(case=case, definition=definition, actor=request.user, request=request._request)
        return Response(RunSerializer(run).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RunUpdateSerializer, responses={200: RunSerializer})
    def partial_update(self, request, pk=None):
        run = self.get_object()
        given = RunUpdateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        answers = data.pop("answers", None)
        try:
            run = services.run_save_draft(run=run, details=data, answers=answers, actor=request.user, request=request._request)
        except FinalRunError as error:
            raise Conflict() from error
        return Response(RunSerializer(run).data)

    @extend_schema(request=None, responses={200: RunSerializer})
    @action(detail=True, methods=["post"])
    def finalise(self, request, pk=None):
        run = self.get_object()
        try:
            run = services.run_finalise(run=run, actor=request.user, request=request._request)
        except FinalRunError as error:
            raise Conflict("This assessment is already final and cannot be changed.") from error
        return Response(RunSerializer(run).data)


# --- Progress ----------------------------------------------------------------------------------


class ScoreRowSerializer(serializers.Serializer):
    id = serializers.CharField()
    title = serializers.CharField()
    scores = serializers.ListField(child=serializers.FloatField(allow_null=True))
    change = serializers.CharField(allow_null=True, help_text="'better', 'worse' or 'same' between the last two runs.")
    rule = serializers.CharField(help_text="How the newest version of the tool scores this row, in words.")


class ToolProgressSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    higher_is = serializers.CharField()
    runs = serializers.SerializerMethodField()
    rows = ScoreRowSerializer(many=True)
    overall = ScoreRowSerializer(allow_null=True)
    flag = serializers.SerializerMethodField()

    def get_runs(self, progress) -> list:
        return [{"id": run.pk, "assessed_on": run.assessed_on, "version": run.definition.version} for run in progress.runs]

    def get_flag(self, progress) -> dict | None:
        flag = progress.flag
        return {"kind": flag.kind, "since": flag.since, "reason": flag.reason} if flag else None


class ChildProgressView(APIView):
    """A child's final runs of each scored tool compared over time (direction from each definition)."""

    permission_classes = [access.HasActiveMembership]

    @extend_schema(responses={200: ToolProgressSerializer(many=True)})
    def get(self, request, child_id):
        child = access.access_child(request.user, child_id, action="view", request=request._request)
        return Response(ToolProgressSerializer(selectors.child_progress(user=request.user, child=child), many=True).data)
