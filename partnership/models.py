"""The partnership's own records: agency neglect action plans and the partnership profile.

Action plans (docs/domain.md, "Domain words") are partnership-level documents the strategy group
reviews each quarter. They hold no child's data, so the rules for who reads and edits them are
role rules in `agencies.access` ("Agency action plans"), not case visibility.

A row's status is never a field of the row: it is the latest of its `ActionPlanUpdate`s, which are
only ever added (history is kept, never overwritten). A correction is a newer update.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce


class Rag(models.TextChoices):
    """Red, amber, green, and complete for an action that is done (counted apart from green)."""

    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"
    COMPLETE = "complete", "Complete"


class ActionPlan(models.Model):
    """One agency's neglect action plan, or (no agency) the strategy group's overarching plan."""

    agency = models.OneToOneField("agencies.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="action_plan")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        constraints = [
            # At most one overarching plan: the one-to-one's unique index lets many NULLs through.
            models.UniqueConstraint(Coalesce("agency", 0), name="one_action_plan_per_agency_and_one_overarching"),
        ]

    @property
    def is_overarching(self):
        return self.agency_id is None

    @property
    def title(self):
        return "Overarching neglect strategy plan" if self.is_overarching else f"{self.agency.name} neglect action plan"

    def __str__(self):
        return self.title


class ActionPlanRow(models.Model):
    """One objective and the action towards it.

    `version` goes up by one with every change (an edit or a new update), through a conditional
    UPDATE on the version the editor saw: two people editing at once cannot both succeed, the second
    is told instead of silently overwriting the first (see `partnership.services`).
    """

    plan = models.ForeignKey(ActionPlan, on_delete=models.PROTECT, related_name="rows")
    objective = models.TextField()
    action = models.TextField()
    input = models.TextField(help_text="Resources, people or money the action needs.")
    desired_outcome = models.TextField()
    lead = models.CharField(max_length=200, help_text="The person or post leading the action.")
    timescale = models.DateField(help_text="When the action should be done by.")
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["plan", "pk"]

    def __str__(self):
        return self.objective[:80]


class ActionPlanUpdate(models.Model):
    """A quarterly review of a row: its RAG status and the progress note, as recorded for a quarter.

    Only added, never changed. The row's status as at a quarter is its latest update recorded for
    that quarter or an earlier one (the latest recorded wins within a quarter).
    """

    row = models.ForeignKey(ActionPlanRow, on_delete=models.PROTECT, related_name="updates")
    quarter = models.CharField(max_length=10, help_text="Financial-year quarter, e.g. 2025-26-Q3.")
    rag = models.CharField(max_length=10, choices=Rag.choices)
    progress = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # Quarter names (YYYY-YY-Qn) sort as the quarters do, so "latest" is an ORDER BY.
        ordering = ["-quarter", "-recorded_at", "-pk"]
        indexes = [models.Index(fields=["row", "quarter", "recorded_at"], name="plan_update_row_quarter")]

    def __str__(self):
        return f"{self.quarter}: {self.get_rag_display()}"


class LogoType(models.TextChoices):
    PNG = "image/png", "PNG"
    JPEG = "image/jpeg", "JPEG"
    SVG = "image/svg+xml", "SVG"


class PartnershipProfile(models.Model):
    """The partnership's name, logo and under-18 population as its admins set them (one row).

    Blank values fall back to the settings (PARTNERSHIP_NAME, PARTNERSHIP_LOGO_FILE,
    PARTNERSHIP_UNDER_18_POPULATION), so a deployment works before anyone opens the page. The logo
    is kept in the database (a few hundred kilobytes at most) so that the PDF renders it as a data:
    URI with no media storage and no network.
    """

    name = models.CharField(max_length=200, blank=True)
    logo = models.BinaryField(blank=True, default=b"")
    logo_type = models.CharField(max_length=20, choices=LogoType.choices, blank=True)
    under_18_population = models.PositiveIntegerField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    SINGLETON_ID = 1

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="partnership_profile_singleton")]

    def __str__(self):
        return self.name or "Partnership profile"


class WordingGuideEntry(models.Model):
    """One entry of the partnership's wording guide: a phrase that can read as blame, why, and what to write instead.

    Practitioners see the entry as a hint beside a free-text field when what they type matches it
    (partnership/wording.py): never a block. Matching is by word forms, so "refused to engage"
    also finds "refusing to engage". `also_matches` holds other phrasings of the same idea and
    `unless` phrases in which a match is not blaming (one per line; in `unless`, "*" stands for
    one to three words: "found * difficult" spares "the child found the stairs difficult to climb").
    """

    phrase = models.CharField(max_length=100, unique=True, error_messages={"unique": "The guide already has this phrase"})
    also_matches = models.TextField(blank=True, help_text="Other phrasings of the same idea, one per line.")
    unless = models.TextField(blank=True, help_text="Phrases in which a match is not blaming, one per line; * stands for one to three words.")
    why = models.TextField(help_text="Why the phrase can blame or mislead.")
    instead = models.TextField(help_text="What to write instead, ideally with an example.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["phrase"]
        verbose_name_plural = "wording guide entries"

    def __str__(self):
        return self.phrase

    @staticmethod
    def lines(text):
        return [line.strip() for line in (text or "").splitlines() if line.strip()]

    @property
    def phrasings(self):
        """The phrase and its other phrasings."""
        return [self.phrase.strip(), *self.lines(self.also_matches)]

    @property
    def exceptions(self):
        return self.lines(self.unless)
