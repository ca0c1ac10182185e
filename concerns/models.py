"""Concerns: what a practitioner saw, heard, smelt or was told about a child, recorded once and corrected by amendment.

Moved from cases/ (issue 19) by state only: the tables keep their names (`cases_concern`,
`cases_concernamendment`, `cases_concern_agencies_told`), their constraints, indexes and the
append-only triggers of cases/migrations/0003. `RecordedOnce` stays in cases/models.py, which
chronology entries share.
"""

import operator
from functools import reduce

from django.conf import settings
from django.db import models
from django.db.models import Q

from cases.models import Case, Child, RecordedOnce, Threshold, not_in_future, raise_if


class NeglectType(models.TextChoices):
    PHYSICAL = "physical", "Physical"
    NUTRITIONAL = "nutritional", "Nutritional"
    MEDICAL = "medical", "Medical"
    EMOTIONAL = "emotional", "Emotional"
    EDUCATIONAL = "educational", "Educational"
    SUPERVISION = "supervision", "Lack of supervision and guidance"

    @property
    def field_name(self):
        return f"neglect_{self.value}"


def _any_neglect_type():
    return reduce(operator.or_, (Q(**{kind.field_name: True}) for kind in NeglectType))


# Levels of need at which a concern may carry no type of neglect and be recorded as "needs not met"
# in the practitioner's own words: the expert feedback warns against the word "neglect" at the
# universal levels, where a school or a health visitor notices a need long before anyone would call
# it neglect. The level is the one the recorder suggests (`suggested_threshold`): what they say
# about the concern, never the level of a case they may not be able to see.
NEEDS_NOT_MET_LEVELS = (Threshold.UNIVERSAL, Threshold.UNIVERSAL_PLUS)


def neglect_type_required(suggested_threshold):
    """Whether a concern must name at least one type of neglect: unless the recorder suggests a universal level."""
    return suggested_threshold not in NEEDS_NOT_MET_LEVELS


def _named_neglect_or_needs_not_met():
    return _any_neglect_type() | Q(suggested_threshold__in=NEEDS_NOT_MET_LEVELS)


NEGLECT_TYPE_NEEDED = (
    "Choose at least one type of neglect. If you suggest the Universal or Universal Plus level of need, you can leave them "
    "all unticked and describe the needs not met in your own words"
)


def _content_constraints(app_label):
    """The content's two checks, named after the table's app: the front door's household concerns share them
    (`%(app_label)s`), and concerns keep the names they had in cases/ (their tables did not move)."""
    return [
        models.CheckConstraint(
            condition=_named_neglect_or_needs_not_met(),
            name=f"{app_label}_%(class)s_neglect_type_or_needs_not_met",
            violation_error_message="Choose at least one type of neglect",
        ),
        models.CheckConstraint(
            condition=~Q(impact_on_child=""),
            name=f"{app_label}_%(class)s_states_impact_on_child",
            violation_error_message="Describe the impact on the child",
        ),
    ]


class ConcernContent(RecordedOnce):
    """What a concern says: shared by the concern as first recorded and by each amendment of it.

    Neglect types are one boolean column per type rather than a JSON list or a join table:

    * counting and filtering by type is plain SQL on SQLite and PostgreSQL alike (a JSONField
      list cannot be filtered with `contains` on SQLite), which the quarterly dashboard needs;
    * the types sit in the immutable row itself, so they are covered by the same refusal to
      change, and an amendment carries its own corrected set without a second link table;
    * there is no lookup table to seed (seeded rows vanish when transactional tests flush);
    * the list is the partnership's fixed six categories; a seventh is a deliberate migration.

    `neglect_types` gives the codes as a list; services take a list of codes.
    """

    observed_on = models.DateField("date observed")
    neglect_physical = models.BooleanField("physical neglect", default=False)
    neglect_nutritional = models.BooleanField("nutritional neglect", default=False)
    neglect_medical = models.BooleanField("medical neglect", default=False)
    neglect_emotional = models.BooleanField("emotional neglect", default=False)
    neglect_educational = models.BooleanField("educational neglect", default=False)
    neglect_supervision = models.BooleanField("lack of supervision and guidance", default=False)
    # Derived once, when written, from the child's age on the date observed: the flag records how
    # the concern was seen at the time, and dashboards count it without date arithmetic.
    is_adolescent_concern = models.BooleanField(default=False, editable=False)
    description = models.TextField(
        help_text="What was seen, heard, smelt or told.",
        error_messages={"blank": "Describe what was seen, heard, smelt or told"},
    )
    impact_on_child = models.TextField(error_messages={"blank": "Describe the impact on the child"})
    action_taken = models.TextField(blank=True)
    suggested_threshold = models.CharField(max_length=30, choices=Threshold.choices, blank=True)

    class Meta:
        abstract = True
        constraints = _content_constraints("%(app_label)s")

    @classmethod
    def neglect_flags(cls, codes):
        """The boolean columns for a list of neglect type codes."""
        return {kind.field_name: kind.value in codes for kind in NeglectType}

    @property
    def neglect_types(self):
        return [kind.value for kind in NeglectType if getattr(self, kind.field_name)]

    @property
    def neglect_type_labels(self):
        return [kind.label for kind in NeglectType if getattr(self, kind.field_name)]

    @property
    def is_needs_not_met(self):
        """Recorded without a type of neglect, at a universal level: the child's needs are not met, in the recorder's words."""
        return not self.neglect_types

    def clean(self):
        errors = {}
        not_in_future(errors, "observed_on", self.observed_on, "Date observed")
        if not self.neglect_types and neglect_type_required(self.suggested_threshold):
            errors["neglect_types"] = NEGLECT_TYPE_NEEDED
        if not (self.impact_on_child or "").strip():
            errors["impact_on_child"] = "Describe the impact on the child"
        raise_if(errors)


class Concern(ConcernContent):
    """What a practitioner saw, heard, smelt or was told about a child, as first recorded.

    Never changed after it is saved (see `RecordedOnce`); corrections are `ConcernAmendment`
    rows. Counting concerns is therefore counting these rows: an amendment is not a new concern.
    `child` repeats `case.child` so that a child's concerns across cases are one indexed filter.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="concerns")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="concerns")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="concerns_recorded")
    # The recorder's agency at the time: people move between agencies, the record does not.
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="concerns_recorded")
    agencies_told = models.ManyToManyField("agencies.Agency", blank=True, related_name="concerns_told_of")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(ConcernContent.Meta):
        db_table = "cases_concern"
        constraints = _content_constraints("cases")
        indexes = [
            models.Index(fields=["case", "created_at"]),
            models.Index(fields=["child", "observed_on"]),
            models.Index(fields=["recorded_by", "created_at"]),
        ]

    def __str__(self):
        return f"Concern {self.pk} about {self.child}, observed {self.observed_on:%d %B %Y}"

    def clean(self):
        super().clean()
        if self.case_id and self.child_id and self.case.child_id != self.child_id:
            raise_if({"child": "A concern must be about the child of its case"})

    @property
    def latest_version(self):
        """The latest amendment, or the concern itself when never amended.

        Both have the same content fields, so a page can show `latest_version.description`
        beside the original. Uses prefetched amendments when there are some.
        """
        amendments = list(self.amendments.all())
        return amendments[-1] if amendments else self


class ConcernAmendment(ConcernContent):
    """A correction of a concern: the whole content as it should now read, and why.

    Each amendment is a complete replacement of the content (not a diff), so the latest one reads
    on its own; earlier amendments and the original stay as they were.
    """

    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="amendments")
    reason = models.TextField(error_messages={"blank": "Say why the concern is being amended"})
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="concern_amendments")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="concern_amendments")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(ConcernContent.Meta):
        db_table = "cases_concernamendment"
        constraints = _content_constraints("cases")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Amendment {self.pk} of concern {self.concern_id}"
