"""Issue 22, finding 8: the access log kept the names, dates of birth and NHS numbers typed into
searches (request paths with their query strings), shown in the auditor's CSV and kept forever.

Rows now store the path without its query string, and API list rows record only the list's own
filters (ids, choices, dates), so nothing identifying sent in a URL reaches the log.
"""

import pytest
from django.http import QueryDict
from django.test import RequestFactory
from django.urls import reverse

from audit.models import AccessEvent, AuditAction
from audit.services import audit_record, query_detail

PERSONAL = {"given_name": "Amelia", "family_name": "Zebedee", "date_of_birth": "2015-06-01", "nhs_number": "9434765919", "q": "Amelia Zebedee"}


def _logged_text(rows):
    fields = ("username", "agency_name", "object_type", "object_id", "detail", "path", "user_agent")
    return " ".join(str(getattr(row, field)) for row in rows for field in fields)


def _assert_nothing_personal(rows):
    text = _logged_text(rows)
    for value in ("Amelia", "Zebedee", "2015-06-01", "9434765919", "given_name", "nhs_number", "date_of_birth"):
        assert value not in text, (value, text)


def _new_rows(before):
    return list(AccessEvent.objects.filter(pk__gt=before))


def _last_pk():
    last = AccessEvent.objects.order_by("-pk").first()
    return last.pk if last else 0


def test_a_row_keeps_the_path_without_its_query_string(db):
    request = RequestFactory().get("/cases/12/", PERSONAL)
    event = audit_record(user=None, action=AuditAction.VIEW, object_type="case", request=request)
    assert event.path == "/cases/12/"
    _assert_nothing_personal([event])


def test_a_page_read_with_identifiers_in_its_query_writes_none_of_them(world, client_for):
    client = client_for(world.users["lead_practitioner"])
    before = _last_pk()
    for url in (reverse("cases:case_detail", args=[world.case.pk]), reverse("home"), reverse("chronologies:child_chronology", args=[world.case.child_id])):
        assert client.get(url, PERSONAL).status_code == 200
    rows = _new_rows(before)
    assert rows and {row.path for row in rows} <= {
        reverse("cases:case_detail", args=[world.case.pk]),
        reverse("home"),
        reverse("chronologies:child_chronology", args=[world.case.child_id]),
    }
    _assert_nothing_personal(rows)


@pytest.mark.parametrize(
    ("name", "filters", "kept"),
    [
        ("api:case-list", lambda world: {"child": world.case.child_id}, lambda world: f"api child={world.case.child_id}"),
        (
            "api:chronology-entry-list",
            lambda world: {"child": world.case.child_id, "significance": "critical"},
            lambda world: f"api child={world.case.child_id}&significance=critical",
        ),
        ("api:conference-list", lambda world: {"case": world.case.pk}, lambda world: f"api case={world.case.pk}"),
        ("api:conference-invitation-list", lambda world: {}, lambda world: "api "),
        ("api:tool-run-list", lambda world: {"case": world.case.pk}, lambda world: f"api case={world.case.pk}"),
    ],
)
def test_an_api_list_records_its_own_filters_and_nothing_typed_with_them(world, client_for, name, filters, kept):
    client = client_for(world.users["lead_practitioner"])
    before = _last_pk()
    response = client.get(reverse(name), {**filters(world), **PERSONAL})
    assert response.status_code == 200
    rows = _new_rows(before)
    _assert_nothing_personal(rows)
    assert kept(world) in [row.detail for row in rows]


def test_the_auditors_export_records_its_filters_but_not_the_rest_of_the_query(world, client_for):
    client = client_for(world.users["auditor"])
    before = _last_pk()
    response = client.get(reverse("audit:event_export"), {"action": "view", "child_id": world.case.child_id, **PERSONAL})
    b"".join(response.streaming_content)
    export = AccessEvent.objects.get(pk__gt=before, action=AuditAction.EXPORT)
    assert export.detail == f"filters: child_id={world.case.child_id}&action=view"
    _assert_nothing_personal([export])


def test_query_detail_keeps_the_named_filters_shaped_like_ids_choices_or_dates():
    params = QueryDict("child=12&status=open&date_from=2026-01-01&given_name=Amelia&child=Amelia Zebedee&status=%3D1%2B1%0Ax")
    assert query_detail(params, keep=("child", "status", "date_from")) == "child=12&status=open&date_from=2026-01-01"
    assert query_detail(QueryDict(""), keep=("child",)) == ""


def test_finding_a_child_by_name_date_of_birth_or_nhs_number_logs_none_of_them(world, client_for):
    """The search itself (by the page's form, and by a hand-made URL with the identifiers in its query):
    its rows, and the auditor's CSV of them, hold the child's id but not what was typed."""
    from cases.models import Child

    Child.objects.filter(pk=world.case.child_id).update(given_name="Amelia", family_name="Zebedee", nhs_number="9434765919")
    client = client_for(world.users["lead_practitioner"])
    before = _last_pk()
    by_name = {"given_name": "Amelia", "family_name": "Zebedee", "date_of_birth": "2015-06-01"}
    for query in (by_name, {"nhs_number": "943 476 5919"}, {"nhs_number": "9434765919"}):
        assert client.post(reverse("cases:find_child"), query).status_code == 200
        assert client.get(reverse("cases:find_child"), query).status_code == 200
    rows = _new_rows(before)
    assert world.case.child_id in {row.child_id for row in rows}  # the search found her, and says so
    _assert_nothing_personal(rows)
    assert "943 476 5919" not in _logged_text(rows)
    export = client_for(world.users["auditor"]).get(reverse("audit:event_export"), {"child_id": world.case.child_id})
    text = b"".join(export.streaming_content).decode()
    assert "find" in text and not any(value in text for value in ("Amelia", "Zebedee", "9434765919", "943 476 5919", "2015-06-01"))
