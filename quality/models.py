"""Quality assurance: themed multi-agency case audits, and what families tell us.

* Question sets are data (quality/question_sets.py), versioned and locked once published, like the
  assessment tools (tools/models.py): a change is a new version, and rounds and feedback keep the
  version they were made with. The model refuses to save a locked set, and on PostgreSQL a trigger
  refuses the UPDATE whatever the client (migration 0002).
* An audit round samples cases; an auditor from each agency taking part grades every sampled case
  against the round's question set, with evidence; a moderator (one of the auditors) agrees the
  final grade per question and case; findings become learning points and actions that are tracked
  to completion. Auditors read the sampled cases through an explicit, expiring case grant made when
  the round starts and ended when it closes (agencies/access.py, "Multi-agency case audits").
* Family feedback is recorded by a practitioner with the family, or given by the family through a
  single-use link that needs no account (`FeedbackRequest`: only a hash of its token is kept).

Who may see or do what is decided only in `agencies/access.py`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property

from .question_sets import CASE_AUDIT, FAMILY_FEEDBACK, check


class QuestionSetLockedError(Exception):
    """Raised when code tries to change a question set that has left draft."""


class QuestionSetKind(models.TextChoices):
    CASE_AUDIT = CASE_AUDIT, "Case audit"
    FAMILY_FEEDBACK = FAMILY_FEEDBACK, "Family feedback"


class QuestionSetStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    RETIRED = "retired", "Retired"


LOCKED_FIELDS = ("key", "version", "name", "kind", "owner", "structure")


class QuestionSet(models.Model):
    """One version of one question set; all versions share its `key`. At most one published, one draft."""

    key = models.CharField(max_length=60)
    version = models.PositiveIntegerField()
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=QuestionSetKind.choices)
    owner = models.CharField(max_length=200, help_text="The partnership that owns the set.")
    status = models.CharField(max_length=10, choices=QuestionSetStatus.choices, default=QuestionSetStatus.DRAFT)
    structure = models.JSONField(help_text="The checked document (see quality/question_sets.py).")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["key", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="question_set_one_row_per_version"),
            models.UniqueConstraint(fields=["key"], condition=Q(status=QuestionSetStatus.PUBLISHED), name="question_set_one_published_version"),
            models.UniqueConstraint(fields=["key"], condition=Q(status=QuestionSetStatus.DRAFT), name="question_set_one_draft_version"),
        ]

    def __str__(self):
        return f"{self.name} (version {self.version})"

    def save(self, *args, **kwargs):
        stored = getattr(self, "_stored", None)
        if not self._state.adding and stored and stored.get("status") != QuestionSetStatus.DRAFT:
            changed = [name for name in LOCKED_FIELDS if name in stored and getattr(self, name) != stored[name]]
            if changed:
                raise QuestionSetLockedError(f"{self} is {stored['status']}: it cannot be changed; make a new version instead.")
            if self.status == QuestionSetStatus.DRAFT or (stored["status"] == QuestionSetStatus.RETIRED and self.status != stored["status"]):
                raise QuestionSetLockedError(f"{self} is {stored['status']}: it cannot go back to {self.status}.")
        super().save(*args, **kwargs)
        self._stored = {name: getattr(self, name) for name in ("status", *LOCKED_FIELDS)}

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._stored = {name: getattr(instance, name) for name in ("status", *LOCKED_FIELDS) if name in field_names}
        return instance

    def delete(self, *args, **kwargs):
        if self.status != QuestionSetStatus.DRAFT:
            raise QuestionSetLockedError(f"{self} is {self.status}: it cannot be deleted.")
        return super().delete(*args, **kwargs)

    @cached_property
    def parsed(self):
        return check(self.structure)

    @property
    def is_draft(self):
        return self.status == QuestionSetStatus.DRAFT


# --- Audit rounds --------------------------------------------------------------------------------


class Grade(models.TextChoices):
    OUTSTANDING = "outstanding", "Outstanding"
    GOOD = "good", "Good"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement"
    INADEQUATE = "inadequate", "Inadequate"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


GOOD_OR_BETTER = (Grade.OUTSTANDING, Grade.GOOD)
# Graded on the four-point scale: "not applicable" counts in neither the numerator nor the denominator.
GRADED = (Grade.OUTSTANDING, Grade.GOOD, Grade.REQUIRES_IMPROVEMENT, Grade.INADEQUATE)


class RoundStatus(models.TextChoices):
    SETUP = "setup", "Being set up"
    IN_PROGRESS = "in_progress", "In progress"
    CLOSED = "closed", "Closed"


class AuditRound(models.Model):
    """A themed multi-agency audit: its questions, sample, auditors, moderation and learning.

    `ends_on` is the last day auditors may read the sampled cases: their grants end then even if the
    round is never closed, and closing ends them at once.
    """

    title = models.CharField(max_length=200, error_messages={"blank": "Enter a title for the round"})
    theme = models.TextField(help_text="What the round looks at, e.g. neglect at early help.", error_messages={"blank": "Describe the round's theme"})
    question_set = models.ForeignKey(QuestionSet, on_delete=models.PROTECT, related_name="rounds")
    starts_on = models.DateField()
    ends_on = models.DateField(help_text="The last day auditors can read the sampled cases.")
    status = models.CharField(max_length=20, choices=RoundStatus.choices, default=RoundStatus.SETUP)
    moderator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(null=True, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="audit_round_ends_after_it_starts")]

    def __str__(self):
        return self.title

    @property
    def is_setup(self):
        return self.status == RoundStatus.SETUP

    @property
    def is_in_progress(self):
        return self.status == RoundStatus.IN_PROGRESS

    @property
    def is_closed(self):
        return self.status == RoundStatus.CLOSED

    @property
    def questions(self):
        return self.question_set.parsed.questions


class SampleMethod(models.TextChoices):
    RANDOM = "random", "Drawn at random"
    CHOSEN = "chosen", "Chosen"


def reference_letters(number):
    """1 -> "A", 26 -> "Z", 27 -> "AA" (spreadsheet columns)."""
    letters = ""
    while number > 0:
        number, remainder = divmod(number - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


class SampledCase(models.Model):
    """A case in a round's sample, named in the round's pages and report by its reference ("Case C"), never by the child.

    The moderated (agreed) grades and the moderator's summary are on it once moderation is done.
    """

    audit_round = models.ForeignKey(AuditRound, on_delete=models.CASCADE, related_name="sample")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="audit_samples")
    reference = models.PositiveIntegerField()
    method = models.CharField(max_length=10, choices=SampleMethod.choices)
    criteria = models.CharField(max_length=300, blank=True, help_text="For a random draw, the criteria it was drawn by.")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)
    overall_grade = models.CharField(max_length=30, choices=Grade.choices, blank=True)
    moderation_summary = models.TextField(blank=True)
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["audit_round", "reference"]
        constraints = [
            models.UniqueConstraint(fields=["audit_round", "case"], name="audit_sample_one_row_per_case"),
            models.UniqueConstraint(fields=["audit_round", "reference"], name="audit_sample_one_reference"),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self):
        """ "Case A", "Case B"... "Case AA": a letter, so that it is never mistaken for a case number."""
        return f"Case {reference_letters(self.reference)}"

    @property
    def is_moderated(self):
        return self.moderated_at is not None


class RoundAuditor(models.Model):
    """The auditor of one agency in a round: one per agency, each a case worker of it (checked when added)."""

    audit_round = models.ForeignKey(AuditRound, on_delete=models.CASCADE, related_name="auditors")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="audit_assignments")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["audit_round", "agency"], name="audit_round_one_auditor_per_agency"),
            models.UniqueConstraint(fields=["audit_round", "user"], name="audit_round_auditor_once"),
        ]

    def __str__(self):
        return f"{self.user} for {self.agency}"


class AuditorGrade(models.Model):
    """One auditor's grade and evidence for one question on one sampled case (changed until the case is moderated)."""

    sampled_case = models.ForeignKey(SampledCase, on_delete=models.CASCADE, related_name="auditor_grades")
    auditor = models.ForeignKey(RoundAuditor, on_delete=models.PROTECT, related_name="grades")
    question_id = models.CharField(max_length=60)
    grade = models.CharField(max_length=30, choices=Grade.choices)
    evidence = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sampled_case", "auditor", "question_id"], name="auditor_grade_one_per_question")]


class ModeratedGrade(models.Model):
    """The grade agreed at moderation for one question on one sampled case."""

    sampled_case = models.ForeignKey(SampledCase, on_delete=models.CASCADE, related_name="moderated_grades")
    question_id = models.CharField(max_length=60)
    grade = models.CharField(max_length=30, choices=Grade.choices)
    note = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sampled_case", "question_id"], name="moderated_grade_one_per_question")]


class LearningPoint(models.Model):
    """What the round learned, in words that name no child (the round's pages and report are read by people who see no case)."""

    audit_round = models.ForeignKey(AuditRound, on_delete=models.CASCADE, related_name="learning_points")
    question_id = models.CharField(max_length=60, blank=True)
    text = models.TextField(error_messages={"blank": "Describe what the audit found"})
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["audit_round", "recorded_at", "pk"]

    def __str__(self):
        return self.text[:80]


class LearningActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"


class LearningAction(models.Model):
    """An action from a round's findings: what, the owner agency and person or post, the due date, tracked to done.

    It may be copied into the owner agency's neglect action plan (`action_plan_row`), where the
    strategy group reviews it each quarter.
    """

    audit_round = models.ForeignKey(AuditRound, on_delete=models.CASCADE, related_name="actions")
    learning_point = models.ForeignKey(LearningPoint, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions")
    what = models.TextField(error_messages={"blank": "Say what will be done"})
    owner_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    owner = models.CharField(
        max_length=200, help_text="The person or post who will make sure it is done.", error_messages={"blank": "Enter who owns the action"}
    )
    due_on = models.DateField()
    status = models.CharField(max_length=20, choices=LearningActionStatus.choices, default=LearningActionStatus.NOT_STARTED)
    progress = models.TextField(blank=True)
    evidence = models.TextField(blank=True, help_text="What shows the action is done and made a difference.")
    completed_on = models.DateField(null=True, blank=True)
    action_plan_row = models.ForeignKey("partnership.ActionPlanRow", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["audit_round", "due_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(status=LearningActionStatus.DONE) | Q(completed_on__isnull=False), name="learning_action_done_has_date"),
        ]

    def __str__(self):
        return self.what[:80]

    @property
    def is_done(self):
        return self.status == LearningActionStatus.DONE


# --- Family feedback -----------------------------------------------------------------------------


class FeedbackOccasion(models.TextChoices):
    CONFERENCE = "conference", "A child protection conference"
    REVIEW = "review", "A review meeting"
    CHILD_IN_NEED = "child_in_need", "A child in need meeting"
    PLAN_END = "plan_end", "A plan ending"
    CASE_CLOSURE = "case_closure", "The case closing"


class Respondent(models.TextChoices):
    PARENT = "parent", "Parent or carer"
    CHILD = "child", "Child or young person"


class FeedbackChannel(models.TextChoices):
    EMAIL = "email", "Email"
    TEXT = "text", "Text message"


class FeedbackVia(models.TextChoices):
    IN_PERSON = "in_person", "Recorded with the family"
    LINK = "link", "Given through a link"


class FeedbackRequest(models.Model):
    """A single-use link sent to a family: no account, a random token of which only the SHA-256 hash is kept.

    The token is made when the link is sent (quality/tasks.py), so it never rests in the database
    in a usable form, and the address is cleared once the message has gone. The link answers once
    (`used_at`, claimed with a conditional UPDATE) and not after `expires_at`.
    """

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="feedback_requests")
    occasion = models.CharField(max_length=20, choices=FeedbackOccasion.choices)
    respondent = models.CharField(max_length=10, choices=Respondent.choices)
    question_set = models.ForeignKey(QuestionSet, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=10, choices=FeedbackChannel.choices)
    address = models.CharField(max_length=254, blank=True, help_text="Email address or mobile number; cleared once the link is sent.")
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    send_claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["token_hash"], condition=~Q(token_hash=""), name="feedback_request_token_unique"),
        ]

    def __str__(self):
        return f"Feedback link {self.pk}"


class FeedbackResponse(models.Model):
    """What a parent or child told us, on a case: answers keyed by question id, read against the set's version."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="feedback_responses")
    occasion = models.CharField(max_length=20, choices=FeedbackOccasion.choices)
    respondent = models.CharField(max_length=10, choices=Respondent.choices)
    question_set = models.ForeignKey(QuestionSet, on_delete=models.PROTECT, related_name="responses")
    answers = models.JSONField(default=dict)
    via = models.CharField(max_length=10, choices=FeedbackVia.choices)
    request = models.OneToOneField(FeedbackRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="response")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at"]
        indexes = [models.Index(fields=["recorded_at"], name="feedback_response_recorded")]

    def __str__(self):
        return f"Feedback {self.pk} on case {self.case_id}"

    def answer_rows(self):
        """(question, answer in words) in the set's order, for the case page."""
        parsed = self.question_set.parsed
        rows = []
        for question in parsed.questions:
            value = self.answers.get(question.id, "")
            words = value if question.type == "text" else (parsed.label_of(value) if value else "")
            rows.append((question, words))
        return rows
