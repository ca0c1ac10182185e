"""Level-of-need decisions: a case stepped up or down, with reasons, recorded once (issue 15 item 2).

The case's `threshold` says the level now; each change is a decision in its own right, with who
decided, when and why, and on a step down the early-help lead and the date to look again. A
learning review must see what was decided and on what grounds, so a decision is never changed or
deleted: the model and its queryset refuse, and on PostgreSQL triggers refuse UPDATE always and
DELETE except in an approved retention deletion (migration 0002), as for information-sharing
decisions and concerns.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from cases.models import Threshold
from neglect_portal.records import ImmutableRecordError

from .levels import is_step_down, level_label


class LevelOfNeedDecisionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableRecordError("Level-of-need decisions are recorded once and never changed.")

    def delete(self):
        raise ImmutableRecordError("Level-of-need decisions are recorded once and never deleted.")


class LevelOfNeedDecision(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="level_of_need_decisions")
    from_level = models.CharField(max_length=30, choices=Threshold.choices)
    to_level = models.CharField(max_length=30, choices=Threshold.choices, error_messages={"blank": "Choose the new level of need"})
    reasons = models.TextField(error_messages={"blank": "Give the reasons for the decision"})
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="level_of_need_decisions")
    decided_on = models.DateField()
    # A step down: who leads the early help now (they become the lead professional), and when to look again.
    early_help_lead = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    review_on = models.DateField(null=True, blank=True)
    # The case's lead professional when the decision was made: drift's step-down rule asks whether anyone leads it since.
    lead_professional_then = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = LevelOfNeedDecisionQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["case", "decided_on"])]
        constraints = [
            models.CheckConstraint(condition=~Q(to_level=F("from_level")), name="level_of_need_decision_changes_the_level"),
            models.CheckConstraint(
                condition=Q(review_on__isnull=True) | Q(review_on__gt=F("decided_on")),
                name="level_of_need_review_after_decision",
                violation_error_message="The review date must be after the decision",
            ),
        ]

    def __str__(self):
        return f"case {self.case_id}: {self.from_level} to {self.to_level} on {self.decided_on:%d %B %Y}"

    @property
    def is_step_down(self):
        return is_step_down(self.from_level, self.to_level)

    @property
    def from_label(self):
        return level_label(self.from_level)

    @property
    def to_label(self):
        return level_label(self.to_level)

    def clean(self):
        errors = {}
        if self.to_level and self.to_level == self.from_level:
            errors["to_level"] = "The case is already at this level: choose a different level"
        elif self.to_level and self.from_level and self.is_step_down and self.review_on is None:
            errors["review_on"] = "Enter the date the step down will be reviewed"
        if self.review_on is not None and self.decided_on is not None and self.review_on <= self.decided_on:
            errors["review_on"] = "The review date must be after today"
        if self.early_help_lead_id and self.to_level and self.from_level and not self.is_step_down:
            errors["early_help_lead"] = "Name an early-help lead only when stepping the level down"
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableRecordError("A level-of-need decision cannot be changed once recorded.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRecordError("A level-of-need decision cannot be deleted.")
