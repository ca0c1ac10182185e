"""Management oversight: a manager's recorded review of a case.

Moved from cases/ (issue 19) by state only: the table keeps its name (`cases_oversight`), its index
and its check constraint (oversight/migrations/0001_initial.py), so no row moved.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from cases.models import Case, not_in_future, raise_if


class Oversight(models.Model):
    """A manager's recorded review of a case: the decision, why, and when to look again."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="oversights")
    manager = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="oversights")
    recorded_on = models.DateField()
    decision = models.TextField(error_messages={"blank": "Record the decision"})
    reasons = models.TextField(error_messages={"blank": "Give the reasons for the decision"})
    next_review_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "cases_oversight"  # kept from when it lived in cases/
        indexes = [models.Index(fields=["case", "recorded_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(next_review_on__gt=F("recorded_on")),
                name="oversight_next_review_after_recording",
                violation_error_message="The next review date must be after the date of this oversight",
            ),
        ]

    def __str__(self):
        return f"Oversight of case {self.case_id} on {self.recorded_on:%d %B %Y}"

    def clean(self):
        errors = {}
        not_in_future(errors, "recorded_on", self.recorded_on, "Date of oversight")
        if self.next_review_on and self.recorded_on and self.next_review_on <= self.recorded_on:
            errors["next_review_on"] = "The next review date must be after the date of this oversight"
        raise_if(errors)
