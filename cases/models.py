"""Families, children, adults and their cases; the team around the child; the case work itself.

Who may see a case is decided only in `agencies/access.py`. The team around the child is a plain
relation (`TeamMembership`) that scoped querysets join on; django-guardian holds explicit grants in
direct foreign-key tables (`CaseUserObjectPermission`, `CaseGroupObjectPermission`) so a grant can
never attach itself to another row through a reused generic object id.

Invariants live here (`clean()`, constraints, small derived properties); business actions live in
`cases/services.py`, which validate with `full_clean()` before every save. Ages and flags that
follow from dates (a child's age, a repeat referral) are derived when read, never stored, so they
cannot go stale. Plans and their actions are plans/models.py; concerns, concerns/models.py; referrals,
referrals/models.py; management oversight, oversight/models.py; the child's voice, voice/models.py.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from agencies.models import AgencyKind
from neglect_portal.records import ImmutableRecordError  # noqa: F401  (raised by cases' recorded-once records; importable from here)

from .validators import validate_nhs_number, validate_upn

ADOLESCENT_AGE = 13


def _today():
    return timezone.localdate()


def not_in_future(errors, field, value, label):
    """Add "<label> must be today or in the past" to `errors` when the date is after today."""
    if value is not None and value > _today():
        errors[field] = f"{label} must be today or in the past"


def raise_if(errors):
    """Raise the field-keyed `errors` as one ValidationError, if there are any."""
    if errors:
        raise ValidationError(errors)


class Family(models.Model):
    """A household: children and adults seen together ("think family")."""

    name = models.CharField(max_length=200, help_text="How the household is known, e.g. the family name.")
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    locality = models.CharField(max_length=60, blank=True)
    language = models.CharField(max_length=100, blank=True, help_text="The main language spoken at home.")
    interpreter_needed = models.BooleanField(default=False)
    # Issue 14: the household's address is `address` (its lines), `postcode` and, when known, the
    # Unique Property Reference Number; its moves are `HouseholdAddress` rows (cases/household_models.py).
    uprn = models.CharField("UPRN", max_length=12, blank=True, db_index=True, help_text="Unique Property Reference Number, if known.")
    # The household this one was merged into (a duplicate record); it then has no members.
    merged_into = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_from")
    # Who recorded it: their agency reads the household while no child is in it (agencies/access.py, `families_visible_to`).
    created_by_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "families"

    def __str__(self):
        return self.name


class Sex(models.TextChoices):
    """Codes of the Children in Need census."""

    MALE = "M", "Male"
    FEMALE = "F", "Female"
    UNKNOWN = "U", "Unknown or indeterminate"


class Ethnicity(models.TextChoices):
    """Ethnicity codes of the Children in Need census."""

    WBRI = "WBRI", "White British"
    WIRI = "WIRI", "White Irish"
    WIRT = "WIRT", "Traveller of Irish heritage"
    WOTH = "WOTH", "Any other White background"
    WROM = "WROM", "Gypsy or Roma"
    MWBC = "MWBC", "White and Black Caribbean"
    MWBA = "MWBA", "White and Black African"
    MWAS = "MWAS", "White and Asian"
    MOTH = "MOTH", "Any other mixed background"
    AIND = "AIND", "Indian"
    APKN = "APKN", "Pakistani"
    ABAN = "ABAN", "Bangladeshi"
    AOTH = "AOTH", "Any other Asian background"
    BCRB = "BCRB", "Black Caribbean"
    BAFR = "BAFR", "Black African"
    BOTH = "BOTH", "Any other Black background"
    CHNE = "CHNE", "Chinese"
    OOTH = "OOTH", "Any other ethnic group"
    REFU = "REFU", "Refused"
    NOBT = "NOBT", "Information not yet obtained"


class Child(models.Model):
    """A child, or an unborn baby, known to the partnership.

    An unborn baby is a child with `is_unborn` set and `date_of_birth` holding the expected date of
    delivery: pre-birth concerns and plans need a record before there is a birth date, and one
    date column keeps identifier matching and ordering the same for both. When the baby is born,
    the real date replaces the expected one and the flag is cleared.
    """

    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True, help_text="What the child likes to be called.")
    date_of_birth = models.DateField(help_text="For an unborn child, the expected date of delivery.")
    is_unborn = models.BooleanField(default=False)
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    gender = models.CharField(max_length=100, blank=True, help_text="How the child describes their gender, if recorded.")
    ethnicity = models.CharField(max_length=4, choices=Ethnicity.choices, default=Ethnicity.NOBT)
    disability = models.BooleanField(default=False)
    nhs_number = models.CharField("NHS number", max_length=10, blank=True, db_index=True, validators=[validate_nhs_number])
    upn = models.CharField("unique pupil number", max_length=13, blank=True, db_index=True, validators=[validate_upn])
    school = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pupils",
        limit_choices_to={"kind": AgencyKind.SCHOOL},
    )
    family = models.ForeignKey(Family, on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "children"
        indexes = [models.Index(fields=["family_name", "given_name", "date_of_birth"])]
        constraints = [
            # One child per identifier: otherwise recording a concern by NHS number or UPN could
            # not tell which record the concern belongs to.
            models.UniqueConstraint(
                fields=["nhs_number"],
                condition=~Q(nhs_number=""),
                name="one_child_per_nhs_number",
                violation_error_message="Another child already has this NHS number",
            ),
            models.UniqueConstraint(
                fields=["upn"],
                condition=~Q(upn=""),
                name="one_child_per_upn",
                violation_error_message="Another child already has this unique pupil number",
            ),
        ]

    def __str__(self):
        return f"{self.given_name} {self.family_name}"

    def age_on(self, on):
        """Age in whole years on a date; None before birth and while unborn.

        A child born on 29 February turns a year older on 1 March in common years.
        """
        if self.is_unborn or on < self.date_of_birth:
            return None
        born = self.date_of_birth
        return on.year - born.year - ((on.month, on.day) < (born.month, born.day))

    def is_adolescent_on(self, on):
        """13 or over: neglect of adolescents looks different and is often missed (docs/domain.md, "Domain words")."""
        age = self.age_on(on)
        return age is not None and age >= ADOLESCENT_AGE

    @property
    def age(self):
        return self.age_on(_today())

    @property
    def is_adolescent(self):
        return self.is_adolescent_on(_today())


class Adult(models.Model):
    """A parent, carer or partner in the household, with the needs that affect their parenting.

    `is_father_or_male_carer` is explicit because learning reviews keep finding fathers and male
    carers unseen by the professionals around the child.
    """

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="adults")
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    is_father_or_male_carer = models.BooleanField(default=False)
    mental_health = models.BooleanField("mental health needs", default=False)
    substance_misuse = models.BooleanField(default=False)
    domestic_abuse = models.BooleanField(default=False)
    learning_disability = models.BooleanField(default=False)
    lived_experience_notes = models.TextField(blank=True)
    children = models.ManyToManyField(Child, through="AdultChildRelationship", related_name="adults")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.given_name} {self.family_name}"

    PARENTING_NEEDS = ("mental_health", "substance_misuse", "domestic_abuse", "learning_disability")

    @property
    def parenting_needs(self):
        """Labels of the needs that affect this adult's parenting ("think family")."""
        return [self._meta.get_field(name).verbose_name.capitalize() for name in self.PARENTING_NEEDS if getattr(self, name)]


class Relationship(models.TextChoices):
    MOTHER = "mother", "Mother"
    FATHER = "father", "Father"
    STEP_PARENT = "step_parent", "Step-parent"
    MOTHERS_PARTNER = "mothers_partner", "Mother's partner"
    FATHERS_PARTNER = "fathers_partner", "Father's partner"
    GRANDPARENT = "grandparent", "Grandparent"
    OTHER_CARER = "other_carer", "Other carer"


class AdultChildRelationship(models.Model):
    """How one adult is related to one child of the same household."""

    adult = models.ForeignKey(Adult, on_delete=models.CASCADE, related_name="child_links")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="adult_links")
    relationship = models.CharField(max_length=20, choices=Relationship.choices)
    parental_responsibility = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["adult", "child"], name="one_relationship_per_adult_and_child")]

    def clean(self):
        if self.adult.family_id != self.child.family_id:
            raise_if({"child": "The adult and the child must belong to the same household"})


class Threshold(models.TextChoices):
    UNIVERSAL = "universal", "Universal"
    UNIVERSAL_PLUS = "universal_plus", "Universal Plus"
    TARGETED_EARLY_HELP = "targeted_early_help", "Targeted Early Help"
    SPECIALIST = "specialist", "Specialist / Statutory"


class CaseStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Case(models.Model):
    """One child's involvement episode.

    `version` goes up by one with every change a service makes to this row, so that a later
    optimistic concurrency check can refuse a change based on a stale read.
    """

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="cases")
    threshold = models.CharField(max_length=30, choices=Threshold.choices, default=Threshold.UNIVERSAL_PLUS)
    status = models.CharField(max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    lead_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="led_cases")
    lead_professional = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="led_cases")
    opened_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    closure_reason = models.CharField(max_length=200, blank=True)
    agencies = models.ManyToManyField("agencies.Agency", through="TeamMembership", related_name="team_cases")
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        permissions = [("grant_case", "Can grant access to a case")]
        # Issue 18, from EXPLAIN at county scale: open cases newest first (home page, cases to oversee),
        # read backwards from the index and stopped after the page instead of sorting every case.
        indexes = [models.Index(fields=["status", "opened_on", "id"], name="case_status_opened_on")]
        constraints = [
            # A new concern about a child attaches to "the child's open case": there must be one.
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(status=CaseStatus.OPEN),
                name="one_open_case_per_child",
                violation_error_message="This child already has an open case",
            ),
            models.CheckConstraint(
                condition=Q(status=CaseStatus.OPEN, closed_on__isnull=True) | Q(status=CaseStatus.CLOSED, closed_on__gte=F("opened_on")),
                name="closed_case_has_closing_date_after_opening",
            ),
            # What a plan's (case, child) refers to, so the plan's child is always its case's (plans/migrations/0003).
            models.UniqueConstraint(fields=["id", "child"], name="case_with_its_child"),
        ]

    def __str__(self):
        return f"Case {self.pk} for {self.child}"

    @property
    def is_open(self):
        return self.status == CaseStatus.OPEN


class TeamMembership(models.Model):
    """An agency in the team around the child: when it joined and why."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="team")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="team_memberships")
    since = models.DateTimeField(auto_now_add=True)
    reason = models.CharField(max_length=300)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "agency"], name="one_team_row_per_agency")]


class CaseGrantDetails(models.Model):
    """Why a partnership admin granted a case, who did, and until when (agencies/access.py `case_grant`).

    `expires_on` is the last day the grant counts; blank only for grants made before end dates were
    recorded. The access layer reads these rows directly, so an expired grant stops counting in the
    same query that lists the cases.
    """

    reason = models.CharField(max_length=300, blank=True)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    granted_at = models.DateTimeField(null=True, blank=True)
    expires_on = models.DateField(null=True, blank=True)

    class Meta:
        abstract = True


class CaseUserObjectPermission(UserObjectPermissionBase, CaseGrantDetails):
    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)


class CaseGroupObjectPermission(GroupObjectPermissionBase, CaseGrantDetails):
    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)


# --- Recorded once: concerns (concerns/models.py) and chronology entries ------------------------


class RecordedOnceQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableRecordError("Recorded concerns and amendments cannot be changed; record an amendment instead.")


class RecordedOnce(models.Model):
    """A row that is written once and never changed.

    What a practitioner recorded, and when, is evidence: a learning review must be able to see
    what was known at the time, so a correction never overwrites it (docs/domain.md, "Access rules":
    corrections are amendments that keep the original visible). The model refuses to save an existing row, its
    queryset refuses bulk updates, and on PostgreSQL a trigger refuses UPDATE whatever the client
    (migration 0003).
    """

    objects = RecordedOnceQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableRecordError(f"A {self._meta.verbose_name} cannot be changed once recorded; record an amendment instead.")
        super().save(*args, **kwargs)


from .household_models import *  # noqa: E402,F401,F403  (household members and addresses, issue 14)
