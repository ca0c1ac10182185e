"""What the census needs and the case record does not hold, kept beside the referral, not in it.

One `ReferralCensus` row per referral (one CIN episode in the return), created when somebody codes
the census fields; a referral without one is exported with what the case record says, and the gaps
go to the data-quality list. Nothing here is required by the case work itself, so `cases` is not
changed to carry statutory return fields.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from . import codes


class ReferralCensus(models.Model):
    referral = models.OneToOneField("referrals.Referral", on_delete=models.CASCADE, related_name="census")
    primary_need = models.CharField(max_length=2, choices=codes.choices(codes.PRIMARY_NEED), blank=True)
    referral_source = models.CharField(
        max_length=2,
        choices=codes.choices(codes.REFERRAL_SOURCE),
        blank=True,
        help_text="Only when the referring agency's kind does not give the right source (e.g. an individual).",
    )
    closure_reason = models.CharField(max_length=3, choices=codes.choices(codes.REASON_FOR_CLOSURE), blank=True)
    assessment_authorised_on = models.DateField(null=True, blank=True)
    assessment_factors = models.JSONField(default=list, blank=True, help_text='Census factor codes, e.g. ["16A", "4B"].')
    icpc_not_required = models.BooleanField(
        "initial conference not required",
        default=False,
        help_text="The section 47 enquiry concluded that no initial child protection conference was needed.",
    )
    created_by_import = models.BooleanField(
        default=False, editable=False, help_text="The referral (and its case) made by a census import, which may therefore update it."
    )

    class Meta:
        verbose_name = "census coding of a referral"

    def __str__(self):
        return f"Census coding of referral {self.referral_id}"

    def clean(self):
        unknown = [code for code in self.assessment_factors if code not in codes.ASSESSMENT_FACTORS]
        if unknown:
            raise ValidationError({"assessment_factors": f"Not census factor codes: {', '.join(map(str, unknown))}"})


# --- Statutory records the case model does not hold (filled by the census import; read by the export) ---

UPN_UNKNOWN = {
    "UN1": "Child is now deceased",
    "UN2": "Child has not started school yet",
    "UN3": "Child is educated at home",
    "UN4": "Child is educated outside England or Wales",
    "UN5": "Sources collating UPNs reflect a discrepancy",
    "UN6": "Child aged under 6 years old and is not yet in school",
    "UN7": "Referral with no further action",
}
DISABILITIES = ("NONE", "MOB", "HAND", "PC", "INC", "COMM", "LD", "HEAR", "VIS", "BEH", "CON", "AUT", "DDA")


class ChildCensus(models.Model):
    """A child's census identifiers and characteristics that `cases.Child` does not carry.

    `la_child_id` is the LAchildID of an imported return (the sending system's number); blank for
    children first recorded in the portal, whose LAchildID is their portal number.
    """

    child = models.OneToOneField("cases.Child", on_delete=models.CASCADE, related_name="census")
    la_child_id = models.CharField("LAchildID", max_length=30, blank=True)
    former_upn = models.CharField("former UPN", max_length=13, blank=True)
    upn_unknown = models.CharField("reason the UPN is unknown", max_length=3, choices=list(UPN_UNKNOWN.items()), blank=True)
    death_date = models.DateField(null=True, blank=True)
    disabilities = models.JSONField(default=list, blank=True, help_text='Census disability codes, e.g. ["MOB", "LD"] or ["NONE"].')
    created_by_import = models.BooleanField(default=False, editable=False, help_text="The child record made by a census import, which may therefore update it.")

    class Meta:
        verbose_name = "census record of a child"
        constraints = [
            models.UniqueConstraint(fields=["la_child_id"], condition=~models.Q(la_child_id=""), name="one_child_per_la_child_id"),
        ]

    def __str__(self):
        return f"Census record of child {self.child_id}"


class CensusAssessment(models.Model):
    """A children and families assessment of one CIN episode (its referral), as the census reports it."""

    referral = models.ForeignKey("referrals.Referral", on_delete=models.CASCADE, related_name="census_assessments")
    started_on = models.DateField()
    internal_review_on = models.DateField(null=True, blank=True)
    authorised_on = models.DateField(null=True, blank=True)
    factors = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["started_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["referral", "started_on"], name="one_census_assessment_per_start")]


class CensusSection47(models.Model):
    """A section 47 enquiry of one CIN episode and its initial conference, as the census reports it."""

    referral = models.ForeignKey("referrals.Referral", on_delete=models.CASCADE, related_name="census_section47s")
    started_on = models.DateField()
    icpc_target_on = models.DateField("initial conference target date", null=True, blank=True)
    icpc_on = models.DateField("date of the initial conference", null=True, blank=True)
    icpc_not_required = models.BooleanField(default=False)

    class Meta:
        ordering = ["started_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["referral", "started_on"], name="one_census_section47_per_start")]


class PlanCensus(models.Model):
    """What the census says of a plan beyond `plans.Plan`. For a child protection plan: both categories,
    the count of earlier plans (which may predate the portal) and the review conference dates; for a
    child in need plan only whether an import made it."""

    plan = models.OneToOneField("plans.Plan", on_delete=models.CASCADE, related_name="census")
    initial_category = models.CharField(max_length=3, choices=codes.choices(codes.CATEGORY_OF_ABUSE), blank=True)
    latest_category = models.CharField(max_length=3, choices=codes.choices(codes.CATEGORY_OF_ABUSE), blank=True)
    previous_plans = models.PositiveIntegerField(null=True, blank=True)
    created_by_import = models.BooleanField(default=False, editable=False, help_text="The plan made by a census import, which may therefore update it.")

    class Meta:
        verbose_name = "census record of a child protection plan"

    @property
    def review_dates(self) -> list[str]:
        """ISO dates of the review conferences, in order (prefetch `reviews` when reading many)."""
        return [review.held_on.isoformat() for review in self.reviews.all()]


class CensusReview(models.Model):
    """The `number`th review conference of a child protection plan, as the census return dates it.

    A row per review (rather than a list of dates) gives each review an identity its chronology
    entry is kept against: a return that re-dates review 2 amends that review's entry.
    """

    plan_census = models.ForeignKey(PlanCensus, on_delete=models.CASCADE, related_name="reviews")
    number = models.PositiveSmallIntegerField()
    held_on = models.DateField()

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["plan_census", "number"], name="one_census_review_per_number")]

    def __str__(self):
        return f"Review {self.number} of plan {self.plan_census.plan_id} on {self.held_on}"


class CensusUpload(models.Model):
    """A return uploaded for import, kept between its dry run and the confirmation that applies it.

    The file stays in the database (not on disk) keyed by id, with its SHA-256; only its uploader can
    confirm it, and a confirmation checks the digest, so what is applied is what was dry-run.
    """

    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    filename = models.CharField(max_length=200)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    dry_run = models.JSONField(default=dict, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    applied = models.JSONField(default=dict, blank=True)

    def __str__(self):
        return f"Census upload {self.pk} ({self.filename})"
