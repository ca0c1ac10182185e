"""Partner agencies, their people, and in-app notifications.

Each user belongs to exactly one agency with exactly one role (DESIGN.md). What a role may do is
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
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.user} ({self.get_role_display()}, {self.agency})"


class Notification(models.Model):
    """Something a user must know (a new concern on their case, an absence from a conference).

    Shown in-app; also emailed once by `agencies.tasks.notification_email` (claimed with a
    conditional update on `emailed_at`, so a retried task never emails twice).
    """

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    subject = models.CharField(max_length=200)
    body = models.TextField()
    link = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    email_claimed_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "read_at"])]
