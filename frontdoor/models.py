"""The front door's queue: what the portal hands to children's social care to decide, with a deadline (issue 14).

The front door (the MASH or early-help hub, run by children's social care) receives:

* requests for support from any agency (asked from the concern form, in the same step);
* concerns on cases with no lead professional (somebody must decide who leads);
* concerns about a household known only by its address or a parent's name (`HouseholdConcern`),
  which it links to the right children;
* family-wide flags and red drift flags on cases below the statutory level;
* duplicate checks: a concern or a registration whose child could not be matched for certain.

Each is a `FrontDoorItem` with a decision deadline in working days (frontdoor/deadlines.py). The
front door records a `FrontDoorDecision` (what happens next, the level of need and why); it goes
back to whoever referred and onto the children's chronologies. Who sees any of this is decided in
agencies/access.py (`is_front_door`): nobody else, not even the recorder of a household concern.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from cases.models import Threshold
from concerns.models import ConcernContent
from sharing.models import FamilyInformed, LawfulBasis, SharingCondition


class ItemKind(models.TextChoices):
    REQUEST_FOR_SUPPORT = "request_for_support", "Request for support"
    NO_LEAD_CONCERN = "no_lead_concern", "Concern on a case with no lead professional"
    HOUSEHOLD_CONCERN = "household_concern", "Concern about a household"
    FAMILY_FLAG = "family_flag", "Family-wide flag"
    RED_FLAG = "red_flag", "Red flag below the statutory level"
    DUPLICATE_CHECK = "duplicate_check", "Record to check for a duplicate"


# Kinds of which a case (or household) has at most one open item: a second concern, or the same flag
# found again, adds to the item already waiting instead of queueing another.
ONE_OPEN_PER_CASE = (ItemKind.NO_LEAD_CONCERN, ItemKind.RED_FLAG, ItemKind.DUPLICATE_CHECK)


class ItemStatus(models.TextChoices):
    OPEN = "open", "Waiting for a decision"
    DECIDED = "decided", "Decided"


class Outcome(models.TextChoices):
    ADVICE_ONLY = "advice_only", "Advice only"
    UNIVERSAL_SERVICES = "universal_services", "Universal services"
    EARLY_HELP = "early_help", "Early help, with a named lead"
    CIN_ASSESSMENT = "cin_assessment", "Children in need assessment"
    STRATEGY_DISCUSSION = "strategy_discussion", "Strategy discussion"
    IMMEDIATE_PROTECTION = "immediate_protection", "Immediate protection"


class HouseholdConcern(ConcernContent):
    """A concern about a household known only by its address or a parent's name ("three children seen at the flat").

    Recorded once, like a concern about a child (`ConcernContent`); linking it to children is a
    separate record (`HouseholdConcernLink`). The sharing decision is the recorder's, as on the
    concern form: it is shared with the front door alone until the front door links it.
    """

    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="household_concerns")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="household_concerns")
    address = models.TextField("address lines", blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    uprn = models.CharField("UPRN", max_length=12, blank=True)
    parent_name = models.CharField("a parent's or carer's name", max_length=200, blank=True)
    who_was_seen = models.TextField("who you saw or know of", blank=True)
    sharing_reason = models.TextField()
    lawful_basis = models.CharField(max_length=30, choices=LawfulBasis.choices)
    sharing_condition = models.CharField(max_length=30, choices=SharingCondition.choices)
    family_informed = models.CharField(max_length=20, choices=FamilyInformed.choices)
    not_informed_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(ConcernContent.Meta):
        constraints = [
            *ConcernContent.Meta.constraints,
            models.CheckConstraint(
                condition=~Q(address="", postcode="", parent_name=""),
                name="household_concern_says_which_household",
                violation_error_message="Enter the address or a parent's name",
            ),
        ]

    def __str__(self):
        return f"Household concern {self.pk}"

    @property
    def where(self):
        return ", ".join(filter(None, [self.address.replace("\n", ", "), self.postcode])) or self.parent_name

    def clean(self):
        super().clean()
        if not (self.address.strip() or self.postcode.strip() or self.parent_name.strip()):
            raise ValidationError({"address": "Enter the address, or a parent's or carer's name, so the front door can find the household"})


class HouseholdConcernLink(models.Model):
    """The front door's decision that a household concern is about this household and these of its children."""

    household_concern = models.OneToOneField(HouseholdConcern, on_delete=models.PROTECT, related_name="link")
    family = models.ForeignKey("cases.Family", on_delete=models.PROTECT, related_name="household_concern_links")
    children = models.ManyToManyField("cases.Child", related_name="household_concern_links")
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    linked_at = models.DateTimeField(auto_now_add=True)


class FrontDoorItem(models.Model):
    """Something for the front door to decide, by `due_on` (working days from `received_on`: frontdoor/deadlines.py)."""

    kind = models.CharField(max_length=30, choices=ItemKind.choices)
    status = models.CharField(max_length=10, choices=ItemStatus.choices, default=ItemStatus.OPEN)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="front_door_items")
    family = models.ForeignKey("cases.Family", on_delete=models.PROTECT, null=True, blank=True, related_name="front_door_items")
    concern = models.ForeignKey("concerns.Concern", on_delete=models.PROTECT, null=True, blank=True, related_name="front_door_items")
    household_concern = models.ForeignKey(HouseholdConcern, on_delete=models.PROTECT, null=True, blank=True, related_name="front_door_items")
    flag_code = models.CharField(max_length=40, blank=True)
    detail = models.TextField(blank=True, help_text="What the referrer asked, or why the item was made.")
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="front_door_referrals")
    referring_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    received_on = models.DateField()
    due_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["status", "due_on"]), models.Index(fields=["kind", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "case", "flag_code"], condition=Q(status="open", kind__in=ONE_OPEN_PER_CASE), name="one_open_front_door_item_per_case_and_kind"
            ),
            models.UniqueConstraint(
                fields=["kind", "family"], condition=Q(status="open", kind=ItemKind.FAMILY_FLAG), name="one_open_family_flag_per_household"
            ),
            models.CheckConstraint(
                condition=Q(case__isnull=False) | Q(family__isnull=False) | Q(household_concern__isnull=False), name="front_door_item_is_about_something"
            ),
            models.CheckConstraint(condition=Q(due_on__gte=models.F("received_on")), name="front_door_item_due_on_or_after_receipt"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.pk})"

    @property
    def is_open(self):
        return self.status == ItemStatus.OPEN

    def is_late(self, today=None):
        """Still waiting after its decision day (due today is not late yet)."""
        return self.is_open and (today or timezone.localdate()) > self.due_on


class FrontDoorDecision(models.Model):
    """What the front door decided about an item: what happens next, the level of need and why. Recorded once."""

    item = models.OneToOneField(FrontDoorItem, on_delete=models.PROTECT, related_name="decision")
    outcome = models.CharField(max_length=30, choices=Outcome.choices, error_messages={"blank": "Choose what happens next"})
    threshold = models.CharField("level of need", max_length=30, choices=Threshold.choices, error_messages={"blank": "Choose the level of need"})
    reasons = models.TextField(error_messages={"blank": "Give the reasons for the decision"})
    early_help_lead = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="front_door_decisions")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(outcome="early_help") | Q(early_help_lead__isnull=False), name="early_help_decision_names_a_lead"),
            models.CheckConstraint(condition=~Q(reasons=""), name="front_door_decision_gives_reasons"),
        ]

    def __str__(self):
        return f"{self.get_outcome_display()} ({self.decided_on:%d %B %Y})"

    def clean(self):
        errors = {}
        if self.outcome == Outcome.EARLY_HELP and self.early_help_lead_id is None:
            errors["early_help_lead"] = "Name the early help lead: the person who will lead the early help"
        if not (self.reasons or "").strip():
            errors["reasons"] = "Give the reasons for the decision"
        if errors:
            raise ValidationError(errors)


class FlagNotice(models.Model):
    """A red flag of a case, told once to someone responsible (issue 14: no red flag reaches nobody).

    One row per case, flag and the day the flag started applying: a flag that clears and comes back
    later is told again; the same flag found again by the nightly sweep is not.
    """

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    code = models.CharField(max_length=40)
    since = models.DateField()
    told = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "code", "since"], name="one_notice_per_red_flag")]
