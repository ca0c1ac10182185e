"""A manager's recorded decision about a drift flag (see drift/rules.py), and the stored flags.

The rules in drift/rules.py define every flag. `DriftFlag` keeps their result per open case as a read
model the manager queue filters and pages in SQL; `DriftCaseState` says whether a case's stored flags
are up to date (drift/refresh.py keeps both). The decision a manager made about a flag is evidence in
its own right: who looked, why they judged the delay acceptable, and when they will look again.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

__all__ = ["DriftAcknowledgement", "DriftCaseState", "DriftFlag", "DriftSeverity", "DriftViewFlags"]


class DriftAcknowledgement(models.Model):
    """An oversight decision against one rule's flags on one case, until a review date.

    It covers the flag of `key` (drift/rules.py, `DriftFlag.key`: the rule's code and what the flag is
    about, such as one plan or one absent agency) that already applied on `acknowledged_on` (a flag starting later,
    such as the escalation of a plan from amber to red, is a new situation and shows in full), and
    only until `review_on`; after that the flag shows again as before. The decision is also an
    `Oversight` on the case, so it is on the record where oversight is read. Acknowledgements
    recorded before flags had keys have an empty `key` and cover every flag of their `code`, as they did.
    """

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="drift_acknowledgements")
    code = models.CharField(max_length=40)
    key = models.CharField(max_length=120, blank=True, default="")
    reason = models.TextField(error_messages={"blank": "Give the reason for your decision"})
    acknowledged_on = models.DateField()
    review_on = models.DateField()
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="drift_acknowledgements")
    oversight = models.OneToOneField("oversight.Oversight", on_delete=models.PROTECT, related_name="drift_acknowledgement")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "cases_driftacknowledgement"  # kept from when it lived in cases/
        indexes = [models.Index(fields=["case", "review_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(review_on__gt=F("acknowledged_on")),
                name="drift_acknowledgement_review_after_decision",
                violation_error_message="The review date must be after today",
            ),
        ]

    def __str__(self):
        return f"{self.code} on case {self.case_id} acknowledged until {self.review_on:%d %B %Y}"


# --- The stored flags (issue 18): a read model the manager queue filters and pages in SQL -------------


class DriftSeverity(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"


class DriftFlag(models.Model):
    """One flag of drift/rules.py as it stood when its case was last refreshed (drift/refresh.py).

    The rules stay the one definition of a flag; this table is their result for every open case,
    computed from the whole record (what children's social care sees), so the queue can filter,
    count and page in SQL instead of running every rule for every case on each page load. It is
    refreshed after each event that changes what the rules read and by a nightly sweep (time-based
    rules: a plan reaching 12 months). Acknowledgements are not stored here: whether one covers a
    flag depends on today's date, so it is decided when the flag is read.

    A rule can raise several flags on one case (two open child in need plans, scores not improving
    on two tools, a key agency absent at two conferences): `position` numbers a case's flags of one
    rule in the order the rules gave them (0 for the first), so a case has one row per (code,
    position), the rows with position 0 count the cases per rule, and equals keep their order when read.
    `evidence` is a list of {"label", "url", "record"}: `record` ("app_label.model:pk") names the
    record behind a link, so a reader who may not see that record never gets the link.
    """

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="drift_flags")
    code = models.CharField(max_length=40)
    # What the flag is about, when a rule can raise several (drift/rules.py, `DriftFlag.subject`).
    subject = models.CharField(max_length=80, blank=True, default="")
    position = models.PositiveSmallIntegerField(default=0)
    severity = models.CharField(max_length=5, choices=DriftSeverity.choices)
    reason = models.TextField()
    since = models.DateField()
    evidence = models.JSONField(default=list, blank=True)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "code", "position"], name="drift_flag_unique_per_case_code_position"),
        ]
        indexes = [models.Index(fields=["code", "case"], name="drift_flag_code_case")]

    def __str__(self):
        return f"{self.code} on case {self.case_id} since {self.since:%d %B %Y}"


class DriftCaseState(models.Model):
    """Whether a case's stored flags are up to date: a version bumped by each event, and the one computed.

    An event that changes what the rules read bumps `version` inside the writer's transaction
    (drift/refresh.py, `drift_cases_touched`); a refresh records the version it read under the
    case's lock as `computed_version`. A case without a row, or with `computed_version < version`,
    is stale: the refresh task brings it up to date after commit, and a reader who reaches it
    first refreshes it on the spot, so nobody reads flags older than their own last write.
    `computed_for` is the day the rules were run for (time-based rules change at midnight: the
    nightly sweep recomputes every open case, and flags computed for an earlier day count as stale).

    The case's place in the manager queue is kept with it, as `drift.rules.QueueRow.sort_key` has
    it on `computed_for`: `worst` (2 red, 1 amber, 0 when every flag is acknowledged), the oldest
    unacknowledged red and any flag's `since`, and `flag_count` (acknowledged flags included: the
    queue lists a case while it has any flag). `codes` lists the rules that flag the case
    ("|cp_plan_duration|no_oversight|"), so the queue filters and counts by rule without reading
    the flags themselves.
    """

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, primary_key=True, related_name="drift_state")
    version = models.PositiveBigIntegerField(default=1)
    computed_version = models.PositiveBigIntegerField(default=0)
    computed_for = models.DateField(null=True, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    flag_count = models.PositiveSmallIntegerField(default=0)
    worst = models.PositiveSmallIntegerField(default=0)
    oldest_red = models.DateField(null=True, blank=True)
    oldest = models.DateField(null=True, blank=True)
    codes = models.CharField(max_length=1000, blank=True, default="")

    def __str__(self):
        return f"drift state of case {self.case_id}: version {self.version}, computed {self.computed_version}"


class DriftViewFlags(models.Model):
    """A case's flags as one view of its record gives them (drift/own_view.py): for readers from whom something is hidden.

    `key` digests everything the rules read that depends on who reads (the day, the household's
    cases with their drift versions and whether the view includes each, the chronology entries the
    view includes), so a row is only ever read by a reader whose own key is the same. `flags` holds
    the rules' flags as stored for the whole record (`DriftFlag`'s fields, in the rules' order);
    acknowledgements are applied when read.
    """

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="drift_views")
    key = models.CharField(max_length=64)
    computed_for = models.DateField()
    computed_at = models.DateTimeField()
    flags = models.JSONField(default=list, blank=True)
    # Nothing the rules read is hidden from this view: its readers get the case's whole-record flags (DriftFlag).
    whole_record = models.BooleanField(default=False)
    # The case's place in this reader's queue, as on DriftCaseState.
    flag_count = models.PositiveSmallIntegerField(default=0)
    worst = models.PositiveSmallIntegerField(default=0)
    oldest_red = models.DateField(null=True, blank=True)
    oldest = models.DateField(null=True, blank=True)
    codes = models.CharField(max_length=1000, blank=True, default="")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "key"], name="drift_view_unique_per_case_key")]
        indexes = [models.Index(fields=["computed_for"], name="drift_view_computed_for")]

    def __str__(self):
        return f"drift flags of case {self.case_id} for view {self.key[:8]} on {self.computed_for:%d %B %Y}"
