"""What the census needs and the case record does not hold, kept beside the referral, not in it.

One `ReferralCensus` row per referral (one CIN episode in the return), created when somebody codes
the census fields; a referral without one is exported with what the case record says, and the gaps
go to the data-quality list. Nothing here is required by the case work itself, so `cases` is not
changed to carry statutory return fields.
"""
from django.core.exceptions import ValidationError
from django.db import models

from . import codes


class ReferralCensus(models.Model):
    referral = models.OneToOneField("cases.Referral", on_delete=models.CASCADE, related_name="census")
    primary_need = models.CharField(max_length=2, choices=codes.choices(codes.PRIMARY_NEED), blank=True)
    referral_source = models.CharField(
        max_length=2, choices=codes.choices(codes.REFERRAL_SOURCE), blank=True,
        help_text="Only when the referring agency's kind does not give the right source (e.g. an individual).",
    )
    closure_reason = models.CharField(max_length=3, choices=codes.choices(codes.REASON_FOR_CLOSURE), blank=True)
    assessment_authorised_on = models.DateField(null=True, blank=True)
    assessment_factors = models.JSONField(default=list, blank=True, help_text="Census factor codes, e.g. [\"16A\", \"4B\"].")
    icpc_not_required = models.BooleanField(
        "initial conference not required", default=False,
        help_text="The section 47 enquiry concluded that no initial child protection conference was needed.",
    )

    class Meta:
        verbose_name = "census coding of a referral"

    def __str__(self):
        return f"Census coding of referral {self.referral_id}"

    def clean(self):
        unknown = [code for code in self.assessment_factors if code not in codes.ASSESSMENT_FACTORS]
        if unknown:
            raise ValidationError({"assessment_factors": f"Not census factor codes: {', '.join(map(str, unknown))}"})
