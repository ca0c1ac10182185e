"""Information-sharing decisions: who shared what about a child, with whom, why, on what lawful basis.

The government's advice to safeguarding practitioners (Information sharing, 2024) asks that every
decision to share, or not to share, is recorded with its reasons: what was shared, with whom, why,
on what lawful basis, and whether the family was told (and if not, why not). Consent is not the
lawful basis for sharing to safeguard a child, and is not asked for here; whether the family knows
is recorded instead, because telling them is the norm unless it would put the child at risk.

A decision is a disclosure log entry, kept exactly as recorded: the model refuses to save an
existing row, its queryset refuses bulk update and delete, and on PostgreSQL a trigger refuses
UPDATE and DELETE on the table and on its recipients (cases/migrations/0007, from when it lived in cases/).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from neglect_portal.records import ImmutableRecordError

__all__ = ["FamilyInformed", "LawfulBasis", "SharedItem", "SharingCondition", "SharingDecision"]


class LawfulBasis(models.TextChoices):
    """UK GDPR Article 6(1): the lawful bases that fit safeguarding sharing by public bodies and partners."""

    PUBLIC_TASK = "public_task", "Public task – UK GDPR Article 6(1)(e)"
    LEGAL_OBLIGATION = "legal_obligation", "Legal obligation – UK GDPR Article 6(1)(c)"
    VITAL_INTERESTS = "vital_interests", "Vital interests – UK GDPR Article 6(1)(d)"
    LEGITIMATE_INTERESTS = "legitimate_interests", "Legitimate interests – UK GDPR Article 6(1)(f) (not for public authorities)"


class SharingCondition(models.TextChoices):
    """UK GDPR Article 9(2) with the Data Protection Act 2018 Schedule 1 conditions for special category data.

    Records about a child's neglect nearly always hold health or other special category data, so a
    condition is required beside the Article 6 basis.
    """

    SAFEGUARDING = "safeguarding", "Safeguarding of children and individuals at risk – DPA 2018 Schedule 1 paragraph 18"
    STATUTORY = "statutory", "Statutory and government purposes – DPA 2018 Schedule 1 paragraph 6"
    PREVENTING_CRIME = "preventing_crime", "Preventing or detecting unlawful acts – DPA 2018 Schedule 1 paragraph 10"
    HEALTH_SOCIAL_CARE = "health_social_care", "Health or social care – UK GDPR Article 9(2)(h)"
    VITAL_INTERESTS = "vital_interests", "Vital interests, consent not possible – UK GDPR Article 9(2)(c)"


class FamilyInformed(models.TextChoices):
    """Whether the family knows this is shared. Consent is not the basis; knowing is the norm."""

    YES = "yes", "Yes, the family knows this is being shared"
    NO = "no", "No (say why, for example telling them could put the child at risk)"
    # Only for decisions recorded by a rule of the system (a conference invitation, a test fixture),
    # never offered on a form: it says honestly that nobody recorded it at the time.
    NOT_RECORDED = "not_recorded", "Not recorded when the agency joined"


class SharedItem(models.TextChoices):
    CONCERN = "concern", "A concern"
    CASE_RECORD = "case_record", "The child's case record (the agency joins the team around the child)"


class SharingDecisionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableRecordError("Information-sharing decisions are recorded once and never changed.")

    def delete(self):
        raise ImmutableRecordError("Information-sharing decisions are recorded once and never deleted.")


class SharingDecision(models.Model):
    """One decision to share information about a child: who decided, what, with whom, why, on what basis."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="sharing_decisions")
    child = models.ForeignKey("cases.Child", on_delete=models.PROTECT, related_name="sharing_decisions")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="sharing_decisions")
    # The decider's agency at the time (people move; the record does not). Null only for a rule of the system.
    decided_by_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="sharing_decisions")
    decided_at = models.DateTimeField(auto_now_add=True)
    shared_item = models.CharField("what is shared", max_length=20, choices=SharedItem.choices)
    concern = models.ForeignKey("concerns.Concern", on_delete=models.PROTECT, null=True, blank=True, related_name="sharing_decisions")
    shared_with = models.ManyToManyField("agencies.Agency", related_name="sharing_decisions_received", help_text="The agencies the information goes to.")
    reason = models.TextField("why", error_messages={"blank": "Say why you are sharing this information"})
    lawful_basis = models.CharField(max_length=30, choices=LawfulBasis.choices, error_messages={"blank": "Choose the lawful basis for sharing"})
    condition = models.CharField(
        "special category condition",
        max_length=30,
        choices=SharingCondition.choices,
        error_messages={"blank": "Choose the condition for sharing special category data"},
    )
    family_informed = models.CharField(
        max_length=20, choices=FamilyInformed.choices, error_messages={"blank": "Say whether the family knows this is being shared"}
    )
    not_informed_reason = models.TextField("why the family was not told", blank=True)

    objects = SharingDecisionQuerySet.as_manager()

    class Meta:
        db_table = "cases_sharingdecision"  # kept from when it lived in cases/
        ordering = ["-decided_at", "-pk"]
        indexes = [models.Index(fields=["case", "decided_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""), name="sharing_decision_states_reason", violation_error_message="Say why you are sharing this information"
            ),
            models.CheckConstraint(
                condition=~Q(family_informed="no") | ~Q(not_informed_reason=""),
                name="sharing_decision_says_why_family_not_told",
                violation_error_message="Say why the family has not been told",
            ),
            models.CheckConstraint(
                condition=Q(shared_item="concern", concern__isnull=False) | Q(shared_item="case_record"),
                name="sharing_decision_of_a_concern_names_it",
                violation_error_message="A decision to share a concern names the concern",
            ),
        ]

    def __str__(self):
        return f"Sharing decision {self.pk} on case {self.case_id}"

    def clean(self):
        errors = {}
        if not (self.reason or "").strip():
            errors["reason"] = "Say why you are sharing this information"
        if self.family_informed == FamilyInformed.NO and not (self.not_informed_reason or "").strip():
            errors["not_informed_reason"] = "Say why the family has not been told"
        if self.case_id and self.child_id and self.case.child_id != self.child_id:
            errors["child"] = "A sharing decision must be about the child of its case"
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableRecordError("An information-sharing decision cannot be changed once recorded.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRecordError("An information-sharing decision cannot be deleted.")
