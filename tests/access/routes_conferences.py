"""Access-matrix rows for conferences: pages and API.

A conference is visible through its cases, so every page and endpoint answers like the case
pages: 404 to anyone who cannot see `world.case`. Among those who can, scheduling, inviting and
recording attendance need the "convene" right (children's social care case workers, and managers
and DSLs of other agencies: 403 for other practitioners); decisions are children's social care's
(its managers and DSLs, or the chair: issue 22 finding 2), so other agencies' managers get 403. The upcoming list names children across the partnership for children's social care case
workers; other case workers see their own agency's invitations there (issue 15), and record their own
agency's report (another agency's invitation answers 404). The attendance report holds aggregates only: strategy members, managers and DSLs.

Each row's `kwargs` builds a review conference on `world.case` held a week ago, with children's
social care, the health lead and the school invited as key agencies (tests/conferences/builders.py);
POST data invites only agencies already in the team, so an allowed write changes nobody's access.
"""

from datetime import timedelta

from django.utils import timezone

from conferences.models import Conference
from tests.conferences.builders import held_review
from tests.conftest import USER_KINDS

from .matrix import CASE_OVERSEERS, CASE_VISIBLE, CASE_WORKERS, CONFERENCE_DECIDERS, MEMBERS, Row, api, page

CONVENERS = CASE_OVERSEERS | {"csc_practitioner"}
CSC_CASE_WORKERS = frozenset({"csc_practitioner", "csc_manager"})
SCHOOL_CASE_WORKERS = frozenset({"partner_practitioner", "partner_dsl"})  # the school: a partner agency invited to the conference
REPORT_READERS = frozenset({"strategy", "lead_manager", "partner_dsl", "csc_manager"})


def case_page(allowed, *, allowed_status=200):
    """A page about a case: allowed roles get `allowed_status`, others who see the case 403, everyone else 404."""

    def status(kind):
        if kind in ("anonymous", "inactive"):
            return 302
        return allowed_status if kind in allowed else 403 if kind in CASE_VISIBLE else 404

    return {kind: status(kind) for kind in USER_KINDS}


def case_api(allowed, *, allowed_status=200):
    """An endpoint about a case: as `case_page`, with 401 without credentials and 403 without a membership."""
    return {**case_page(allowed, allowed_status=allowed_status), "anonymous": 401, "inactive": 401, "superuser": 403}


def _day(days_ago):
    return (timezone.localdate() - timedelta(days=days_ago)).isoformat()


def case_id(world):
    return {"case_id": world.case.pk}


def conference_id(world):
    return {"conference_id": held_review(world).pk}


def conference_pk(world):
    return {"pk": held_review(world).pk}


def invitation_pk(world):
    return {"pk": held_review(world).invitations.get(agency=world.school).pk}


def invitation_id(world):
    return {"invitation_id": held_review(world).invitations.get(agency=world.school).pk}


def _latest():
    return Conference.objects.latest("pk")


def schedule_form(world):
    rows = [world.health, world.school]
    data = {
        "kind": "core_group",
        "held_on": _day(-7),
        "start_time": "10:00",
        "format": "virtual",
        "chair": world.users["csc_manager"].pk,
        "agencies-TOTAL_FORMS": len(rows),
        "agencies-INITIAL_FORMS": len(rows),
        "agencies-MIN_NUM_FORMS": 0,
        "agencies-MAX_NUM_FORMS": 1000,
    }
    for index, agency in enumerate(rows):
        data |= {f"agencies-{index}-agency": agency.pk, f"agencies-{index}-invite": "on", f"agencies-{index}-is_key_agency": "on"}
    return data


def attendance_form(world):
    invitations = list(_latest().invitations.order_by("-is_key_agency", "agency__name"))
    data = {
        "attendance-TOTAL_FORMS": len(invitations),
        "attendance-INITIAL_FORMS": len(invitations),
        "attendance-MIN_NUM_FORMS": 0,
        "attendance-MAX_NUM_FORMS": 1000,
    }
    for index, invitation in enumerate(invitations):
        data |= {f"attendance-{index}-id": invitation.pk, f"attendance-{index}-attendance": "in_person", f"attendance-{index}-report_received_on": _day(14)}
    return data


def decisions_form(world):
    link = _latest().links.get()
    return {
        "decisions-TOTAL_FORMS": 1,
        "decisions-INITIAL_FORMS": 1,
        "decisions-MIN_NUM_FORMS": 0,
        "decisions-MAX_NUM_FORMS": 1000,
        "decisions-0-id": link.pk,
        "decisions-0-decision": "plan_continued",
        "decisions-0-cp_category": "neglect",
    }


def new_conference(world):
    return {
        "case": world.case.pk,
        "kind": "core_group",
        "held_on": _day(-7),
        "start_time": "10:00",
        "format": "hybrid",
        "chair": world.users["csc_practitioner"].pk,
        "invitations": [{"agency": world.health.pk, "is_key_agency": True}],
    }


def new_invitation(world):
    """The school invited to a conference that had only children's social care and health."""
    return {"conference": held_review(world, agencies=[world.csc, world.health]).pk, "agency": world.school.pk, "is_key_agency": True}


ROUTES = {
    # Pages.
    # Children's social care see every upcoming conference; other case workers their own agency's invitations.
    ("conferences:upcoming", "GET"): Row(page(CASE_WORKERS)),
    # The school records its own report: other agencies (even those who see the case) get 404, as for a record they cannot see.
    ("conferences:invitation_report", "POST"): Row(page(SCHOOL_CASE_WORKERS, allowed_status=302, denied=404), kwargs=invitation_id),
    ("conferences:attendance_report", "GET"): Row(page(REPORT_READERS)),
    ("conferences:case_conferences", "GET"): Row(page(CASE_VISIBLE, denied=404), kwargs=case_id),
    ("conferences:conference_schedule", "GET"): Row(case_page(CONVENERS), kwargs=case_id),
    ("conferences:conference_schedule", "POST"): Row(case_page(CONVENERS, allowed_status=302), kwargs=case_id, data=schedule_form),
    ("conferences:conference_detail", "GET"): Row(page(CASE_VISIBLE, denied=404), kwargs=conference_id),
    ("conferences:conference_attendance", "GET"): Row(case_page(CONVENERS), kwargs=conference_id),
    ("conferences:conference_attendance", "POST"): Row(case_page(CONVENERS, allowed_status=302), kwargs=conference_id, data=attendance_form),
    ("conferences:conference_decisions", "GET"): Row(case_page(CONFERENCE_DECIDERS), kwargs=conference_id),
    ("conferences:conference_decisions", "POST"): Row(case_page(CONFERENCE_DECIDERS, allowed_status=302), kwargs=conference_id, data=decisions_form),
    # API.
    ("api:conference-list", "GET"): Row(api(MEMBERS)),
    ("api:conference-list", "POST"): Row(case_api(CONVENERS, allowed_status=201), data=new_conference, encoding="json"),
    ("api:conference-detail", "GET"): Row(api(CASE_VISIBLE), kwargs=conference_pk),
    ("api:conference-decisions", "POST"): Row(
        case_api(CONFERENCE_DECIDERS),
        kwargs=conference_pk,
        encoding="json",
        data=lambda w: {"decisions": [{"case": w.case.pk, "decision": "plan_continued", "cp_category": "neglect"}]},
    ),
    ("api:conference-invitation-list", "GET"): Row(api(MEMBERS)),
    ("api:conference-invitation-list", "POST"): Row(case_api(CONVENERS, allowed_status=201), data=new_invitation, encoding="json"),
    ("api:conference-invitation-detail", "GET"): Row(api(CASE_VISIBLE), kwargs=invitation_pk),
    ("api:conference-invitation-detail", "PATCH"): Row(
        case_api(CONVENERS),
        kwargs=invitation_pk,
        encoding="json",
        data=lambda w: {"attendance": "virtual", "report_received_on": _day(14)},
    ),
}
