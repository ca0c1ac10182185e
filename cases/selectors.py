"""Reads of case data. Every function takes `user=` and starts from the access layer's scoped queryset."""
from agencies.access import cases_visible_to


def case_list_for(*, user):
    """Open cases the user may see, newest first, with what the list shows joined in one query."""
    return (
        cases_visible_to(user)
        .filter(status="open")
        .select_related("child", "lead_agency", "lead_professional")
        .order_by("-opened_on", "-pk")
    )


def case_team(*, case):
    return case.team.select_related("agency").order_by("since")
