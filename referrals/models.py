"""Referrals to children's social care (the front door), and their outcomes.

Moved from cases/ (issue 19) by state only: the table keeps its name (`cases_referral`), its index
and its check constraint (referrals/migrations/0001_initial.py), so no row moved. Whether a referral
repeats one made within 12 months is derived when read (referrals/history.py), never stored.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from cases.models import Case, Child, not_in_future, raise_if


class ReferralOutcome(models.TextChoices):
    NO_FURTHER_ACTION = "no_further_action", "No further action"
    EARLY_HELP = "early_help", "Early help"
    STATUTORY_ASSESSMENT = "statutory_assessment", "Statutory assessment"
    STRATEGY_DISCUSSION_S47 = "strategy_discussion_s47", "Strategy discussion (section 47)"


class Referral(models.Model):
    """A referral to children's social care (the front door).

    Neglect is a boolean beside free-text reasons rather than a coded list: the dashboard asks
    one question of every referral ("was it for neglect?") and a boolean column answers it with a
    plain indexed filter on any database; the other reasons vary too much to code usefully.
    Whether it repeats a referral within 12 months is derived (referrals/history.py), never typed in.
    """

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="referrals")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals")
    referred_on = models.DateField()
    referring_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="referrals_made")
    is_neglect = models.BooleanField("referred for neglect", default=False)
    reasons = models.TextField(error_messages={"blank": "Give the reasons for the referral"})
    outcome = models.CharField(max_length=30, choices=ReferralOutcome.choices, blank=True)
    outcome_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referrals_recorded")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "cases_referral"  # kept from when it lived in cases/
        indexes = [
            # A child's referrals by date, the latest on or before a day first (its id breaks a tie without a sort):
            # the episode a plan belongs to, read once per plan by the dashboard's neglect rule.
            models.Index(fields=["child", "referred_on", "id"], name="referral_child_by_date"),
            # The quarter's referrals (the dashboard's referral measures and their breakdown).
            models.Index(fields=["referred_on"], name="referral_referred_on"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="", outcome_on__isnull=True) | (~Q(outcome="") & Q(outcome_on__gte=F("referred_on"))),
                name="referral_outcome_has_date_on_or_after_referral",
                violation_error_message="An outcome needs a date on or after the referral",
            ),
        ]

    def __str__(self):
        return f"Referral of {self.child} on {self.referred_on:%d %B %Y}"

    def clean(self):
        errors = {}
        not_in_future(errors, "referred_on", self.referred_on, "Date referred")
        not_in_future(errors, "outcome_on", self.outcome_on, "Date of outcome")
        if self.outcome and self.outcome_on is None:
            errors["outcome_on"] = "Enter the date of the outcome"
        if self.outcome_on and not self.outcome:
            errors["outcome"] = "Choose the outcome"
        if self.outcome_on and self.referred_on and self.outcome_on < self.referred_on:
            errors["outcome_on"] = "The date of the outcome must be on or after the date referred"
        if self.case_id and self.child_id and self.case.child_id != self.child_id:
            errors["case"] = "The case must be the referred child's case"
        raise_if(errors)
