"""Retention pages: admins decide on a page, a hold without a reason is re-displayed, each read audited once."""

from datetime import date

import pytest
from django.urls import reverse

from audit.models import AccessEvent, AuditAction
from retention.models import Decision, RetentionReview, ReviewStatus
from retention.services import retention_review_create

from .conftest import TODAY, closed_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(world):
    closed_case(world, born=date(2012, 4, 1), closed_on=date(2019, 1, 1), given_name="Amy", family_name="Zed")
    closed_case(world, born=date(2012, 4, 1), closed_on=date(2019, 2, 1), given_name="Ben", family_name="Young")
    return retention_review_create(today=TODAY)


def test_the_review_page_shows_initials_ids_and_dates_and_is_audited_once(world, review, client_for):
    client = client_for(world.users["admin"])
    before = AccessEvent.objects.count()
    response = client.get(reverse("retention:detail", args=[review.pk]))
    assert response.status_code == 200
    assert b"AZ" in response.content and b"BY" in response.content and b"Amy" not in response.content
    assert AccessEvent.objects.count() == before + 1
    assert AccessEvent.objects.order_by("-id").values_list("action", "object_type").first() == (AuditAction.VIEW, "retention_review")


def test_holding_back_without_a_reason_redisplays_the_page_with_the_ticks_kept(world, review, client_for):
    items = list(review.items.all())
    response = client_for(world.users["admin"]).post(reverse("retention:detail", args=[review.pk]), {f"hold_{items[0].pk}": "on", f"reason_{items[0].pk}": ""})
    assert response.status_code == 400
    assert b"Say why this record is held back" in response.content
    assert f'id="hold_{items[0].pk}" name="hold_{items[0].pk}" type="checkbox" checked'.encode() in response.content
    review.refresh_from_db()
    assert review.status == ReviewStatus.AWAITING_DECISION


def test_approving_on_the_page_records_the_decisions(world, review, client_for):
    items = list(review.items.all())
    response = client_for(world.users["admin"]).post(
        reverse("retention:detail", args=[review.pk]), {f"hold_{items[0].pk}": "on", f"reason_{items[0].pk}": "Legal hold"}
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == ReviewStatus.APPROVED and review.decided_by == world.users["admin"]
    assert sorted(review.items.values_list("decision", flat=True)) == sorted([Decision.EXCLUDED, Decision.DELETE])


def test_a_decided_review_cannot_be_decided_again(world, review, client_for):
    client = client_for(world.users["admin"])
    client.post(reverse("retention:detail", args=[review.pk]), {})
    response = client.post(reverse("retention:detail", args=[review.pk]), {})
    assert response.status_code == 400 and b"already been decided" in response.content


@pytest.mark.parametrize("kind", ["csc_manager", "strategy", "auditor"])
def test_other_roles_are_refused_and_the_refusal_is_audited(world, review, client_for, kind):
    client = client_for(world.users[kind])
    before = AccessEvent.objects.count()
    assert client.get(reverse("retention:detail", args=[review.pk])).status_code == 403
    assert list(AccessEvent.objects.order_by("-id").values_list("action", flat=True)[: AccessEvent.objects.count() - before]) == [AuditAction.DENIED]


def test_the_weekly_scan_is_scheduled_by_migration():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="retention.tasks.retention_find_due")
    assert (task.crontab.day_of_week, task.crontab.hour, task.crontab.minute, task.enabled) == ("1", "5", "30", True)


def test_the_scan_task_makes_a_review_for_admins(world, review):
    from retention.tasks import retention_find_due

    closed_case(world, born=date(2012, 4, 1), closed_on=date(2019, 3, 1))
    result = retention_find_due.delay().get()
    assert result.startswith("review ") and RetentionReview.objects.count() == 2


@pytest.mark.parametrize(("name", "object_type"), [("retention:list", "retention_review_list"), ("retention:log", "retention_deletion_log")])
def test_list_pages_write_one_view_row(world, client_for, name, object_type):
    client = client_for(world.users["admin"])
    before = AccessEvent.objects.count()
    assert client.get(reverse(name)).status_code == 200
    assert AccessEvent.objects.count() == before + 1
    assert AccessEvent.objects.order_by("-id").values_list("action", "object_type").first() == (AuditAction.VIEW, object_type)


def test_the_scan_button_with_nothing_due_says_so_and_writes_one_row(world, client_for):
    client = client_for(world.users["admin"])
    before = AccessEvent.objects.count()
    response = client.post(reverse("retention:scan"), follow=True)
    assert b"No records are past their retention date." in response.content
    assert list(AccessEvent.objects.order_by("id").values_list("object_type", flat=True))[before:] == ["retention_scan", "retention_review_list"]
