"""Reads of action plans and the partnership profile.

A row's status as at a quarter is its latest update recorded for that quarter or an earlier one:
latest quarter first, then latest recorded (a correction within a quarter wins), then highest id.
Quarter names (`YYYY-YY-Qn`) compare as text in the order of the quarters. A row with no update by
then did not have a status yet and is not counted. Every figure is a SQL aggregate over a
correlated subquery; nothing loops over rows in Python.

Plans name no child, so these reads take no user: the pages and API ask `agencies.access`
(`can_read_action_plans`) before calling them, as the dashboard does with its measures.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce

from agencies.models import Agency

from .logos import logo_check, logo_data_uri
from .models import ActionPlan, ActionPlanRow, ActionPlanUpdate, PartnershipProfile, Rag

OVERARCHING_LABEL = "Strategy group (overarching plan)"
LATEST_FIRST = ("-quarter", "-recorded_at", "-pk")


def _status_at(field, *, quarter_name=None):
    """One field of the row's latest update (by `quarter_name`, or of all time), as a subquery."""
    updates = ActionPlanUpdate.objects.filter(row_id=OuterRef("pk"))
    if quarter_name is not None:
        updates = updates.filter(quarter__lte=quarter_name)
    return Subquery(updates.order_by(*LATEST_FIRST).values(field)[:1])


def _rag_counts():
    """Count(...) per RAG value over rows annotated with `status_rag`."""
    return {rag: Count("pk", filter=Q(status_rag=rag)) for rag in Rag.values}


def action_plan_rag_by_agency(*, quarter):
    """Per plan (agency, or the overarching plan first), rows by RAG as at the quarter's end.

    One query: [{"agency": name, "red": n, "amber": n, "green": n, "complete": n}, ...].
    """
    rows = (
        ActionPlanRow.objects.annotate(status_rag=_status_at("rag", quarter_name=quarter.name))
        .filter(status_rag__isnull=False)
        .values(agency=Coalesce(F("plan__agency__name"), Value(OVERARCHING_LABEL)))
        .annotate(**_rag_counts())
        .order_by(F("plan__agency__name").asc(nulls_first=True))
    )
    return list(rows)


def action_plan_red_rows(*, quarter):
    """Rows red as at the quarter's end, with their objective and that update's progress note (the PDF)."""
    return list(
        ActionPlanRow.objects.annotate(
            status_rag=_status_at("rag", quarter_name=quarter.name),
            status_progress=_status_at("progress", quarter_name=quarter.name),
            status_quarter=_status_at("quarter", quarter_name=quarter.name),
        )
        .filter(status_rag=Rag.RED)
        .values("pk", "objective", "lead", "timescale", "status_progress", "status_quarter", agency=Coalesce(F("plan__agency__name"), Value(OVERARCHING_LABEL)))
        .order_by(F("plan__agency__name").asc(nulls_first=True), "pk")
    )


def with_current_status(rows):
    """Rows annotated with their current status: the latest update's RAG, note, quarter and when."""
    return rows.annotate(
        current_rag=_status_at("rag"),
        current_progress=_status_at("progress"),
        current_quarter=_status_at("quarter"),
        current_recorded_at=_status_at("recorded_at"),
    )


@dataclass(frozen=True)
class PlanSummary:
    """A line of the plans list: the agency (None for the overarching plan), its plan if started, counts."""

    agency: Agency | None
    plan_id: int | None
    red: int = 0
    amber: int = 0
    green: int = 0
    complete: int = 0

    @property
    def title(self):
        return OVERARCHING_LABEL if self.agency is None else self.agency.name

    @property
    def rows(self):
        return self.red + self.amber + self.green + self.complete


def plans_overview():
    """The overarching plan, then every active agency (and any inactive one with a plan), with current RAG counts.

    Three queries: the rows' current RAG counted per plan, the plans, the agencies.
    """
    counts = {
        line.pop("plan_id"): line
        for line in ActionPlanRow.objects.annotate(status_rag=_status_at("rag")).values("plan_id").annotate(**_rag_counts()).order_by()
    }
    plan_of = dict(ActionPlan.objects.values_list("agency_id", "pk"))

    def summary(agency):
        plan_id = plan_of.get(agency.pk if agency else None)
        return PlanSummary(agency=agency, plan_id=plan_id, **counts.get(plan_id, {}))

    agencies = Agency.objects.filter(Q(is_active=True) | Q(action_plan__isnull=False)).order_by("name")
    return [summary(None), *(summary(agency) for agency in agencies)]


def plan_rows(*, plan):
    """The plan's rows with their current status and their whole history (newest first), in two queries."""
    history = ActionPlanUpdate.objects.select_related("recorded_by").order_by(*LATEST_FIRST)
    return list(with_current_status(plan.rows.all()).prefetch_related(Prefetch("updates", queryset=history)).order_by("pk"))


def plans_with_counts():
    """Every started plan with its rows' current RAG counts (the API list)."""
    current = ActionPlanRow.objects.filter(plan_id=OuterRef("pk")).annotate(status_rag=_status_at("rag")).order_by().values("plan_id")

    def count(rag):
        return Coalesce(Subquery(current.filter(status_rag=rag).annotate(n=Count("pk")).values("n")[:1]), 0)

    return (
        ActionPlan.objects.select_related("agency")
        .annotate(**{f"{rag}_rows": count(rag) for rag in Rag.values})
        .order_by(F("agency__name").asc(nulls_first=True))
    )


def overarching_plan():
    return ActionPlan.objects.filter(agency__isnull=True).first()


# --- The partnership profile ------------------------------------------------------------------


@dataclass(frozen=True)
class EffectiveProfile:
    """The partnership as the product shows it: the admins' values, else the settings'.

    `sources` says where each value came from ("profile" or "settings"), for the profile page.
    """

    name: str
    under_18_population: int | None
    logo_uri: str | None
    sources: dict


def _settings_logo():
    """The logo file named by PARTNERSHIP_LOGO_FILE, if it exists and passes the same checks as an upload."""
    path = getattr(settings, "PARTNERSHIP_LOGO_FILE", "")
    if not path:
        return None
    try:
        with open(path, "rb") as file:
            data = file.read(settings.PARTNERSHIP_LOGO_MAX_BYTES + 1)
        return logo_data_uri(data, logo_check(data))
    except (OSError, ValidationError):
        # A missing or unusable file must not stop the dashboard or its PDF: no logo is drawn.
        return None


def partnership_name() -> str:
    """The name the header, e-mails and PDFs show: the profile's, else PARTNERSHIP_NAME (one small query)."""
    stored = PartnershipProfile.objects.filter(pk=PartnershipProfile.SINGLETON_ID).values_list("name", flat=True).first()
    return stored or settings.PARTNERSHIP_NAME


def partnership_profile() -> EffectiveProfile:
    """The partnership's name, under-18 population and logo (a data: URI), in one query."""
    profile = PartnershipProfile.objects.filter(pk=PartnershipProfile.SINGLETON_ID).first()
    name = profile.name if profile and profile.name else None
    population = profile.under_18_population if profile and profile.under_18_population else None
    logo = logo_data_uri(profile.logo, profile.logo_type) if profile and profile.logo_type and profile.logo else None
    return EffectiveProfile(
        name=name or settings.PARTNERSHIP_NAME,
        under_18_population=population or getattr(settings, "PARTNERSHIP_UNDER_18_POPULATION", None),
        logo_uri=logo or _settings_logo(),
        sources={
            "name": "profile" if name else "settings",
            "under_18_population": "profile" if population else "settings",
            "logo": "profile" if logo else "settings",
        },
    )


def profile_record():
    """The stored profile row (or an unsaved blank one with version 1) for the edit form."""
    return PartnershipProfile.objects.filter(pk=PartnershipProfile.SINGLETON_ID).first() or PartnershipProfile(pk=PartnershipProfile.SINGLETON_ID)


def wording_guide():
    """The partnership's wording guide, by phrase (advice for everyone's free text: no child data)."""
    from .models import WordingGuideEntry

    return WordingGuideEntry.objects.select_related("updated_by").order_by("phrase")
