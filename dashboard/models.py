"""A quarter's dashboard as the strategy group signed it off: the measures and the PDF, computed once.

One row per quarter (`quarter` is unique), so queuing a quarter twice cannot make two snapshots.
The PDF is stored in the row (`pdf`, a few hundred kilobytes) rather than in file storage so that
the measures, the document and `status = done` are written in one database transaction: a reader
never sees figures without their PDF, or a PDF of other figures.
"""

from django.conf import settings
from django.db import models


class SnapshotStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class DashboardSnapshot(models.Model):
    quarter = models.CharField(max_length=10, unique=True, help_text="Financial-year quarter, e.g. 2025-26-Q3.")
    status = models.CharField(max_length=10, choices=SnapshotStatus.choices, default=SnapshotStatus.QUEUED)
    measures = models.JSONField(default=dict, blank=True)
    pdf = models.BinaryField(blank=True, default=b"")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True, help_text="When a worker took the job; a stale claim may be taken again.")
    computed_at = models.DateTimeField(null=True, blank=True)
    failure_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-quarter"]

    def __str__(self):
        return f"Dashboard {self.quarter} ({self.get_status_display().lower()})"


# --- Measure sets, targets, the narrative and the sign-off (docs/dashboard.md) ----------------------


class MeasureSet(models.Model):
    """The measures one strategy asks for, each with the line of the strategy it answers.

    The three shipped strategies are rows made by a migration from dashboard/strategy_sets.json; a
    partnership adds its own as data (`manage.py add_measure_set`). Items name catalogue keys
    (dashboard/measures.py): a key the catalogue does not have (a required-tool measure where no
    tool is required) is listed in the set and left out of the dashboard.
    """

    key = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    source = models.TextField(help_text="The document the set comes from: its title, publisher and years.")
    shipped = models.BooleanField(default=False, help_text="Made by the portal from a published strategy, not by the partnership.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class MeasureSetItem(models.Model):
    measure_set = models.ForeignKey(MeasureSet, on_delete=models.CASCADE, related_name="items")
    measure_key = models.CharField(max_length=80)
    source_line = models.TextField(help_text="The line of the strategy this measure answers, in the portal's words.")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["measure_set", "measure_key"], name="one_item_per_measure_in_a_set")]

    def __str__(self):
        return f"{self.measure_key} in {self.measure_set_id}"


class DashboardSetup(models.Model):
    """The partnership's dashboard (one row): its chosen set, measures added from the catalogue, its board.

    No row, or no set chosen, shows every measure of the catalogue. `board` is the board the
    quarterly report goes to; the PDF names it beside the partnership (never a setting's name).
    """

    measure_set = models.ForeignKey(MeasureSet, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    added_measures = models.JSONField(default=list, blank=True, help_text="Catalogue keys shown beside the chosen set.")
    board = models.CharField(max_length=200, blank=True, help_text="The board the quarterly report goes to.")
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    SINGLETON_ID = 1

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(pk=1), name="dashboard_setup_singleton")]

    def __str__(self):
        return "Dashboard set-up"


class MeasureTarget(models.Model):
    """A target the strategy group set for a measure, with who, when and why; a row with no value removes it.

    Rows are only added: the latest for a measure is its target, and the earlier ones are its
    history. A measure without a target has no RAG rating.
    """

    measure_key = models.CharField(max_length=80, db_index=True)
    value = models.FloatField(null=True, blank=True)
    reason = models.TextField()
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-set_at", "-pk"]

    def __str__(self):
        return f"Target for {self.measure_key}: {self.value}"


class QuarterReport(models.Model):
    """The strategy group's words for a quarter: a narrative per theme, the issues to escalate, the sign-off.

    Signing off names a person (their name and position as they want them printed) and locks the
    words: the signed PDF holds them as they were. `version` catches two people editing at once.
    """

    quarter = models.CharField(max_length=10, unique=True)
    narratives = models.JSONField(default=dict, blank=True, help_text="Theme key -> what the strategy group reads in the figures.")
    escalations = models.TextField(blank=True, help_text="Issues to escalate to the safeguarding partnership.")
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    signed_off_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    signed_off_name = models.CharField(max_length=200, blank=True)
    signed_off_position = models.CharField(max_length=200, blank=True)
    signed_off_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-quarter"]

    def __str__(self):
        return f"Report for {self.quarter}"

    @property
    def is_signed_off(self):
        return self.signed_off_at is not None
