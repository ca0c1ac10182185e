"""Conference endpoints of the REST API. Same access rules as the pages.

Every queryset starts from the access layer (`conferences_visible_to`, `invitations_visible_to`);
one conference or invitation is fetched with `access_conference` / `access_invitation`, a case
with `access_case`, so a record the caller may not see answers 404 and a role that may not act
403. Reads are audited there (lists here); writes by the services. Invalid input answers 400 with
field errors (neglect_portal/api.py); a key the input does not take answers 400 naming it.

A conference shows only the children whose cases the caller may see.
"""

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from agencies import access
from agencies.models import Agency
from audit.models import AuditAction
from audit.services import audit_record, query_detail
from neglect_portal.api import StrictWriteMixin
from plans.models import CPCategory

from . import selectors, services
from .models import Attendance, Conference, ConferenceDecision, ConferenceFormat, ConferenceKind, Invitation


def _id_filter(request, name):
    """A numeric query parameter, or None; a non-numeric one matches nothing (-1)."""
    value = request.query_params.get(name)
    if value is None:
        return None
    return int(value) if value.isdigit() else -1


# --- Serializers (read) ----------------------------------------------------------------------------


class InvitationSerializer(serializers.ModelSerializer):
    agency = serializers.SerializerMethodField()
    invited_person = serializers.CharField(read_only=True)
    report_on_time = serializers.BooleanField(read_only=True, allow_null=True)
    # Declared: read-only model fields lose allow_blank, and the schema then refuses "" for these.
    invitee_email = serializers.CharField(read_only=True, help_text="An email address, or blank.")
    attendance = serializers.ChoiceField(choices=Attendance.choices, allow_blank=True, read_only=True)

    class Meta:
        model = Invitation
        fields = [
            "id",
            "conference",
            "agency",
            "is_key_agency",
            "invitee",
            "invited_person",
            "invitee_email",
            "report_requested",
            "report_received_on",
            "report_on_time",
            "attendance",
            "absence_impact",
            "emailed_at",
        ]
        read_only_fields = fields

    def get_agency(self, invitation) -> dict:
        return {"id": invitation.agency_id, "name": invitation.agency.name}


class ConferenceChildSerializer(serializers.Serializer):
    case = serializers.IntegerField(source="case_id")
    child = serializers.SerializerMethodField()
    decision = serializers.CharField()
    cp_category = serializers.CharField()
    cin_category_code = serializers.CharField()
    decision_notes = serializers.CharField()

    def get_child(self, link) -> dict:
        child = link.case.child
        return {"id": child.pk, "given_name": child.given_name, "family_name": child.family_name}


class QuorumSerializer(serializers.Serializer):
    present = serializers.IntegerField()
    needed = serializers.IntegerField()
    childrens_social_care_present = serializers.BooleanField()
    is_quorate = serializers.BooleanField()


class ConferenceSerializer(serializers.ModelSerializer):
    chair = serializers.SerializerMethodField()
    chair_agency = serializers.CharField(source="chair_agency.name")
    outside_timescale = serializers.BooleanField(source="is_outside_timescale")
    quorum = QuorumSerializer(allow_null=True)
    # Declared: read-only model fields lose allow_blank, and the schema then refuses "" for these.
    location = serializers.CharField(read_only=True, help_text="Place or joining link, or blank.")
    inquorate_reason = serializers.CharField(read_only=True, help_text="The chair's reason for deciding although the conference was not quorate, or blank.")
    children = ConferenceChildSerializer(source="visible_links", many=True)
    invitations = InvitationSerializer(many=True)

    class Meta:
        model = Conference
        fields = [
            "id",
            "kind",
            "held_on",
            "start_time",
            "format",
            "location",
            "chair",
            "chair_agency",
            "strategy_discussion_on",
            "report_due_on",
            "initial_due_on",
            "outside_timescale",
            "attendance_recorded_at",
            "quorum",
            "inquorate_reason",
            "children",
            "invitations",
        ]
        read_only_fields = fields

    def get_chair(self, conference) -> dict:
        chair = conference.chair
        return {"id": chair.pk, "name": chair.get_full_name() or chair.get_username()}


# --- Serializers (input) ---------------------------------------------------------------------------


class InvitationInputSerializer(StrictWriteMixin, serializers.Serializer):
    agency = serializers.IntegerField()
    is_key_agency = serializers.BooleanField(default=False)
    report_requested = serializers.BooleanField(default=True)
    invitee = serializers.IntegerField(required=False, allow_null=True, help_text="A user of the agency, if the person has an account.")
    invitee_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    invitee_email = serializers.EmailField(required=False, allow_blank=True, default="")


class ConferenceCreateSerializer(StrictWriteMixin, serializers.Serializer):
    case = serializers.IntegerField(help_text="The case the conference is scheduled from.")
    sibling_cases = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    kind = serializers.ChoiceField(choices=ConferenceKind.choices)
    held_on = serializers.DateField()
    start_time = serializers.TimeField()
    format = serializers.ChoiceField(choices=ConferenceFormat.choices)
    location = serializers.CharField(required=False, allow_blank=True, default="", max_length=500, help_text="Place or joining link.")
    chair = serializers.IntegerField(help_text="A case worker of children's social care.")
    strategy_discussion_on = serializers.DateField(required=False, allow_null=True, default=None)
    invitations = InvitationInputSerializer(many=True)


class InvitationCreateSerializer(InvitationInputSerializer):
    conference = serializers.IntegerField()


class AttendanceUpdateSerializer(StrictWriteMixin, serializers.Serializer):
    attendance = serializers.ChoiceField(choices=Attendance.choices)
    report_received_on = serializers.DateField(required=False, allow_null=True)
    absence_impact = serializers.CharField(required=False, allow_blank=True)


class DecisionInputSerializer(StrictWriteMixin, serializers.Serializer):
    case = serializers.IntegerField()
    decision = serializers.ChoiceField(choices=ConferenceDecision.choices)
    cp_category = serializers.ChoiceField(choices=CPCategory.choices, required=False, allow_blank=True, default="")
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class DecisionsSerializer(StrictWriteMixin, serializers.Serializer):
    decisions = DecisionInputSerializer(many=True, allow_empty=False)
    inquorate_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="Required when the recorded attendance makes the conference not quorate: why decisions are made all the same.",
    )


def _invitation_requests(rows):
    """Resolve agencies (active) and named users (active members of that agency); 400 for the rest."""
    agencies = Agency.objects.in_bulk([row["agency"] for row in rows])
    requests = []
    for row in rows:
        agency = agencies.get(row["agency"])
        if agency is None or not agency.is_active:
            raise exceptions.ValidationError({"invitations": [f"No active agency {row['agency']}."]})
        invitee = None
        if row.get("invitee") is not None:
            invitee = get_user_model().objects.filter(pk=row["invitee"], is_active=True, membership__agency=agency).first()
            if invitee is None:
                raise exceptions.ValidationError({"invitee": [f"Choose someone who works for {agency}."]})
        requests.append(
            services.InvitationRequest(
                agency=agency,
                is_key_agency=row["is_key_agency"],
                report_requested=row["report_requested"],
                invitee=invitee,
                invitee_name=row["invitee_name"],
                invitee_email=row["invitee_email"],
            )
        )
    return requests


# --- Views -----------------------------------------------------------------------------------------


class ConferenceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Conferences covering a case the caller may see. `?case=ID` narrows the list to one child's case.

    POST schedules one (children's social care, or a manager/DSL); POST .../decisions/ records
    the decision for each child (children's social care: `access.can_record_conference_decision`).
    """

    permission_classes = [access.HasActiveMembership]
    serializer_class = ConferenceSerializer
    lookup_value_regex = "[0-9]+"
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return selectors.conference_list_for(user=self.request.user, case_id=_id_filter(self.request, "case"))

    def get_object(self):
        conference = selectors.access_conference(self.request.user, self.kwargs["pk"], action="view", request=self.request._request)
        return selectors.conference_for_page(user=self.request.user, conference=conference)

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        audit_record(
            user=request.user,
            action=AuditAction.VIEW,
            object_type="conference_list",
            detail=f"api {query_detail(request.query_params, keep=('case', 'page'))}",
            request=request._request,
        )
        return response

    @extend_schema(request=ConferenceCreateSerializer, responses={201: ConferenceSerializer})
    def create(self, request):
        given = ConferenceCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        user = request.user
        case = access.access_case(user, data["case"], action=selectors.convene_action(user), request=request._request)
        siblings = list(selectors.sibling_cases_for_scheduling(user=user, case=case).filter(pk__in=data["sibling_cases"]))
        if len(siblings) != len(set(data["sibling_cases"]) - {case.pk}):
            raise exceptions.ValidationError({"sibling_cases": ["Choose open cases of the child's brothers and sisters that you can see."]})
        chair = selectors.possible_chairs().filter(pk=data["chair"]).first()
        if chair is None:
            raise exceptions.ValidationError({"chair": ["Choose a chair from children's social care."]})
        conference = services.conference_schedule(
            actor=user,
            case=case,
            kind=data["kind"],
            held_on=data["held_on"],
            start_time=data["start_time"],
            format=data["format"],
            location=data["location"],
            chair=chair,
            strategy_discussion_on=data["strategy_discussion_on"],
            sibling_cases=siblings,
            invitations=_invitation_requests(data["invitations"]),
            request=request._request,
        )
        conference = selectors.conference_for_page(user=user, conference=conference)
        return Response(ConferenceSerializer(conference).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DecisionsSerializer, responses={200: ConferenceSerializer})
    @action(detail=True, methods=["post"])
    def decisions(self, request, pk=None):
        conference = selectors.access_conference(request.user, pk, action="decide", request=request._request)
        given = DecisionsSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        entries = [
            services.DecisionEntry(case_id=row["case"], decision=row["decision"], cp_category=row["cp_category"], notes=row["notes"])
            for row in given.validated_data["decisions"]
        ]
        services.conference_record_decisions(
            actor=request.user,
            conference=conference,
            decisions=entries,
            inquorate_reason=given.validated_data.get("inquorate_reason"),
            request=request._request,
        )
        return Response(ConferenceSerializer(selectors.conference_for_page(user=request.user, conference=conference)).data)


class InvitationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Invitations to conferences the caller may see. `?conference=ID` narrows the list.

    POST invites one more agency; PATCH records (or corrects) its attendance and report.
    """

    permission_classes = [access.HasActiveMembership]
    serializer_class = InvitationSerializer
    lookup_value_regex = "[0-9]+"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        invitations = selectors.invitations_visible_to(self.request.user).select_related("agency", "invitee", "conference")
        conference = _id_filter(self.request, "conference")
        if conference is not None:
            invitations = invitations.filter(conference_id=conference)
        return invitations.order_by("-conference__held_on", "conference_id", "agency__name")

    def get_object(self):
        action_name = "view" if self.request.method in access.READ_METHODS else "convene"
        return selectors.access_invitation(self.request.user, self.kwargs["pk"], action=action_name, request=self.request._request)

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        audit_record(
            user=request.user,
            action=AuditAction.VIEW,
            object_type="invitation_list",
            detail=f"api {query_detail(request.query_params, keep=('conference', 'page'))}",
            request=request._request,
        )
        return response

    @extend_schema(request=InvitationCreateSerializer, responses={201: InvitationSerializer})
    def create(self, request):
        given = InvitationCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        conference = selectors.access_conference(request.user, data["conference"], action="convene", request=request._request)
        [invitation] = _invitation_requests([data])
        saved = services.invitation_add(actor=request.user, conference=conference, invitation=invitation, request=request._request)
        return Response(InvitationSerializer(saved).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AttendanceUpdateSerializer, responses={200: InvitationSerializer})
    def partial_update(self, request, pk=None):
        invitation = self.get_object()
        given = AttendanceUpdateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        entry = services.AttendanceEntry(
            invitation_id=invitation.pk,
            attendance=data["attendance"],
            report_received_on=data.get("report_received_on", invitation.report_received_on),
            absence_impact=data.get("absence_impact", invitation.absence_impact),
        )
        saved = services.invitation_record_attendance(actor=request.user, invitation=invitation, entry=entry, request=request._request)
        return Response(InvitationSerializer(saved).data)
