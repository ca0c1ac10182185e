"""Assessment tools: versioned, partnership-owned definitions and the runs made with them.

A definition is locked once it leaves draft: a run must always be read against the exact
structure it was made with, so a change makes a new version instead (docs/domain.md, "Domain words"). A final run is
evidence of what an assessor found on a day, so it never changes. Both rules hold three times
over: services refuse, the model refuses to save, and on PostgreSQL a trigger refuses the UPDATE
whatever the client (migration 0002).

Who may see or do what is decided only in `agencies/access.py`; runs hang off a case, so they are
read through `records_visible_to` / `access_case_record`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property

from .definitions import check


class DefinitionLockedError(Exception):
    """Raised when code tries to change a definition that has left draft."""


class FinalRunError(Exception):
    """Raised when code tries to change or remove a final run."""


class DefinitionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    RETIRED = "retired", "Retired"


# The fields that make a definition what it is; none may change once it has left draft.
LOCKED_FIELDS = ("key", "version", "name", "owner", "structure")


class ToolDefinition(models.Model):
    """One version of one tool. All versions of a tool share its `key`.

    Owned by the partnership (`owner` is its name): there is no agency column, so an agency cannot
    hold a local variant. At most one version of a tool is published and at most one is a draft.
    """

    key = models.CharField(max_length=60)
    version = models.PositiveIntegerField()
    name = models.CharField(max_length=200)
    owner = models.CharField(max_length=200, help_text="The partnership that owns the definition.")
    status = models.CharField(max_length=10, choices=DefinitionStatus.choices, default=DefinitionStatus.DRAFT)
    structure = models.JSONField(help_text="The checked definition document (see tools/definitions.py).")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["key", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="tool_definition_one_row_per_version"),
            models.UniqueConstraint(fields=["key"], condition=Q(status=DefinitionStatus.PUBLISHED), name="tool_definition_one_published_version"),
            models.UniqueConstraint(fields=["key"], condition=Q(status=DefinitionStatus.DRAFT), name="tool_definition_one_draft_version"),
        ]

    def __str__(self):
        return f"{self.name} (version {self.version})"

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._stored = {name: getattr(instance, name) for name in ("status", *LOCKED_FIELDS) if name in field_names}
        return instance

    def save(self, *args, **kwargs):
        stored = getattr(self, "_stored", None)
        if not self._state.adding and stored and stored.get("status") != DefinitionStatus.DRAFT:
            changed = [name for name in LOCKED_FIELDS if name in stored and getattr(self, name) != stored[name]]
            if changed:
                raise DefinitionLockedError(f"{self} is {stored['status']}: it cannot be changed; make a new version instead.")
            if self.status == DefinitionStatus.DRAFT or (stored["status"] == DefinitionStatus.RETIRED and self.status != stored["status"]):
                raise DefinitionLockedError(f"{self} is {stored['status']}: it cannot go back to {self.status}.")
        super().save(*args, **kwargs)
        self._stored = {name: getattr(self, name) for name in ("status", *LOCKED_FIELDS)}

    def delete(self, *args, **kwargs):
        if self.status != DefinitionStatus.DRAFT:
            raise DefinitionLockedError(f"{self} is {self.status}: it cannot be deleted.")
        return super().delete(*args, **kwargs)

    @cached_property
    def parsed(self):
        """The typed view of `structure` (areas, items, scales; see tools/definitions.py)."""
        return check(self.structure)

    @property
    def is_draft(self):
        return self.status == DefinitionStatus.DRAFT


class RunStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    FINAL = "final", "Final"


class AreaStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"


class AssessmentRunQuerySet(models.QuerySet):
    """Bulk writes may not touch final runs (a model's own save() does not come through here)."""

    def update(self, **kwargs):
        if self.filter(status=RunStatus.FINAL).exists():
            raise FinalRunError("Final assessment runs cannot be changed.")
        return super().update(**kwargs)

    def delete(self):
        if self.filter(status=RunStatus.FINAL).exists():
            raise FinalRunError("Final assessment runs cannot be deleted.")
        return super().delete()


class AssessmentRun(models.Model):
    """One use of a tool for a child, on one of the child's cases: a draft until finalised.

    `answers` maps area id -> item id -> {"value", "evidence"}; an area id is present once the area
    has been saved (so "in progress" can be told from "not started"). `scores` is written when the
    run is finalised, computed from the definition (tools/scoring.py), and never by a client.
    The definition version is the one the run was started on, for good.
    """

    definition = models.ForeignKey(ToolDefinition, on_delete=models.PROTECT, related_name="runs")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="tool_runs")
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="tool_runs")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="tool_runs")
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.DRAFT)
    assessed_on = models.DateField()
    age_band = models.CharField(max_length=60, blank=True)
    people_present = models.TextField(blank=True)
    child_voice = models.TextField(blank=True)
    answers = models.JSONField(default=dict, blank=True)
    scores = models.JSONField(default=dict, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finalised_at = models.DateTimeField(null=True, blank=True)
    finalised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    objects = AssessmentRunQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["case", "status", "assessed_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=RunStatus.DRAFT) | Q(finalised_at__isnull=False),
                name="tool_run_final_has_finalised_at",
            ),
        ]

    def __str__(self):
        return f"{self.definition.name} for case {self.case_id}, {self.assessed_on:%d %B %Y}"

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._stored_status = instance.status if "status" in field_names else None
        return instance

    def save(self, *args, **kwargs):
        if not self._state.adding and getattr(self, "_stored_status", None) == RunStatus.FINAL:
            raise FinalRunError("This assessment is final and cannot be changed.")
        super().save(*args, **kwargs)
        self._stored_status = self.status

    def delete(self, *args, **kwargs):
        if self.status == RunStatus.FINAL or getattr(self, "_stored_status", None) == RunStatus.FINAL:
            raise FinalRunError("This assessment is final and cannot be deleted.")
        return super().delete(*args, **kwargs)

    @property
    def is_final(self):
        return self.status == RunStatus.FINAL

    @property
    def structure(self):
        return self.definition.parsed

    def answer(self, area_id, item_id):
        return (self.answers.get(area_id) or {}).get(item_id) or {}

    def _area_gaps(self, area):
        """What an area still needs before the run can be finalised: (item, message) pairs."""
        gaps = []
        for item in area.items_for(self.age_band):
            answer = self.answer(area.id, item.id)
            if item.required and answer.get("value") in (None, ""):
                gaps.append((item, "Write your answer" if item.scale.kind == "text" else "Choose an answer"))
            # Some items need evidence whatever the answer; on others only some answers do (the
            # checklist's "No" and "Borderline"): `Item.needs_evidence` is that one rule.
            if item.needs_evidence(answer.get("value")) and not answer.get("evidence"):
                gaps.append((item, "Give the evidence for your answer"))
        return gaps

    def area_status(self, area):
        if area.id not in self.answers:
            return AreaStatus.NOT_STARTED
        return AreaStatus.IN_PROGRESS if self._area_gaps(area) else AreaStatus.COMPLETED

    def _details_gaps(self):
        gaps = []
        if self.structure.age_bands and not self.structure.band(self.age_band):
            gaps.append("Choose the child's age band")
        if not self.people_present.strip():
            gaps.append("Say who was present at the assessment")
        return gaps

    def _voice_gaps(self):
        return [] if self.child_voice.strip() else ["Record the child's voice, or why it could not be heard"]

    def details_status(self):
        return AreaStatus.NOT_STARTED if self._details_gaps() else AreaStatus.COMPLETED

    def voice_status(self):
        return AreaStatus.NOT_STARTED if self._voice_gaps() else AreaStatus.COMPLETED

    def problems_before_finalising(self):
        """Every gap that stops finalising, as (where, message) pairs: `where` is "details",
        "voice", or an area id; the message names the item."""
        problems = [("details", message) for message in self._details_gaps()]
        for area in self.structure.areas:
            problems += [(area.id, f"{area.title}: {item.title} – {message.lower()}") for item, message in self._area_gaps(area)]
        return problems + [("voice", message) for message in self._voice_gaps()]

    @property
    def is_ready_to_finalise(self):
        """Nothing stops finalising: the one rule the service enforces and the task list offers.

        An area with nothing required (for the child's age band) need not be opened: it shows "Not
        started" on the task list, and the run may still be finalised.
        """
        return not self.problems_before_finalising()
