"""Partner agencies and their people.

Each user belongs to exactly one agency with exactly one role (docs/domain.md, "Domain words"). What a role may do is
decided in `agencies/access.py`, never here.
"""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models


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


class Agency(models.Model):
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=40, choices=AgencyKind.choices)
    locality = models.CharField(max_length=60, blank=True, validators=[validate_locality])
    is_active = models.BooleanField(default=True)
    # The agency's django-guardian group: object grants to "this agency" are grants to this group.
    group = models.OneToOneField(Group, on_delete=models.PROTECT, related_name="agency")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self):
        return self.name

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
