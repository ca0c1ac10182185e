"""Families, children and their cases; the team around the child; explicit case grants.

Who may see a case is decided only in `agencies/access.py`. The team around the child is a plain
relation (`TeamMembership`) that scoped querysets join on; django-guardian holds explicit grants in
direct foreign-key tables (`CaseUserObjectPermission`, `CaseGroupObjectPermission`) so a grant can
never attach itself to another row through a reused generic object id.
"""
from django.conf import settings
from django.db import models
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase


class Family(models.Model):
    """A household: children and adults seen together ("think family")."""

    name = models.CharField(max_length=200, help_text="How the household is known, e.g. the family name.")
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    locality = models.CharField(max_length=60, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "families"

    def __str__(self):
        return self.name


class Child(models.Model):
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    nhs_number = models.CharField(max_length=10, blank=True, db_index=True)
    upn = models.CharField("unique pupil number", max_length=13, blank=True, db_index=True)
    family = models.ForeignKey(Family, on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "children"
        indexes = [models.Index(fields=["family_name", "given_name", "date_of_birth"])]

    def __str__(self):
        return f"{self.given_name} {self.family_name}"


class Threshold(models.TextChoices):
    UNIVERSAL = "universal", "Universal"
    UNIVERSAL_PLUS = "universal_plus", "Universal Plus"
    TARGETED_EARLY_HELP = "targeted_early_help", "Targeted Early Help"
    SPECIALIST = "specialist", "Specialist / Statutory"


class CaseStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Case(models.Model):
    """One child's involvement episode."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="cases")
    threshold = models.CharField(max_length=30, choices=Threshold.choices, default=Threshold.UNIVERSAL_PLUS)
    status = models.CharField(max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    lead_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="led_cases")
    lead_professional = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="led_cases"
    )
    opened_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    closure_reason = models.CharField(max_length=200, blank=True)
    agencies = models.ManyToManyField("agencies.Agency", through="TeamMembership", related_name="team_cases")

    class Meta:
        permissions = [("grant_case", "Can grant access to a case")]

    def __str__(self):
        return f"Case {self.pk} for {self.child}"


class TeamMembership(models.Model):
    """An agency in the team around the child: when it joined and why."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="team")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="team_memberships")
    since = models.DateTimeField(auto_now_add=True)
    reason = models.CharField(max_length=300)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "agency"], name="one_team_row_per_agency")]


class CaseUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)


class CaseGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)
