"""Quality-assurance endpoints of the REST API: the same rules as the pages, through `agencies.access`.

* Audit rounds and the quarter's quality measures: partnership admins and strategy members (403 for
  anyone else: nothing about a child is in them, so nothing to hide with a 404). A round names its
  cases by reference only, with their agreed grades; never evidence.
* Family feedback on a case: its team, as the case (404 when the case is not visible).
Read-only: rounds are run and feedback recorded on the pages.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import permissions, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from agencies import access
from neglect_portal.quarters import BadQuarter, parse_quarter

from . import selectors
from .models import AuditRound, FeedbackResponse, LearningAction, LearningPoint


class CanRunCaseAudits(permissions.BasePermission):
    message = "Only partnership admins and strategy members read audit rounds and quality measures."

    def has_permission(self, request, view):
        return access.can_run_case_audits(request.user)


class AuditRoundSerializer(serializers.ModelSerializer):
    question_set = serializers.CharField(source="question_set.__str__")
    sample_size = serializers.IntegerField()
    auditor_count = serializers.IntegerField()
    moderated_count = serializers.IntegerField()
    open_actions = serializers.IntegerField()

    class Meta:
        model = AuditRound
        fields = [
            "id",
            "title",
            "theme",
            "question_set",
            "status",
            "starts_on",
            "ends_on",
            "started_at",
            "closed_at",
            "sample_size",
            "auditor_count",
            "moderated_count",
            "open_actions",
        ]


class LearningPointSerializer(serializers.ModelSerializer):
    class Meta:
        model = LearningPoint
        fields = ["id", "question_id", "text", "recorded_at"]


class LearningActionSerializer(serializers.ModelSerializer):
    owner_agency = serializers.CharField(source="owner_agency.name")

    class Meta:
        model = LearningAction
        fields = ["id", "learning_point", "what", "owner_agency", "owner", "due_on", "status", "progress", "evidence", "completed_on", "action_plan_row"]


class AuditRoundDetailSerializer(AuditRoundSerializer):
    grades_by_question = serializers.SerializerMethodField()
    cases = serializers.SerializerMethodField()
    learning_points = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()

    class Meta(AuditRoundSerializer.Meta):
        fields = [*AuditRoundSerializer.Meta.fields, "grades_by_question", "cases", "learning_points", "actions"]

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_grades_by_question(self, audit_round) -> list:
        return selectors.round_grades_by_question(audit_round=audit_round)

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_cases(self, audit_round) -> list:
        questions = [question.id for question in audit_round.questions]
        return [
            {
                "reference": row["sampled"].label,
                "moderated": row["sampled"].is_moderated,
                "overall_grade": row["sampled"].overall_grade,
                "grades": dict(zip(questions, row["grades"])),
            }
            for row in selectors.round_case_grades(audit_round=audit_round)
        ]

    @extend_schema_field(LearningPointSerializer(many=True))
    def get_learning_points(self, audit_round) -> list:
        return LearningPointSerializer(selectors.round_learning(audit_round=audit_round), many=True).data

    @extend_schema_field(LearningActionSerializer(many=True))
    def get_actions(self, audit_round) -> list:
        return LearningActionSerializer(selectors.round_actions(audit_round=audit_round), many=True).data


class RoundListView(APIView):
    """Every audit round, newest first, with its sample size, auditors, cases moderated and actions still open."""

    permission_classes = [access.HasActiveMembership, CanRunCaseAudits]

    @extend_schema(responses=AuditRoundSerializer(many=True))
    def get(self, request):
        return Response(AuditRoundSerializer(selectors.rounds_overview(user=request.user), many=True).data)


class RoundDetailView(APIView):
    """One round: grades by question (agreed, and each agency's), each case's agreed grades by reference, learning points and actions."""

    permission_classes = [access.HasActiveMembership, CanRunCaseAudits]

    @extend_schema(responses=AuditRoundDetailSerializer)
    def get(self, request, round_id):
        access.access_audit_round(request.user, round_id, request=request._request)
        audit_round = selectors.rounds_overview(user=request.user).get(pk=round_id)
        return Response(AuditRoundDetailSerializer(audit_round).data)


class FamilyFeedbackSerializer(serializers.ModelSerializer):
    question_set = serializers.CharField(source="question_set.__str__")
    answers = serializers.SerializerMethodField()
    agency = serializers.CharField(source="agency.name", allow_null=True, default=None)

    class Meta:
        model = FeedbackResponse
        fields = ["id", "occasion", "respondent", "via", "question_set", "recorded_at", "agency", "answers"]

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_answers(self, response) -> list:
        return [{"question_id": question.id, "question": question.text, "answer": words} for question, words in response.answer_rows()]


class CaseFeedbackView(APIView):
    """What the family said on this case (newest first), each answer in words beside its question."""

    permission_classes = [access.HasActiveMembership]

    @extend_schema(responses=FamilyFeedbackSerializer(many=True))
    def get(self, request, case_id):
        case = access.access_case(request.user, case_id, action="view", request=request._request)
        responses, _ = selectors.case_feedback(user=request.user, case=case)
        return Response(FamilyFeedbackSerializer(responses, many=True).data)


class QualityMeasuresView(APIView):
    """The quarter's quality measures (`2025-26-Q3`), with the counts each percentage is made from (unsuppressed: for the strategy group)."""

    permission_classes = [access.HasActiveMembership, CanRunCaseAudits]

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, quarter):
        try:
            parsed = parse_quarter(quarter)
        except BadQuarter as error:
            raise ValidationError({"quarter": [str(error)]}) from error
        return Response({"quarter": parsed.name, **selectors.quarter_measures(quarter=parsed)})
