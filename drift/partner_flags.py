"""Red flags on partner cases (issue 14): an overseer sees the red flags of cases their agency is in the team for, whoever leads them.

The drift queue lists the cases an overseer's agency leads. A red flag on a case led by another
agency reached only that agency, usually the school that opened the case, never early help or the
other partners around the child. Here each manager or designated safeguarding lead sees the red
flags nobody has acknowledged on the open cases their agency is in the team for but does not lead.
They read them (the flags are computed from their own view, as on the case page); acknowledging
stays with the lead agency (`access.can_oversee`).
"""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from agencies import access
from audit.models import AuditAction
from audit.services import audit_record, audit_record_children_listed
from cases.models import CaseStatus, TeamMembership

from . import rules


@dataclass(frozen=True)
class PartnerRow:
    case: object
    flags: list


def partner_red_flags(*, user, today=None) -> list[PartnerRow]:
    """Open cases the user's agency is in the team for but does not lead, with their unacknowledged red flags, oldest red first."""
    membership = access.membership_of(user)
    if membership is None or not access.can_see_partner_red_flags(user):
        return []
    today = today or timezone.localdate()
    cases = {
        case.pk: case
        for case in access.cases_visible_to(user)
        .filter(
            Exists(TeamMembership.objects.filter(case_id=OuterRef("pk"), agency_id=membership.agency_id)),
            status=CaseStatus.OPEN,
        )
        .exclude(lead_agency_id=membership.agency_id)
        .select_related("child", "lead_agency", "lead_professional")
    }
    found = rules.drift_flags_for_cases(user=user, case_ids=list(cases), today=today) if cases else {}
    rows = []
    for case_id, flags in found.items():
        red = [flag for flag in flags if flag.severity == rules.RED and not flag.is_acknowledged]
        if red:
            rows.append(PartnerRow(case=cases[case_id], flags=red))
    return sorted(rows, key=lambda row: (min(flag.since for flag in row.flags), row.case.pk))


@login_required
@require_GET
def partner_red_flags_page(request):
    access.require(request.user, access.can_see_partner_red_flags(request.user), request=request, what="red flags on partner cases")
    rows = partner_red_flags(user=request.user)
    audit_record(
        user=request.user, action=AuditAction.VIEW, object_type="drift_queue", detail=f"red flags on partner cases: {len(rows)} cases", request=request
    )
    audit_record_children_listed(user=request.user, child_ids=[row.case.child_id for row in rows], detail="red flags on partner cases", request=request)
    return render(request, "drift/partner_red_flags.html", {"rows": rows})
