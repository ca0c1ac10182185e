"""Who lives in a household, and where it has lived (issue 14).

A child's current household is still `Child.family` (every selector, the census and subject access
read it), and an adult's is `Adult.family`. What those foreign keys cannot say is *when* someone
joined or left, who decided it and why: the learning review found a new partner in the home that
nobody had put on the record. So every join and every departure is a `HouseholdMember` row (kept:
leaving sets `left_on`, nothing is deleted), written only by `households/services.py`, which
keeps the foreign keys in step and puts the change on the children's chronologies.

The household's address is on `Family` (lines, postcode, UPRN) and each address it has had is a
`HouseholdAddress` row, so a household concern about an old address can still be matched.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from .models import Adult, Child, Family, raise_if

__all__ = ["HouseholdAddress", "HouseholdMember", "MemberRelationship", "ADULT_RELATIONSHIPS", "CHILD_RELATIONSHIPS"]


class MemberRelationship(models.TextChoices):
    """How a member belongs to the household: for an adult, to its children; for a child, to the household."""

    CHILD = "child", "Child of the household"
    PARENT = "parent", "Parent"
    STEP_PARENT = "step_parent", "Step-parent"
    PARTNER = "partner", "Partner of a parent"
    SIBLING = "sibling", "Sibling"
    OTHER = "other", "Other"


CHILD_RELATIONSHIPS = (MemberRelationship.CHILD, MemberRelationship.SIBLING, MemberRelationship.OTHER)
ADULT_RELATIONSHIPS = (
    MemberRelationship.PARENT,
    MemberRelationship.STEP_PARENT,
    MemberRelationship.PARTNER,
    MemberRelationship.SIBLING,
    MemberRelationship.OTHER,
)


class HouseholdMember(models.Model):
    """One child or adult living in a household from `joined_on` until `left_on` (open while they live there).

    A person has at most one current household. `reason` and `added_by` record the decision to add
    them; `removal_reason` and `removed_by` the decision that they left.
    """

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="members")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, null=True, blank=True, related_name="household_memberships")
    adult = models.ForeignKey(Adult, on_delete=models.CASCADE, null=True, blank=True, related_name="household_memberships")
    relationship = models.CharField(max_length=20, choices=MemberRelationship.choices)
    joined_on = models.DateField()
    left_on = models.DateField(null=True, blank=True)
    reason = models.TextField(error_messages={"blank": "Say why they are being added to the household"})
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    removal_reason = models.TextField(blank=True)
    removed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["joined_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(child__isnull=False, adult__isnull=True) | Q(child__isnull=True, adult__isnull=False),
                name="household_member_is_a_child_or_an_adult",
            ),
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(left_on__isnull=True, child__isnull=False),
                name="one_current_household_per_child",
                violation_error_message="This child already lives in a household: remove them from it first",
            ),
            models.UniqueConstraint(
                fields=["adult"],
                condition=Q(left_on__isnull=True, adult__isnull=False),
                name="one_current_household_per_adult",
                violation_error_message="This adult already lives in a household: remove them from it first",
            ),
            models.CheckConstraint(condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")), name="household_member_leaves_after_joining"),
        ]

    def __str__(self):
        return f"{self.person} in {self.family}"

    @property
    def person(self):
        return self.child if self.child_id else self.adult

    @property
    def is_current(self):
        return self.left_on is None

    def clean(self):
        errors = {}
        allowed = CHILD_RELATIONSHIPS if self.child_id else ADULT_RELATIONSHIPS
        if self.relationship not in allowed:
            errors["relationship"] = "Choose how they belong to the household"
        if not (self.reason or "").strip():
            errors["reason"] = "Say why they are being added to the household"
        raise_if(errors)


class HouseholdAddress(models.Model):
    """An address the household has lived at: the current one has no `moved_out_on`."""

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="addresses")
    address = models.TextField("address lines")
    postcode = models.CharField(max_length=10, blank=True)
    uprn = models.CharField("UPRN", max_length=12, blank=True, db_index=True)
    moved_in_on = models.DateField(null=True, blank=True)
    moved_out_on = models.DateField(null=True, blank=True)
    reason = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-moved_out_on", "-pk"]
        indexes = [models.Index(fields=["postcode"])]
        constraints = [
            models.UniqueConstraint(fields=["family"], condition=Q(moved_out_on__isnull=True), name="one_current_address_per_household"),
        ]

    def __str__(self):
        return f"{self.address} {self.postcode}".strip()
