"""Access-matrix rows for subject access requests and retention reviews: partnership admins only.

Everyone else who is signed in gets 403 (the role may not), the request is never looked up for them;
anonymous and inactive users are sent to sign in.
"""

from datetime import date

from .matrix import ADMIN, Row, page


def _request(world, **fields):
    from subject_access.models import SubjectAccessRequest

    defaults = {
        "subject_kind": "child",
        "child": world.case.child,
        "requester_name": "A parent",
        "requester_relationship": "Mother",
        "requester_contact": "parent@example.org",
        "received_on": date(2026, 11, 2),
        "due_on": date(2026, 12, 2),
        "created_by": world.users["admin"],
    }
    return SubjectAccessRequest.objects.create(**{**defaults, **fields})


def _done(world):
    return {"request_id": _request(world, status="done", export_json=b"{}", export_pdf=b"%PDF-1.7").pk}


def _failed(world):
    return {"request_id": _request(world, status="failed", failure_reason="test").pk}


def _new_request(world):
    child = world.case.child
    return {
        "subject_kind": "child",
        "given_name": child.given_name,
        "family_name": child.family_name,
        "date_of_birth": child.date_of_birth.isoformat(),
        "requester_name": "A parent",
        "requester_relationship": "Mother",
        "requester_contact": "parent@example.org",
        "received_on": "2026-11-02",
    }


ROUTES = {
    ("subject_access:list", "GET"): Row(page(ADMIN)),
    ("subject_access:list", "POST"): Row(page(ADMIN, allowed_status=302), data=_new_request),
    ("subject_access:detail", "GET"): Row(page(ADMIN), kwargs=_done),
    ("subject_access:download_pdf", "GET"): Row(page(ADMIN), kwargs=_done),
    ("subject_access:download_json", "GET"): Row(page(ADMIN), kwargs=_done),
    ("subject_access:requeue", "POST"): Row(page(ADMIN, allowed_status=302), kwargs=_failed),
}


def _review(world):
    from retention.models import RetentionReview

    return {"review_id": RetentionReview.objects.create(found_on=date(2026, 11, 23)).pk}


ROUTES.update(
    {
        ("retention:list", "GET"): Row(page(ADMIN)),
        ("retention:scan", "POST"): Row(page(ADMIN, allowed_status=302)),
        ("retention:log", "GET"): Row(page(ADMIN)),
        ("retention:detail", "GET"): Row(page(ADMIN), kwargs=_review),
        ("retention:detail", "POST"): Row(page(ADMIN, allowed_status=302), kwargs=_review),
    }
)
