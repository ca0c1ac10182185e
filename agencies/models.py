"""Partner agencies and their people.

Each user belongs to exactly one agency with exactly one role (docs/domain.md, "Domain words"). What a role may do is
decided in `agencies/access.py`, never here.
"""

import re

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q


class AgencyKind(models.TextChoices):
    CHILDRENS_SOCIAL_CARE = "childrens_social_care", "Children's social care"
    EDUCATION_SERVICE = "education_service", "Education service"
    SCHOOL = "school", "School"
    EARLY_YEARS = "early_years", "Early years"
    PUBLIC_HEALTH = "public_health", "Public health"
    ADULT_SOCIAL_CARE = "adult_social_care", "Adult social care"
    COMMUNITY_HEALTH = "community_health", "Community health"
    HOSPITAL = "hospital", "Hospital"
    GP_ICB = "gp_icb", "GP / integrated care board"
    POLICE = "police", "Police"
    HOUSING = "housing", "Housing"
    PROBATION = "probation", "Probation"
    VOLUNTARY_SECTOR = "voluntary_sector", "Voluntary sector"


class Role(models.TextChoices):
    PRACTITIONER = "practitioner", "Practitioner"
    MANAGER = "manager", "Manager"
    DSL = "dsl", "Designated safeguarding lead"
    STRATEGY_MEMBER = "strategy_member", "Strategy member"
    PARTNERSHIP_ADMIN = "partnership_admin", "Partnership admin"
    AUDITOR = "auditor", "Auditor"


def validate_locality(value):
    if value and value not in settings.PARTNERSHIP_LOCALITIES:
        allowed = ", ".join(settings.PARTNERSHIP_LOCALITIES)
        raise ValidationError(f"Locality must be one of: {allowed}.")


def agency_name_key(name):
    """An agency's name as compared for uniqueness: case and runs of spaces ignored.

    "oakfield  Medical practice" and "Oakfield Medical Practice" are one agency (issue 20, item 5).
    """
    return re.sub(r"\s+", " ", name or "").strip().casefold()


# The identifiers partners know an agency by. Each is stored upper-case without spaces.
# NHS Organisation Data Service code: trusts have 3 characters (RJ1), sites 5 (RJ121), GP practices 6 (A81001).
ODS_CODE = RegexValidator(r"^[A-Z0-9]{3,6}$", "Enter an ODS code of 3 to 6 letters and numbers, like RJ1 or A81001")
# A school's or setting's unique reference number (Get Information about Schools): 6 digits.
URN = RegexValidator(r"^[0-9]{6}$", "Enter a URN of 6 digits, like 100001")
# A police force's Home Office force code: 2 digits.
POLICE_FORCE_CODE = RegexValidator(r"^[0-9]{2}$", "Enter a police force code of 2 digits, like 01")

HEALTH_KINDS = frozenset({AgencyKind.PUBLIC_HEALTH, AgencyKind.COMMUNITY_HEALTH, AgencyKind.HOSPITAL, AgencyKind.GP_ICB})
EDUCATION_KINDS = frozenset({AgencyKind.SCHOOL, AgencyKind.EARLY_YEARS, AgencyKind.EDUCATION_SERVICE})


class Agency(models.Model):
    # Unique ignoring case and spacing through `name_key`, not here: "Oakfield" and "oakfield" are one agency.
    name = models.CharField(max_length=200, unique=True)
    # `agency_name_key(name)`, set by `clean()`. Blank (NULL) only on a duplicate made before names were
    # compared this way (migration 0005): the partnership admin merges it (agencies.services.agency_merge).
    name_key = models.CharField(max_length=200, unique=True, null=True, blank=True, editable=False)
    kind = models.CharField(max_length=40, choices=AgencyKind.choices)
    locality = models.CharField(max_length=60, blank=True, validators=[validate_locality])
    ods_code = models.CharField("ODS code", max_length=6, blank=True, validators=[ODS_CODE])
    urn = models.CharField("URN", max_length=6, blank=True, validators=[URN])
    police_force_code = models.CharField("Police force code", max_length=2, blank=True, validators=[POLICE_FORCE_CODE])
    is_active = models.BooleanField(default=True)
    # The agency's django-guardian group: object grants to "this agency" are grants to this group.
    group = models.OneToOneField(Group, on_delete=models.PROTECT, related_name="agency")
    # Set when this agency was a duplicate merged into another: its people and records moved there.
    merged_into = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, editable=False, related_name="merged_duplicates")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"
        constraints = [
            models.UniqueConstraint(
                fields=["ods_code"],
                condition=~Q(ods_code=""),
                name="one_agency_per_ods_code",
                violation_error_message="Another agency has this ODS code: merge the two, or check the ODS code",
            ),
            models.UniqueConstraint(
                fields=["urn"],
                condition=~Q(urn=""),
                name="one_agency_per_urn",
                violation_error_message="Another agency has this URN: merge the two, or check the URN",
            ),
            models.UniqueConstraint(
                fields=["police_force_code"],
                condition=~Q(police_force_code=""),
                name="one_agency_per_police_force_code",
                violation_error_message="Another agency has this police force code: merge the two, or check the police force code",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        """Names compare ignoring case and spacing; each identifier belongs to the kinds of agency that have it."""
        errors = {}
        self.ods_code = (self.ods_code or "").replace(" ", "").upper()
        self.urn = (self.urn or "").replace(" ", "")
        self.police_force_code = (self.police_force_code or "").replace(" ", "")
        if self.ods_code and self.kind not in HEALTH_KINDS:
            errors["ods_code"] = "Leave the ODS code blank: only health agencies have one"
        if self.urn and self.kind not in EDUCATION_KINDS:
            errors["urn"] = "Leave the URN blank: only schools, early years settings and education services have one"
        if self.police_force_code and self.kind != AgencyKind.POLICE:
            errors["police_force_code"] = "Leave the police force code blank: only police forces have one"
        for field, label in (("ods_code", "ODS code"), ("urn", "URN"), ("police_force_code", "police force code")):
            value = getattr(self, field)
            if value and field not in errors and Agency.objects.filter(**{field: value}).exclude(pk=self.pk).exists():
                errors[field] = f"Another agency has this {label}: merge the two, or check the {label}"
        if self.merged_into_id is None:
            key = agency_name_key(self.name)
            same = Agency.objects.filter(name_key=key).exclude(pk=self.pk).first()
            if same is not None and not self._is_earlier_duplicate_kept_as_is():
                errors["name"] = f"An agency called {same.name} already exists: use that one, or give this agency a different name"
            elif same is None:
                self.name_key = key
        if errors:
            raise ValidationError(errors)

    def _is_earlier_duplicate_kept_as_is(self):
        """A duplicate made before names were compared (no `name_key`) may be edited while it keeps its name."""
        if self.pk is None or self.name_key is not None:
            return False
        return Agency.objects.filter(pk=self.pk, name=self.name).exists()

    @property
    def is_childrens_social_care(self):
        return self.kind == AgencyKind.CHILDRENS_SOCIAL_CARE


class Membership(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=30, choices=Role.choices)
    job_title = models.CharField(max_length=120, blank=True)
    # Works the front door (the MASH or early-help hub) of children's social care: only counts for
    # its case workers (agencies/access.py, `is_front_door`); set on the front-door team page.
    front_door = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.user} ({self.get_role_display()}, {self.agency})"


class ApiToken(models.Model):
    """An API token: expiring, revocable, listed to its owner (docs/security.md, "Finding 3").

    Only a SHA-256 digest of the key is stored: the key is 32 random bytes, so a fast hash is enough
    (nothing to guess), and a copy of the database gives no working token. `key_prefix` (its first
    characters) lets the owner tell their tokens apart. A revoked token keeps its row, with when and
    why, so the list and the access log agree. Issued and checked by `agencies/tokens.py`.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    key_prefix = models.CharField(max_length=8)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "revoked_at"], name="agencies_apitoken_user_live")]

    def __str__(self):
        return f"{self.key_prefix}… ({self.user})"
