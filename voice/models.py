"""The child's voice: what the child said or showed (or a parent said on their behalf), and how they feel.

Moved from cases/ (issue 19) by state only: the table keeps its name (`cases_childvoice`) and its
index (voice/migrations/0001_initial.py), so no row moved.
"""

from django.conf import settings
from django.db import models

from cases.models import Case, not_in_future, raise_if


class Speaker(models.TextChoices):
    CHILD = "child", "The child"
    PARENT_OR_CARER = "parent_or_carer", "A parent or carer"


class VoiceMethod(models.TextChoices):
    WORDS = "words", "Words"
    DRAWING = "drawing", "Drawing"
    PLAY = "play", "Play"
    OBSERVATION = "observation", "Observation"
    DIGITAL = "digital", "Digital"


class ChildVoice(models.Model):
    """What the child said or showed (or a parent said on their behalf), and how they feel."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="voices")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="voices_recorded")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="voices_recorded")
    recorded_on = models.DateField()
    speaker = models.CharField(max_length=20, choices=Speaker.choices, default=Speaker.CHILD)
    what_was_said = models.TextField(
        help_text="What the child said or showed.",
        error_messages={"blank": "Record what the child said or showed"},
    )
    how_they_feel = models.TextField(blank=True)
    method = models.CharField(max_length=20, choices=VoiceMethod.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "cases_childvoice"  # kept from when it lived in cases/
        verbose_name = "child's voice"
        verbose_name_plural = "child's voice"
        indexes = [models.Index(fields=["case", "recorded_on"])]

    def __str__(self):
        return f"Child's voice on case {self.case_id}, {self.recorded_on:%d %B %Y}"

    def clean(self):
        errors = {}
        not_in_future(errors, "recorded_on", self.recorded_on, "Date recorded")
        raise_if(errors)
