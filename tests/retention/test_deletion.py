"""Approved deletion: whole records go, held-back ones stay, the log has no content, the audit log and triggers survive.

These tests commit real transactions (transaction=True): the retention flag is SET LOCAL to a
transaction, and foreign keys are checked when it commits, as in production.
"""

import json
from datetime import date

import pytest
from django.db import DatabaseError, connection, transaction

from audit.models import AccessEvent, AuditAction
from cases.models import Adult, Case, Child, Family
from cases.services import case_close
from chronologies.models import ChronologyEntry, EntryKind
from concerns.models import Concern, ConcernAmendment
from concerns.services import concern_amend
from households.services import ChildRelationship, adult_add
from retention.models import AppendOnlyError, Decision, Outcome, RetentionDeletionLog, RetentionItem, ReviewStatus
from retention.services import retention_item_process, retention_review_create, retention_review_decide
from retention.tasks import retention_review_delete
from sharing.models import SharingDecision
from tests.chronologies.builders import make_entry
from tests.factories import make_case, make_child, make_concern

from .conftest import TODAY

pytestmark = pytest.mark.django_db(transaction=True)

SECRET = "Mum's partner shouted at the children in the street"


def _old_record(world, *, given_name, family=None):
    """A child whose early-help case closed in 2019 (due 2025), with a concern, an amendment, a restricted entry and a mother."""
    child = make_child(given_name=given_name, date_of_birth=date(2012, 4, 1), family=family)
    case = make_case(world.health, child=child, opened_on=date(2018, 1, 8), team=[world.school])
    concern = make_concern(case, world.users["lead_practitioner"], observed_on=date(2018, 6, 1), description=SECRET)
    concern_amend(
        actor=world.users["lead_practitioner"],
        concern=concern,
        reason="Wrong date",
        observed_on=date(2018, 6, 2),
        neglect_types=["physical"],
        description=SECRET,
        impact_on_child="Frightened.",
    )
    make_entry(child, world.users["granted"], kind=EntryKind.POLICE_CALL_OUT, occurred_on=date(2018, 7, 1), summary=SECRET, restricted=True)
    if family is None:
        adult_add(actor=None, family=child.family, given_name="Dana", family_name="Moss", relationships=[ChildRelationship(child=child, relationship="mother")])
    case_close(actor=world.users["lead_manager"], case=case, closed_on=date(2019, 1, 1), closure_reason="Outcomes met")
    return child


@pytest.fixture
def two_due(world):
    return _old_record(world, given_name="Amy"), _old_record(world, given_name="Ben")


def _item(review, child):
    return review.items.get(child_id=child.pk)


def _approve(world, review, excluded=None):
    retention_review_decide(actor=world.users["admin"], review=review, excluded=excluded or {})
    review.refresh_from_db()


def test_nothing_is_deleted_without_approval(world, two_due):
    review = retention_review_create(today=TODAY)
    assert retention_review_delete.delay(review.pk).get() == "not approved or already running"
    assert Child.objects.filter(pk__in=[child.pk for child in two_due]).count() == 2
    assert not RetentionDeletionLog.objects.exists()


def test_approval_deletes_the_whole_record_and_keeps_the_held_back_one(world, two_due):
    amy, ben = two_due
    amy_family, amy_concern = amy.family_id, Concern.objects.get(child=amy)
    review = retention_review_create(today=TODAY)
    _approve(world, review, {_item(review, ben).pk: "Legal hold: care proceedings"})
    assert (review.status, review.failure_reason) == (ReviewStatus.DONE, "")
    assert not Child.objects.filter(pk=amy.pk).exists()
    assert not Case.objects.filter(child_id=amy.pk).exists()
    assert not Concern.objects.filter(pk=amy_concern.pk).exists() and not ConcernAmendment.objects.filter(concern_id=amy_concern.pk).exists()
    assert not ChronologyEntry.objects.filter(child_id=amy.pk).exists()
    assert not SharingDecision.objects.filter(child_id=amy.pk).exists()
    assert not Family.objects.filter(pk=amy_family).exists() and not Adult.objects.filter(family_id=amy_family).exists()
    assert Child.objects.filter(pk=ben.pk).exists() and Concern.objects.filter(child=ben).count() == 1
    assert (_item(review, amy).outcome, _item(review, ben).outcome, _item(review, ben).decision) == (Outcome.DELETED, Outcome.NONE, Decision.EXCLUDED)


def test_the_deletion_log_counts_rows_and_holds_no_content(world, two_due):
    amy, _ = two_due
    review = retention_review_create(today=TODAY)
    _approve(world, review)
    log = RetentionDeletionLog.objects.get(child_id=amy.pk)
    assert log.rows_deleted["concerns.Concern"] == 1 and log.rows_deleted["concerns.ConcernAmendment"] == 1
    assert log.rows_deleted["cases.Child"] == 1 and log.rows_deleted["cases.Adult"] == 1
    assert log.total_rows == sum(log.rows_deleted.values())
    assert (log.approved_by_username, log.record_type, log.due_on) == ("admin", "early_help", date(2025, 1, 1))
    stored = json.dumps([getattr(log, field.attname) for field in RetentionDeletionLog._meta.concrete_fields], default=str)
    for content in (SECRET, "Amy", "Dana", "Moss", amy.family_name):
        assert content not in stored


def test_the_audit_log_survives_and_records_the_deletion(world, two_due):
    amy, _ = two_due
    before = list(AccessEvent.objects.filter(child_id=amy.pk).values_list("pk", flat=True))
    review = retention_review_create(today=TODAY)
    _approve(world, review)
    after = AccessEvent.objects.filter(child_id=amy.pk)
    assert set(before) < set(after.values_list("pk", flat=True))
    deletion = after.filter(object_type="retention_deletion").get()
    assert deletion.username == "admin" and deletion.action == AuditAction.DELETE and SECRET not in deletion.detail


def test_triggers_still_refuse_an_ordinary_delete_of_a_concern_afterwards(world, two_due):
    _, ben = two_due
    review = retention_review_create(today=TODAY)
    _approve(world, review, {_item(review, ben).pk: "Ongoing investigation"})
    with pytest.raises(DatabaseError, match="deleted only by an approved retention deletion"), transaction.atomic():
        Concern.objects.filter(child=ben)._raw_delete(connection.alias)
    with pytest.raises(DatabaseError, match="recorded once"), transaction.atomic():
        SharingDecision.objects.filter(child=ben)._raw_delete(connection.alias)
    with pytest.raises(DatabaseError, match="deleted only by an approved retention deletion"), transaction.atomic():
        ChronologyEntry.objects.filter(child=ben)._raw_delete(connection.alias)
    assert Concern.objects.filter(child=ben).count() == 1
    assert ChronologyEntry.objects.filter(child=ben).exists()


def test_running_the_deletion_again_changes_nothing(world, two_due):
    review = retention_review_create(today=TODAY)
    _approve(world, review)
    assert retention_review_delete.delay(review.pk).get() == "not approved or already running"
    for item in review.items.all():
        assert retention_item_process(item_id=item.pk, today=TODAY) == Outcome.DELETED
    assert RetentionDeletionLog.objects.count() == 2


def test_a_child_with_a_new_case_since_the_review_is_kept(world, two_due):
    amy, _ = two_due
    review = retention_review_create(today=TODAY)
    make_case(world.health, child=amy, opened_on=date(2026, 11, 20))
    RetentionItem.objects.filter(review=review).update(decision=Decision.DELETE)
    assert retention_item_process(item_id=_item(review, amy).pk, today=TODAY) == Outcome.NO_LONGER_DUE
    assert Child.objects.filter(pk=amy.pk).exists()


def test_a_household_with_another_child_keeps_the_household_and_its_adults(world):
    amy = _old_record(world, given_name="Amy")
    sibling = make_child(given_name="Cal", family=amy.family)
    make_case(world.health, child=sibling, opened_on=date(2026, 1, 5))
    review = retention_review_create(today=TODAY)
    _approve(world, review)
    assert not Child.objects.filter(pk=amy.pk).exists()
    assert Family.objects.filter(pk=amy.family_id).exists() and Adult.objects.filter(family_id=amy.family_id).count() == 1


def test_holding_back_needs_a_reason(world, two_due):
    from django.core.exceptions import ValidationError

    review = retention_review_create(today=TODAY)
    with pytest.raises(ValidationError):
        retention_review_decide(actor=world.users["admin"], review=review, excluded={_item(review, two_due[0]).pk: "  "})
    review.refresh_from_db()
    assert review.status == ReviewStatus.AWAITING_DECISION


def test_a_held_back_child_is_not_listed_again_within_the_hold(world, two_due):
    amy, ben = two_due
    review = retention_review_create(today=TODAY)
    _approve(world, review, {_item(review, amy).pk: "Legal hold", _item(review, ben).pk: "Legal hold"})
    assert retention_review_create(today=TODAY) is None


def test_the_deletion_log_is_append_only(world, two_due):
    review = retention_review_create(today=TODAY)
    _approve(world, review)
    log = RetentionDeletionLog.objects.first()
    with pytest.raises(AppendOnlyError):
        RetentionDeletionLog.objects.update(total_rows=0)
    with pytest.raises(AppendOnlyError):
        log.delete()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE retention_retentiondeletionlog SET total_rows = 0")


def test_final_assessments_and_a_conference_about_only_this_child_go_too(world):
    from conferences.models import Conference, ConferenceChild
    from tests.conferences.builders import make_conference
    from tests.tools.builders import all_grades, final_run
    from tools.models import AssessmentRun

    child = make_child(given_name="Dee", date_of_birth=date(2001, 11, 24))
    case = make_case(world.health, child=child, opened_on=date(2018, 1, 8), team=[world.school])
    run = final_run(case, world.users["lead_practitioner"], values=all_grades(3))
    conference = make_conference(
        case, actor=world.users["csc_manager"], chair=world.users["csc_manager"], held_on=date(2026, 11, 17), invitations=[world.csc, world.health]
    )
    case_close(actor=world.users["lead_manager"], case=case, closed_on=date(2026, 11, 20), closure_reason="Moved away")
    review = retention_review_create(today=TODAY)
    assert _item(review, child).record_type == "statutory"  # the conference makes it statutory: due on the 25th birthday, today
    _approve(world, review)
    assert not AssessmentRun.objects.filter(pk=run.pk).exists()
    assert not Conference.objects.filter(pk=conference.pk).exists() and not ConferenceChild.objects.filter(case_id=case.pk).exists()
    log = RetentionDeletionLog.objects.get(child_id=child.pk)
    assert log.rows_deleted["tools.AssessmentRun"] == 1 and log.rows_deleted["conferences.Invitation"] == 2


def test_a_final_assessment_still_refuses_an_ordinary_delete(world):
    from tests.tools.builders import all_grades, final_run
    from tools.models import AssessmentRun

    run = final_run(world.case, world.users["lead_practitioner"], values=all_grades(3))
    with pytest.raises(DatabaseError, match="cannot be changed or deleted"), transaction.atomic():
        AssessmentRun.objects.filter(pk=run.pk)._raw_delete(connection.alias)


def test_a_conference_that_also_covered_a_sibling_is_kept_for_the_sibling(world):
    from conferences.models import Conference, ConferenceChild
    from tests.conferences.builders import make_conference

    child = make_child(given_name="Eve", date_of_birth=date(2001, 11, 24))
    sibling = make_child(given_name="Fay", date_of_birth=date(2015, 1, 1), family=child.family)
    case = make_case(world.health, child=child, opened_on=date(2018, 1, 8))
    sibling_case = make_case(world.health, child=sibling, opened_on=date(2018, 1, 8))
    conference = make_conference(
        case,
        actor=world.users["csc_manager"],
        chair=world.users["csc_manager"],
        held_on=date(2026, 11, 17),
        invitations=[world.csc, world.health],
        siblings=[sibling_case],
    )
    case_close(actor=world.users["lead_manager"], case=case, closed_on=date(2026, 11, 20), closure_reason="Moved away")
    _approve(world, retention_review_create(today=TODAY))
    assert not Child.objects.filter(pk=child.pk).exists()
    assert Conference.objects.filter(pk=conference.pk).exists()
    assert list(ConferenceChild.objects.filter(conference=conference).values_list("case_id", flat=True)) == [sibling_case.pk]
    assert Family.objects.filter(pk=child.family_id).exists()
