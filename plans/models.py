"""Plans for a child and their SMART actions.

A plan belongs to a case (`cases.Case`), and carries that case's child (`Plan.child`, set on insert,
held equal to the case's by a foreign key over both columns on PostgreSQL: plans/migrations/0003);
starting, ending and re-categorising one, and adding and
updating its actions, are `plans/services.py`. Whether a plan repeats an earlier one, and how long
it has run, are derived when read (plans/history.py), never stored.

The models moved here from `cases/` by state only: their tables keep the names they had there
(`db_table`), so no row moved (plans/migrations/0001_initial.py).
"""

from django.db import models
from django.db.models import F, Q

from cases.models import Case, not_in_future, raise_if


class PlanKind(models.TextChoices):
    EARLY_HELP = "early_help", "Early Help"
    CHILD_IN_NEED = "child_in_need", "Child in Need"
    CHILD_PROTECTION = "child_protection", "Child Protection"
    PRE_PROCEEDINGS = "pre_proceedings", "Pre-proceedings"
    LOOKED_AFTER = "looked_after", "Looked after"


class CPCategory(models.TextChoices):
    NEGLECT = "neglect", "Neglect"
    PHYSICAL = "physical", "Physical abuse"
    EMOTIONAL = "emotional", "Emotional abuse"
    SEXUAL = "sexual", "Sexual abuse"
    MULTIPLE = "multiple", "Multiple"


# Category of abuse codes of the Children in Need census.
CIN_CATEGORY_CODES = {
    CPCategory.NEGLECT: "NEG",
    CPCategory.PHYSICAL: "PHY",
    CPCategory.EMOTIONAL: "EMO",
    CPCategory.SEXUAL: "SAB",
    CPCategory.MULTIPLE: "MUL",
}


class Plan(models.Model):
    """A plan for the child. Whether it repeats an earlier plan is derived (plans/history.py), never typed in."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="plans")
    # The case's child, kept on the plan so the rules over a child's plans (repeat plans, the
    # dashboard's measures) read one table, not a join to every case (issue 18). Never typed in:
    # `save` copies it from the case when the plan is created (so validation before then leaves it
    # blank), and a case's child never changes.
    child = models.ForeignKey("cases.Child", on_delete=models.PROTECT, related_name="plans", editable=False, blank=True, db_index=False)
    kind = models.CharField(max_length=30, choices=PlanKind.choices)
    cp_category = models.CharField("category", max_length=20, choices=CPCategory.choices, blank=True)
    # Stored by the database from `cp_category`, so census returns and SQL aggregates read the
    # code directly and it can never disagree with the category.
    cin_category_code = models.GeneratedField(
        expression=models.Case(
            *[models.When(cp_category=category, then=models.Value(code)) for category, code in CIN_CATEGORY_CODES.items()],
            default=models.Value(""),
        ),
        output_field=models.CharField(max_length=3),
        db_persist=True,
    )
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Goes up by one with every change, so an edit based on a stale read is refused (optimistic concurrency).
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        db_table = "cases_plan"  # kept from when it lived in cases/
        indexes = [
            models.Index(fields=["kind", "cp_category", "started_on"]),
            # A child's plans of a kind by start: repeat plans, earlier plans, escalation (also the child's foreign key index).
            models.Index(fields=["child", "kind", "started_on"], name="plan_child_kind_started_on"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind"],
                condition=Q(ended_on__isnull=True),
                name="one_open_plan_of_a_kind_per_case",
                violation_error_message="This case already has an open plan of this kind: end it before starting another",
            ),
            models.CheckConstraint(
                condition=(Q(kind=PlanKind.CHILD_PROTECTION) & ~Q(cp_category="")) | (~Q(kind=PlanKind.CHILD_PROTECTION) & Q(cp_category="")),
                name="category_only_on_child_protection_plans",
                violation_error_message="A child protection plan needs a category, and only it has one",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="plan_ends_on_or_after_start",
                violation_error_message="The end date must be on or after the start date",
            ),
        ]

    def __str__(self):
        category = f" ({self.get_cp_category_display()})" if self.cp_category else ""
        return f"{self.get_kind_display()} plan{category} from {self.started_on:%d %B %Y}"

    @property
    def is_open(self):
        return self.ended_on is None

    def save(self, *args, **kwargs):
        if self._state.adding:
            self.child_id = self.case.child_id
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        if self.kind == PlanKind.CHILD_PROTECTION and not self.cp_category:
            errors["cp_category"] = "Choose the category of the child protection plan"
        if self.kind != PlanKind.CHILD_PROTECTION and self.cp_category:
            errors["cp_category"] = "Only a child protection plan has a category"
        not_in_future(errors, "started_on", self.started_on, "Start date")
        not_in_future(errors, "ended_on", self.ended_on, "End date")
        if self.ended_on and self.started_on and self.ended_on < self.started_on:
            errors["ended_on"] = "The end date must be on or after the start date"
        if self.ended_on and not self.end_reason.strip():
            errors["end_reason"] = "Say why the plan is ending"
        raise_if(errors)


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


FINISHED_ACTION_STATUSES = (ActionStatus.DONE, ActionStatus.DROPPED)


class PlanActionQuerySet(models.QuerySet):
    def unfinished(self):
        return self.exclude(status__in=FINISHED_ACTION_STATUSES)

    def with_overdue_flag(self, today):
        """Annotate `overdue`: the SQL twin of `PlanAction.is_overdue(today)`."""
        overdue = Q(due_on__lt=today) & ~Q(status__in=FINISHED_ACTION_STATUSES)
        return self.annotate(overdue=models.ExpressionWrapper(overdue, output_field=models.BooleanField()))


class PlanAction(models.Model):
    """A SMART action of a plan: what, for which outcome for the child, by whom, by when."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="actions")
    what = models.TextField(error_messages={"blank": "Say what will be done"})
    outcome_for_child = models.TextField(error_messages={"blank": "Say what will be different for the child"})
    owner_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="plan_actions")
    due_on = models.DateField()
    status = models.CharField(max_length=20, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED)
    evidence = models.TextField(blank=True, help_text="What shows the action is done and made a difference.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Goes up by one with every change, so an edit based on a stale read is refused (optimistic concurrency).
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = PlanActionQuerySet.as_manager()

    class Meta:
        db_table = "cases_planaction"  # kept from when it lived in cases/
        indexes = [models.Index(fields=["owner_agency", "status", "due_on"])]

    def __str__(self):
        return self.what[:80]

    def clean(self):
        if self.status == ActionStatus.DONE and not self.evidence.strip():
            raise_if({"evidence": "Say what shows the action is done and what changed for the child"})

    def is_overdue(self, today):
        """Not done or dropped, and the due date has passed (due today is not yet overdue)."""
        return self.status not in FINISHED_ACTION_STATUSES and self.due_on < today
