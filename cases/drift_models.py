"""A manager's recorded decision about a drift flag (see cases/drift.py).

A flag is never stored: it is derived from the case's records every time it is read, so it cannot
go stale. What is stored is the decision a manager made about it, which is evidence in its own
right: who looked, why they judged the delay acceptable, and when they will look again.
"""
from django.conf import settings
from django.db import models
from django.db.models import F, Q

__all__ = ["DriftAcknowledgement"]


class DriftAcknowledgement(models.Model):
    """An oversight decision against one rule's flags on one case, until a review date.

    It covers the flags of `code` that already applied on `acknowledged_on` (a flag starting later,
    such as the escalation of a plan from amber to red, is a new situation and shows in full), and
    only until `review_on`; after that the flag shows again as before. The decision is also an
    `Oversight` on the case, so it is on the record where oversight is read.
    """

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="drift_acknowledgements")
    code = models.CharField(max_length=40)
    reason = models.TextField(error_messages={"blank": "Give the reason for your decision"})
    acknowledged_on = models.DateField()
    review_on = models.DateField()
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="drift_acknowledgements")
    oversight = models.OneToOneField("cases.Oversight", on_delete=models.PROTECT, related_name="drift_acknowledgement")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["case", "review_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(review_on__gt=F("acknowledged_on")),
                name="drift_acknowledgement_review_after_decision",
                violation_error_message="The review date must be after today",
            ),
        ]

    def __str__(self):
        return f"{self.code} on case {self.case_id} acknowledged until {self.review_on:%d %B %Y}"
