"""The facts the family-wide drift rule reads (issue 14; drift/rules.py, `family_concerns`).

The pattern itself is the chronology's (chronologies/family_patterns.py): concerns about two or more
of a household's children, from two or more agencies, within the cumulative-concerns window. What
answers it is an Early Help Assessment for the household: a final run of the Early Help Assessment
(`DRIFT_EARLY_HELP_TOOL_KEY`) for any of its children, among the runs the reader may see, dated
within that window.
"""

from datetime import date

from django.db.models import Max

from agencies.access import records_visible_to


def family_patterns_by_child(*, user, child_ids, today: date, early_help_tool_key: str) -> dict:
    """{child id: (family pattern, the household's latest Early Help Assessment date or None)} where the pattern holds; two or three queries."""
    from chronologies.family_patterns import family_concerns_by_child
    from tools.models import AssessmentRun, RunStatus

    patterns = family_concerns_by_child(user=user, child_ids=child_ids, today=today)
    if not patterns:
        return {}
    runs = (
        records_visible_to(user, AssessmentRun)
        .filter(
            status=RunStatus.FINAL,
            definition__key=early_help_tool_key,
            assessed_on__lte=today,
            case__child__family_id__in={pattern.family_id for pattern in patterns.values()},
        )
        .values("case__child__family_id")
        .annotate(last_on=Max("assessed_on"))
    )
    last_early_help = {row["case__child__family_id"]: row["last_on"] for row in runs}
    return {child_id: (pattern, last_early_help.get(pattern.family_id)) for child_id, pattern in patterns.items()}
