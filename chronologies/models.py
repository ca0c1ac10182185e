"""Chronology entries: dated events in a child's life, from every agency, with their impact on the child.

The multi-agency chronology is the merged, ordered view of these rows (selectors.py). Three design
decisions shape the table:

* **Recorded once.** An entry is evidence of what an agency knew and when, so it is never changed
  (`cases.models.RecordedOnce`, and a PostgreSQL trigger in migration 0002). A correction is a new
  entry that `supersedes` the one it corrects and points at the chain's `original`; the chronology
  lists the latest version of each chain and shows the earlier ones beneath it. Nothing is deleted.
* **Who may read a row** is decided in `agencies.access.chronology_entries_visible_to`: the child's
  case must be visible and, when `restricted`, the reader's agency must be the recording agency,
  children's social care, or named in `shared_with` (the default through table, whose columns
  `chronologyentry_id` and `agency_id` the access layer queries directly). Every version of a chain
  carries the same restriction and sharing, so a reader sees a whole chain or none of it.
* **Automatic entries** made from case records (a concern, a plan starting...) carry the record's
  `source_type` and `source_id` on the chain's original; a unique constraint on those and the child
  means a re-sync can never add a second chain for the same record and child
  (services.chronology_sync_from_source).
  Imported entries carry the agency's own `external_id`, unique per agency, for the same reason.

Neglect types are the same six boolean columns as `concerns.Concern` (see `ConcernContent` for why
columns rather than a list), so the merged view filters on them with plain indexed SQL.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from cases.models import RecordedOnce
from concerns.models import NeglectType


class DatePrecision(models.TextChoices):
    DAY = "day", "Exact day"
    MONTH = "month", "Month only"
    APPROXIMATE = "approximate", "Approximate"


class EntryKind(models.TextChoices):
    CONCERN = "concern", "Concern"
    HOME_VISIT = "home_visit", "Home visit"
    SCHOOL_ATTENDANCE = "school_attendance", "School attendance"
    SCHOOL_ABSENCE = "school_absence", "School absence"
    HEALTH_APPOINTMENT_ATTENDED = "health_appointment_attended", "Health appointment attended"
    HEALTH_APPOINTMENT_MISSED = "health_appointment_missed", "Health appointment missed"
    URGENT_CARE = "urgent_care", "A&E or urgent care attendance"
    POLICE_CALL_OUT = "police_call_out", "Police call-out"
    HOUSING_VISIT = "housing_visit", "Housing visit"
    REFERRAL = "referral", "Referral"
    ASSESSMENT = "assessment", "Assessment"
    PLAN_STARTED = "plan_started", "Plan started"
    PLAN_ENDED = "plan_ended", "Plan ended"
    CONFERENCE = "conference", "Conference"
    FAMILY_GROUP_CONFERENCE = "family_group_conference", "Family group conference"
    CHILDS_VOICE = "childs_voice", "Child's voice"
    MANAGEMENT_OVERSIGHT = "management_oversight", "Management oversight"
    HOUSEHOLD_CHANGE = "household_change", "Household change"
    FRONT_DOOR_DECISION = "front_door_decision", "Front door decision"
    # Issue 15: the level of need stepped up or down (need/), and who the family now works with.
    LEVEL_OF_NEED = "level_of_need", "Level of need decision"
    LEAD_PROFESSIONAL_CHANGED = "lead_professional_changed", "Lead professional changed"
    OTHER = "other", "Other"


KIND_LABELS = dict(EntryKind.choices)
# (field, value, label) of each type of neglect, read once: iterating the enum and its labels for
# each entry cost more than the rest of the entry's properties on a page of 50.
NEGLECT_FIELDS = tuple((kind.field_name, kind.value, kind.label) for kind in NeglectType)


class Significance(models.TextChoices):
    ROUTINE = "routine", "Routine"
    SIGNIFICANT = "significant", "Significant"
    CRITICAL = "critical", "Critical"


# Significant and critical entries stand out in the chronology and count towards cumulative concerns.
NOTABLE = (Significance.SIGNIFICANT, Significance.CRITICAL)


class SourceType(models.TextChoices):
    """Case records that make chronology entries automatically (one chain per record)."""

    CONCERN = "concern", "Concern"
    PLAN_STARTED = "plan_started", "Plan started"
    PLAN_ENDED = "plan_ended", "Plan ended"
    REFERRAL = "referral", "Referral"
    OVERSIGHT = "oversight", "Management oversight"
    CHILD_VOICE = "child_voice", "Child's voice"
    CONFERENCE = "conference", "Conference"
    ASSESSMENT_RUN = "assessment_run", "Assessment"
    # Statutory events a Children in Need census import brings in (census.models rows, by id).
    CENSUS_ASSESSMENT = "census_assessment", "Census assessment"
    CENSUS_ASSESSMENT_AUTHORISED = "census_assessment_authorised", "Census assessment authorisation"
    CENSUS_SECTION47 = "census_section47", "Census section 47 enquiry"
    CENSUS_ICPC = "census_icpc", "Census initial child protection conference"
    CENSUS_CP_REVIEW = "census_cp_review", "Census child protection review"
    # Issue 14: households and the front door.
    HOUSEHOLD_JOINED = "household_joined", "Household membership"
    HOUSEHOLD_LEFT = "household_left", "Household membership ending"
    HOUSEHOLD_CONCERN = "household_concern", "Household concern"
    FRONT_DOOR_DECISION = "front_door_decision", "Front door decision"
    # Issue 15: a level-of-need decision (by its id); a lead professional change (by the id of its audit row).
    LEVEL_OF_NEED = "level_of_need", "Level of need decision"
    LEAD_PROFESSIONAL = "lead_professional", "Lead professional change"


def _neglect_field(kind):
    return models.BooleanField(f"{kind.label.lower()} neglect" if kind != NeglectType.SUPERVISION else kind.label.lower(), default=False)


class ChronologyEntry(RecordedOnce):
    child = models.ForeignKey("cases.Child", on_delete=models.PROTECT, related_name="chronology_entries")
    occurred_on = models.DateField("date")
    # A month-only date is stored as the first of the month; the precision says how to read it.
    date_precision = models.CharField(max_length=12, choices=DatePrecision.choices, default=DatePrecision.DAY)
    kind = models.CharField(max_length=40, choices=EntryKind.choices)
    summary = models.TextField("what happened", error_messages={"blank": "Say what happened"})
    impact_on_child = models.TextField("impact on the child", error_messages={"blank": "Describe the impact on the child"})
    action_taken = models.TextField(blank=True)
    significance = models.CharField(max_length=12, choices=Significance.choices, default=Significance.ROUTINE)
    neglect_physical = _neglect_field(NeglectType.PHYSICAL)
    neglect_nutritional = _neglect_field(NeglectType.NUTRITIONAL)
    neglect_medical = _neglect_field(NeglectType.MEDICAL)
    neglect_emotional = _neglect_field(NeglectType.EMOTIONAL)
    neglect_educational = _neglect_field(NeglectType.EDUCATIONAL)
    neglect_supervision = _neglect_field(NeglectType.SUPERVISION)
    # For school attendance entries: the attendance over the period reported (drift: under 90%).
    attendance_percentage = models.DecimalField(
        max_digits=4, decimal_places=1, null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    # The recording agency at the time; people move between agencies, the record does not.
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="chronology_entries")
    # Empty only for automatic entries made by a system action with no person behind it.
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="chronology_entries")
    restricted = models.BooleanField(
        default=False, help_text="Visible only to the recording agency, children's social care and the agencies named on the entry."
    )
    shared_with = models.ManyToManyField("agencies.Agency", blank=True, related_name="chronology_entries_shared")
    source_type = models.CharField(max_length=30, choices=SourceType.choices, blank=True)
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    external_id = models.CharField(max_length=100, blank=True, help_text="The recording agency's own id for an imported entry.")
    original = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="later_versions")
    supersedes = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by")
    amendment_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "chronology entries"
        indexes = [
            models.Index(fields=["child", "occurred_on"]),
            models.Index(fields=["child", "kind", "occurred_on"]),
            # Issue 18, chosen from EXPLAIN at county scale: a child's chronology in page order (walked
            # backwards for newest first, stopping after the page), and which agencies recorded for a child.
            models.Index(fields=["child", "occurred_on", "created_at", "id"], name="chronology_entry_child_order"),
            models.Index(fields=["child", "agency"], name="chronology_entry_child_agency"),
            # Current versions (`selectors.current_versions`: no entry supersedes this one) on every read: the
            # amendments alone, so the check is one small merge rather than a probe per entry (11 ms to 2.6 ms
            # for a child with 5,000 entries).
            models.Index(fields=["supersedes"], condition=Q(supersedes__isnull=False), name="chronology_entry_superseding"),
            # The dashboard's latest school attendance of each child on a neglect plan (dashboard.selectors,
            # `_latest_attendance`): the newest first, the percentage in the index, no sort (10 x county: 65 to 43 ms).
            models.Index(
                fields=["child", "-occurred_on", "-id", "attendance_percentage"],
                condition=Q(kind="school_attendance", attendance_percentage__isnull=False),
                name="chronology_attendance_latest",
            ),
        ]
        constraints = [
            # Per child: one record may concern several children (a conference about siblings).
            models.UniqueConstraint(
                fields=["source_type", "source_id", "child"],
                condition=~Q(source_type=""),
                name="one_chronology_chain_per_source_record_and_child",
                violation_error_message="This record already has a chronology entry for this child",
            ),
            models.UniqueConstraint(
                fields=["agency", "external_id"],
                condition=~Q(external_id=""),
                name="one_chronology_entry_per_external_id_per_agency",
                violation_error_message="Your agency has already imported an entry with this external id",
            ),
            models.CheckConstraint(condition=~Q(summary=""), name="chronology_entry_says_what_happened", violation_error_message="Say what happened"),
            models.CheckConstraint(
                condition=~Q(impact_on_child=""),
                name="chronology_entry_states_impact_on_child",
                violation_error_message="Describe the impact on the child",
            ),
            models.CheckConstraint(
                condition=Q(attendance_percentage__isnull=True) | Q(kind="school_attendance", attendance_percentage__gte=0, attendance_percentage__lte=100),
                name="attendance_percentage_only_on_school_attendance",
                violation_error_message="Only a school attendance entry has an attendance percentage, from 0 to 100",
            ),
            models.CheckConstraint(
                condition=Q(source_type="", source_id__isnull=True) | (~Q(source_type="") & Q(source_id__isnull=False)),
                name="chronology_source_has_type_and_id",
                violation_error_message="An automatic entry names both the kind and the id of its record",
            ),
            # An original starts a chain (and alone carries its source and external id); an amendment
            # names the entry it supersedes, the chain's original, and why.
            models.CheckConstraint(
                condition=Q(supersedes__isnull=True, original__isnull=True, amendment_reason="")
                | (Q(supersedes__isnull=False, original__isnull=False, source_type="", external_id="") & ~Q(amendment_reason="")),
                name="chronology_amendment_names_what_it_supersedes_and_why",
                violation_error_message="An amendment says which entry it corrects and why",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.date_display} for child {self.child_id}"

    def clean(self):
        errors = {}
        if self.occurred_on and self.occurred_on > timezone.localdate():
            errors["occurred_on"] = "The date must be today or in the past"
        if self.attendance_percentage is not None and self.kind != EntryKind.SCHOOL_ATTENDANCE:
            errors["attendance_percentage"] = "Only a school attendance entry has an attendance percentage"
        if not (self.summary or "").strip():
            errors["summary"] = "Say what happened"
        if not (self.impact_on_child or "").strip():
            errors["impact_on_child"] = "Describe the impact on the child"
        if errors:
            raise ValidationError(errors)

    @property
    def kind_label(self):
        """The kind in words; `get_kind_display()` without rebuilding the choices for each entry (a page shows 50)."""
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def date_display(self):
        """How the date reads, by its precision: '3 March 2026', 'March 2026', 'About 3 March 2026'."""
        if self.date_precision == DatePrecision.MONTH:
            return f"{self.occurred_on:%B %Y}"
        if self.date_precision == DatePrecision.APPROXIMATE:
            return f"About {self.occurred_on.day} {self.occurred_on:%B %Y}"
        return f"{self.occurred_on.day} {self.occurred_on:%B %Y}"

    @property
    def neglect_types(self):
        return [value for field, value, _ in NEGLECT_FIELDS if getattr(self, field)]

    @property
    def neglect_type_labels(self):
        return [label for field, _, label in NEGLECT_FIELDS if getattr(self, field)]

    @property
    def made_from(self):
        """The kind of case record an automatic entry was made from ("concern"), or "" for one typed in.

        Only a chain's original carries its source, so an amendment asks its original.
        """
        first = self.original if self.original_id else self
        return first.get_source_type_display().lower() if first.source_type else ""

    @property
    def is_automatic(self):
        return bool(self.made_from)

    @property
    def is_notable(self):
        return self.significance in NOTABLE

    @property
    def author_name(self):
        if self.author is None:
            return "Recorded automatically"
        return self.author.get_full_name() or self.author.get_username()


class ThemeWord(models.Model):
    """A word or phrase a partnership admin added to a recurring theme (issue 14; chronologies/patterns.py, "themes").

    The built-in themes (`patterns.DEFAULT_THEME_KEYWORDS`, or the `CHRONOLOGY_THEME_KEYWORDS`
    setting) stay; these add to them, or start a theme of the partnership's own. Matching is by word
    stems in any order within a sentence, so "conditions at home" finds "home conditions".
    """

    theme = models.CharField(max_length=60, error_messages={"blank": "Enter the theme, for example Hygiene"})
    words = models.CharField(max_length=120, error_messages={"blank": "Enter the word or phrase to look for"})
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["theme", "words", "pk"]
        constraints = [models.UniqueConstraint(fields=["theme", "words"], name="one_theme_word_per_theme")]

    def __str__(self):
        return f"{self.theme}: {self.words}"


class EntryThemes(models.Model):
    """Which key-word themes an entry matches under one set of theme words (issue 18; chronologies/pattern_aggregates.py).

    Matching stems every sentence of an entry (themes.py): far too slow to repeat for a thousand
    entries on each page load. An entry never changes (a correction is a new entry), so the answer
    is kept, per entry and per `dictionary` (a digest of the theme words in force: when admins add
    words, entries are matched again the next time they are read). `themes` lists the matching
    themes' codes as "|code|code|" ("" for none).
    """

    entry = models.ForeignKey(ChronologyEntry, on_delete=models.CASCADE, related_name="theme_matches")
    dictionary = models.CharField(max_length=40)
    themes = models.CharField(max_length=1000, blank=True, default="")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry", "dictionary"], name="entry_themes_one_per_entry_and_dictionary")]

    def __str__(self):
        return f"themes of entry {self.entry_id}: {self.themes or 'none'}"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Being prepared"
    DONE = "done", "Ready"
    FAILED = "failed", "Failed"


class ChronologyExport(models.Model):
    """A chronology PDF too long to lay out inside a web request, prepared by a Celery job (issue 18).

    WeasyPrint lays out about a hundred entries a second, so a chronology of more than
    `pdf.max_entries()` entries is made in the background (chronologies/pdf_exports.py) and
    downloaded when ready. Only the user who asked may read it, and only while they may still see
    the child (`agencies.access.access_chronology_export`); the job checks that again when it
    runs. `query` is the chronology's filters as the page's query string, so the PDF holds exactly
    what the page showed. The job is claimed with a conditional UPDATE, like the other report jobs.
    """

    child = models.ForeignKey("cases.Child", on_delete=models.CASCADE, related_name="chronology_exports")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    query = models.CharField(max_length=1000, blank=True)
    entry_count = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    claimed_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    failure_reason = models.TextField(blank=True)
    pdf = models.BinaryField(blank=True, default=b"")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["requested_by", "created_at"], name="chronology_export_requester")]

    def __str__(self):
        return f"Chronology PDF {self.pk} of child {self.child_id} ({self.get_status_display()})"
