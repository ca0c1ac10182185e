"""What the export holds: everything about the subject, restricted and third-party items marked, never dropped."""

from datetime import date

import pytest
from django.urls import reverse

from subject_access.models import SubjectAccessRequest, SubjectKind
from subject_access.selectors import subject_access_document

from .conftest import POLICE_SECRET

pytestmark = pytest.mark.django_db


def _items(document, type_):
    return {item["id"]: item for section in document["sections"] for item in section["items"] if item["type"] == type_}


def _request_for(world, **subject):
    return SubjectAccessRequest.objects.create(
        requester_name="Dana Moss",
        requester_relationship="Mother",
        requester_contact="dana@example.org",
        received_on=date(2026, 11, 20),
        due_on=date(2026, 12, 21),
        created_by=world.users["admin"],
        **subject,
    )


def test_a_restricted_entry_is_included_and_marked_for_review(world, record):
    document = subject_access_document(sar=_request_for(world, subject_kind=SubjectKind.CHILD, child=record.child))
    entries = _items(document, "chronology_entry")
    restricted = entries[record.restricted_entry.pk]
    assert restricted["redaction_review"] is True
    assert any("Restricted chronology entry" in reason and "County Police" in reason for reason in restricted["redaction_reasons"])
    assert POLICE_SECRET in [field["value"] for field in restricted["fields"]]
    assert entries[record.plain_entry.pk]["redaction_review"] is False


def test_free_text_naming_another_person_is_marked_and_plain_text_is_not(world, record):
    document = subject_access_document(sar=_request_for(world, subject_kind=SubjectKind.CHILD, child=record.child))
    concerns = _items(document, "concern")
    assert concerns[record.concern_naming_mother.pk]["redaction_reasons"] == [
        "Names another person (Dana Moss (adult in the household)): review before disclosure"
    ]
    assert concerns[record.plain_concern.pk]["redaction_review"] is False


def test_household_adults_and_siblings_are_third_party_items(world, record):
    document = subject_access_document(sar=_request_for(world, subject_kind=SubjectKind.CHILD, child=record.child))
    assert _items(document, "adult")[record.mother.pk]["redaction_review"] is True
    assert _items(document, "sibling")[record.sibling.pk]["redaction_review"] is True
    assert _items(document, "child")[record.child.pk]["redaction_review"] is False
    assert document["summary"]["redaction_review_items"] == sum(1 for section in document["sections"] for item in section["items"] if item["redaction_review"])


def test_every_kind_of_record_about_the_child_is_in_the_export(world, record):
    document = subject_access_document(sar=_request_for(world, subject_kind=SubjectKind.CHILD, child=record.child))
    types = {item["type"] for section in document["sections"] for item in section["items"]}
    assert {
        "child",
        "family",
        "adult",
        "sibling",
        "case",
        "concern",
        "plan",
        "referral",
        "oversight",
        "child_voice",
        "chronology_entry",
        "sharing_decision",
    } <= types
    assert _items(document, "case")[world.case.pk]["fields"]


def test_the_disclosure_log_lists_who_read_the_childs_record(world, record, client_for):
    client_for(world.users["partner_practitioner"]).get(reverse("cases:case_detail", args=[world.case.pk]))
    document = subject_access_document(sar=_request_for(world, subject_kind=SubjectKind.CHILD, child=record.child))
    assert any(
        event["user"] == "partner_practitioner" and event["agency"] == "Riverside School" and event["action"] == "Viewed"
        for event in document["disclosure_log"]
    )


def test_an_adults_export_flags_everything_from_the_childrens_records(world, record):
    document = subject_access_document(sar=_request_for(world, subject_kind=SubjectKind.ADULT, adult=record.mother))
    assert document["subject"]["name"] == "Dana Moss"
    assert _items(document, "adult")[record.mother.pk]["redaction_review"] is False
    concern = _items(document, "concern")[record.concern_naming_mother.pk]
    assert concern["redaction_review"] is True and "third party" in concern["redaction_reasons"][-1]


def test_a_sibling_named_in_oversight_reasons_is_marked(world, record):
    document = subject_access_document(sar=_request_for(world, subject_kind=SubjectKind.CHILD, child=record.child))
    (oversight,) = _items(document, "oversight").values()
    assert oversight["redaction_reasons"] == [f"Names another person (Ruby {record.child.family_name} (another child)): review before disclosure"]
