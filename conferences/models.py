"""Child protection conferences and the agencies invited to them.

A conference covers one or more children (a sibling group is one conference): `ConferenceChild`
links it to each child's case and holds the decision for that child. Each invited agency has one
`Invitation`: whether it is a key agency, whether a report was asked of it and when it arrived,
and how it attended. `AbsenceFeedback` is the once-only record that an absent key agency's
safeguarding leads were told what was decided without them.

Who may see a conference follows from its cases (`conferences.selectors`); nothing here
decides access. Two dates are stored although they follow from others, because they are counted
in working days with a bank-holiday calendar that SQL cannot compute, and the dashboard's
aggregates need them as columns: `report_due_on` (the deadline the agencies were given) and
`initial_due_on` (when an initial conference is due after the strategy discussion). The service
that schedules or moves a conference sets both; nothing else writes them.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from agencies.models import AgencyKind
from cases.models import Case, not_in_future, raise_if
from plans.models import CIN_CATEGORY_CODES, CPCategory

__all__ = [
    "AbsenceFeedback",
    "Attendance",
    "Conference",
    "ConferenceChild",
    "ConferenceDecision",
    "ConferenceFormat",
    "ConferenceKind",
    "Invitation",
]


class ConferenceKind(models.TextChoices):
    STRATEGY_DISCUSSION = "strategy_discussion", "Strategy discussion"
    INITIAL = "initial_cp", "Initial child protection conference"
    REVIEW = "review_cp", "Review child protection conference"
    CORE_GROUP = "core_group", "Core group"
    PRE_PROCEEDINGS = "pre_proceedings", "Pre-proceedings meeting"
    FAMILY_GROUP = "family_group", "Family group conference"


class ConferenceFormat(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    VIRTUAL = "virtual", "Virtual"
    HYBRID = "hybrid", "Hybrid"


class Attendance(models.TextChoices):
    IN_PERSON = "in_person", "Attended in person"
    VIRTUAL = "virtual", "Attended virtually"
    REPORT_ONLY = "report_only", "Sent a report only"
    APOLOGIES = "apologies", "Sent apologies"
    DID_NOT_ATTEND = "did_not_attend", "Did not attend"


# An agency is present (counts towards quorum) only when someone from it took part.
PRESENT = (Attendance.IN_PERSON, Attendance.VIRTUAL)


class ConferenceDecision(models.TextChoices):
    PLAN_STARTED = "plan_started", "Child protection plan started"
    PLAN_CONTINUED = "plan_continued", "Child protection plan continued"
    PLAN_ENDED = "plan_ended", "Child protection plan ended"
    CATEGORY_CHANGED = "category_changed", "Category of the plan changed"
    NO_PLAN = "no_plan", "No child protection plan"


# Only child protection conferences decide on a child protection plan: an initial conference
# starts one or not, a review continues, ends or re-categorises it. Other meetings record
# attendance only.
DECISIONS_BY_KIND = {
    ConferenceKind.INITIAL: (ConferenceDecision.PLAN_STARTED, ConferenceDecision.NO_PLAN),
    ConferenceKind.REVIEW: (ConferenceDecision.PLAN_CONTINUED, ConferenceDecision.PLAN_ENDED, ConferenceDecision.CATEGORY_CHANGED),
}
# After these decisions the child is on a plan, so the plan's category is recorded with them.
DECISIONS_WITH_CATEGORY = (ConferenceDecision.PLAN_STARTED, ConferenceDecision.PLAN_CONTINUED, ConferenceDecision.CATEGORY_CHANGED)


def quorum_agencies():
    return getattr(settings, "CONFERENCE_QUORUM_AGENCIES", 3)


class Conference(models.Model):
    """A meeting about one or more children, convened by children's social care or a manager.

    `chair_agency` is the chair's agency when the conference was scheduled: people move between
    agencies, the record of who convened does not.
    """

    kind = models.CharField(max_length=30, choices=ConferenceKind.choices)
    held_on = models.DateField("date", help_text="The day the conference is, or was, held.")
    start_time = models.TimeField()
    format = models.CharField(max_length=20, choices=ConferenceFormat.choices)
    location = models.CharField(
        "place or joining link",
        max_length=500,
        blank=True,
        help_text="Where the conference is held, or the link to join it online. It goes into the invitations.",
    )
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="conferences_chaired")
    chair_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="conferences_chaired")
    strategy_discussion_on = models.DateField("date of the strategy discussion", null=True, blank=True)
    report_due_on = models.DateField(help_text="Reports received on or before this day are on time.")
    initial_due_on = models.DateField(null=True, blank=True, help_text="For an initial conference: the last day within timescale.")
    cases = models.ManyToManyField(Case, through="ConferenceChild", related_name="conferences")
    scheduled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="conferences_scheduled")
    attendance_recorded_at = models.DateTimeField(null=True, blank=True)
    inquorate_reason = models.TextField(
        "why decisions are made although the conference is not quorate",
        blank=True,
        help_text="The chair's reason, required before the decisions of a conference that is not quorate are recorded.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "cases_conference"  # kept from when it lived in cases/
        indexes = [models.Index(fields=["held_on", "start_time"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=ConferenceKind.INITIAL) | Q(strategy_discussion_on__isnull=False, initial_due_on__isnull=False),
                name="initial_conference_has_strategy_discussion_date",
                violation_error_message="Enter the date of the strategy discussion",
            ),
            models.CheckConstraint(
                condition=Q(strategy_discussion_on__isnull=True) | Q(strategy_discussion_on__lte=F("held_on")),
                name="strategy_discussion_on_or_before_conference",
                violation_error_message="The strategy discussion must be on or before the conference",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.held_on:%d %B %Y}"

    def clean(self):
        errors = {}
        if self.kind == ConferenceKind.INITIAL and self.strategy_discussion_on is None:
            errors["strategy_discussion_on"] = "Enter the date of the strategy discussion"
        if self.strategy_discussion_on and self.held_on and self.strategy_discussion_on > self.held_on:
            errors["strategy_discussion_on"] = "The strategy discussion must be on or before the conference"
        raise_if(errors)

    @property
    def decides_on_plans(self):
        return self.kind in DECISIONS_BY_KIND

    @property
    def decision_choices(self):
        return [(value, ConferenceDecision(value).label) for value in DECISIONS_BY_KIND.get(self.kind, ())]

    @property
    def is_outside_timescale(self):
        """An initial conference held after the last day within timescale."""
        return self.initial_due_on is not None and self.held_on > self.initial_due_on

    def has_taken_place(self, today):
        return self.held_on <= today

    @property
    def is_inquorate(self):
        """Attendance is recorded and the conference was not quorate (a reason is then needed for decisions)."""
        quorum = self.quorum
        return quorum is not None and not quorum.is_quorate

    @property
    def reference(self):
        """A reference that names no one, for invitations and calendars."""
        return f"CONF-{self.pk}"

    @property
    def quorum(self):
        """Quorum from the invitations (prefetch `invitations__agency` to avoid a query per row).

        Quorate: at least CONFERENCE_QUORUM_AGENCIES agencies took part in person or virtually,
        children's social care among them. None until attendance is recorded.
        """
        if self.attendance_recorded_at is None:
            return None
        present = [invitation.agency for invitation in self.invitations.all() if invitation.attendance in PRESENT]
        return Quorum(
            present=len(present),
            needed=quorum_agencies(),
            childrens_social_care_present=any(agency.kind == AgencyKind.CHILDRENS_SOCIAL_CARE for agency in present),
        )


@dataclass(frozen=True)
class Quorum:
    """How many agencies took part, how many are needed, and whether children's social care did."""

    present: int
    needed: int
    childrens_social_care_present: bool

    @property
    def is_quorate(self):
        return self.present >= self.needed and self.childrens_social_care_present

    def __str__(self):
        if self.is_quorate:
            return f"Quorate: {self.present} agencies took part"
        shortfalls = []
        if self.present < self.needed:
            shortfalls.append(f"{self.present} of the {self.needed} agencies needed took part")
        if not self.childrens_social_care_present:
            shortfalls.append("children's social care did not take part")
        return "Not quorate: " + " and ".join(shortfalls)


class ConferenceChild(models.Model):
    """One child (through their case) covered by a conference, and the decision for that child.

    `cp_category` is the category of the child's plan after the conference: recorded with a
    decision that leaves the child on a plan, blank otherwise.
    """

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="links")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="conference_links")
    decision = models.CharField(max_length=30, choices=ConferenceDecision.choices, blank=True)
    cp_category = models.CharField("category", max_length=20, choices=CPCategory.choices, blank=True)
    decision_notes = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        db_table = "cases_conferencechild"  # kept from when it lived in cases/
        constraints = [
            models.UniqueConstraint(fields=["conference", "case"], name="one_link_per_conference_and_case"),
            models.CheckConstraint(
                condition=(Q(decision__in=DECISIONS_WITH_CATEGORY) & ~Q(cp_category="")) | (~Q(decision__in=DECISIONS_WITH_CATEGORY) & Q(cp_category="")),
                name="conference_category_only_when_child_on_a_plan",
                violation_error_message="Choose a category when the child is on a plan after the conference, and only then",
            ),
        ]

    def __str__(self):
        return f"Case {self.case_id} at conference {self.conference_id}"

    @property
    def cin_category_code(self):
        """The Children in Need census code of the category (NEG, PHY, EMO, SAB, MUL), or ''."""
        return CIN_CATEGORY_CODES.get(self.cp_category, "")

    def clean(self):
        errors = {}
        allowed = DECISIONS_BY_KIND.get(self.conference.kind, ())
        if self.decision and self.decision not in allowed:
            kind = self.conference.get_kind_display().lower()
            errors["decision"] = f"A {kind} cannot decide this" if allowed else f"A {kind} does not decide on a plan"
        if self.decision in DECISIONS_WITH_CATEGORY and not self.cp_category:
            errors["cp_category"] = "Choose the category of the child protection plan"
        if self.cp_category and self.decision not in DECISIONS_WITH_CATEGORY:
            errors["cp_category"] = "Only choose a category when the child is on a plan after the conference"
        raise_if(errors)


class Invitation(models.Model):
    """An agency invited to a conference: the person asked, the report asked for, the attendance.

    The person is a user of the agency when known, otherwise a name and an email address. A blank
    `attendance` means not recorded yet.
    """

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="invitations")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="conference_invitations")
    is_key_agency = models.BooleanField("key agency", default=False)
    invitee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    invitee_name = models.CharField("invited person", max_length=200, blank=True)
    invitee_email = models.EmailField("invited person's email", blank=True)
    report_requested = models.BooleanField(default=True)
    report_received_on = models.DateField("report received", null=True, blank=True)
    attendance = models.CharField(max_length=20, choices=Attendance.choices, blank=True)
    absence_impact = models.TextField("impact of the absence", blank=True)
    # The invitation email (with its calendar file): claimed, then sent once, to the addresses kept here.
    email_claimed_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField("invitation emailed", null=True, blank=True)
    emailed_to = models.CharField("invitation emailed to", max_length=500, blank=True)

    class Meta:
        db_table = "cases_invitation"  # kept from when it lived in cases/
        constraints = [models.UniqueConstraint(fields=["conference", "agency"], name="one_invitation_per_agency")]
        indexes = [models.Index(fields=["agency", "attendance"])]

    def __str__(self):
        return f"{self.agency} to conference {self.conference_id}"

    @property
    def is_present(self):
        return self.attendance in PRESENT

    @property
    def is_absent(self):
        return bool(self.attendance) and self.attendance not in PRESENT

    @property
    def report_missing(self):
        """A report was asked for and has not arrived."""
        return self.report_requested and self.report_received_on is None

    @property
    def report_on_time(self):
        """True/False once a requested report arrived; None when none was asked for or it is still awaited."""
        if not self.report_requested or self.report_received_on is None:
            return None
        return self.report_received_on <= self.conference.report_due_on

    @property
    def needs_feedback(self):
        """A key agency that did not take part, or whose requested report never came."""
        return self.is_key_agency and bool(self.attendance) and (self.is_absent or self.report_missing)

    @property
    def invited_person(self):
        if self.invitee_id:
            return self.invitee.get_full_name() or self.invitee.get_username()
        return self.invitee_name

    def clean(self):
        errors = {}
        not_in_future(errors, "report_received_on", self.report_received_on, "The date the report was received")
        if self.invitee_id and getattr(getattr(self.invitee, "membership", None), "agency_id", None) != self.agency_id:
            errors["invitee"] = f"Choose someone who works for {self.agency}"
        if self.is_key_agency and self.is_absent and not self.absence_impact.strip():
            errors["absence_impact"] = f"Describe the impact of {self.agency}'s absence on the conference"
        raise_if(errors)


class AbsenceFeedback(models.Model):
    """That an absent key agency's safeguarding leads are to be (or were) told of a conference.

    One row per conference and agency, created when the absence is recorded; the task that sends
    it claims the row with a conditional update, so it is sent once however often it runs.
    """

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="absence_feedback")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    queued_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=200, blank=True)

    class Meta:
        db_table = "cases_absencefeedback"  # kept from when it lived in cases/
        verbose_name_plural = "absence feedback"
        constraints = [models.UniqueConstraint(fields=["conference", "agency"], name="one_absence_feedback_per_agency")]

    def __str__(self):
        return f"Absence feedback to {self.agency} for conference {self.conference_id}"
