"""Explicit case grants (issue 22, hardening): a partnership admin grants a case with a reason and an end date, lists and revokes.

The grant is what `agencies.access.cases_visible_to` reads: it counts up to and including its last day.
The police (`outsider`) cannot see `world.case` until granted.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from agencies import access
from agencies.models import Role
from audit.models import AccessEvent, AuditAction
from cases.models import CaseGroupObjectPermission, CaseUserObjectPermission
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def _form(world, **changes):
    until = (timezone.localdate() + timedelta(days=30)).isoformat()
    return {"case_number": world.case.pk, "user": world.users["outsider"].pk, "reason": "Joint investigation", "expires_on": until, **changes}


def test_an_admin_grants_a_case_to_a_person_until_a_day_and_it_is_audited(world, client_for):
    admin = client_for(world.users["admin"])
    response = admin.post(reverse("agencies:case_grants"), _form(world))
    assert response.status_code == 302
    grant = CaseUserObjectPermission.objects.get(user=world.users["outsider"])
    assert (grant.reason, grant.granted_by, grant.expires_on) == ("Joint investigation", world.users["admin"], timezone.localdate() + timedelta(days=30))
    assert access.cases_visible_to(world.users["outsider"]).filter(pk=world.case.pk).exists()
    event = AccessEvent.objects.filter(action=AuditAction.GRANT).latest("id")
    assert (event.child_id, event.object_id) == (world.case.child_id, str(world.case.pk))
    assert "user outsider until" in event.detail and event.detail.endswith("Joint investigation")
    page = admin.get(reverse("agencies:case_grants")).content.decode()
    assert "Joint investigation" in page and world.case.child.family_name not in page


def test_a_grant_to_an_agency_lets_everyone_in_it_see_the_case(world, client_for):
    client_for(world.users["admin"]).post(reverse("agencies:case_grants"), _form(world, user="", agency=world.public_health.pk))
    assert CaseGroupObjectPermission.objects.filter(group__agency=world.public_health).exists()
    assert access.cases_visible_to(make_user(world.public_health, Role.PRACTITIONER)).filter(pk=world.case.pk).exists()


def test_a_grant_counts_until_its_last_day_and_not_after(world):
    last_day = date(2026, 12, 10)
    access.case_grant(granted_by=world.users["admin"], case=world.case, user=world.users["outsider"], reason="Joint work", expires_on=last_day)
    officer = world.users["outsider"]
    with time_machine.travel(datetime(2026, 12, 10, 23, 0, tzinfo=ZoneInfo("Europe/London")), tick=False):
        assert access.cases_visible_to(officer).filter(pk=world.case.pk).exists()
    with time_machine.travel(datetime(2026, 12, 11, 0, 30, tzinfo=ZoneInfo("Europe/London")), tick=False):
        assert not access.cases_visible_to(officer).filter(pk=world.case.pk).exists()
        assert not access.children_visible_to(officer).filter(pk=world.case.child_id).exists()


def test_an_admin_revokes_a_grant_and_it_is_audited(world, client_for):
    grantee = world.users["granted"]
    grant = CaseUserObjectPermission.objects.get(user=grantee)
    assert access.cases_visible_to(grantee).filter(pk=world.case.pk).exists()
    response = client_for(world.users["admin"]).post(reverse("agencies:case_grant_revoke", args=["user", grant.pk]))
    assert response.status_code == 302
    assert not access.cases_visible_to(grantee).filter(pk=world.case.pk).exists()
    event = AccessEvent.objects.filter(object_type="case_grant").latest("id")
    assert (event.action, event.child_id, event.detail) == (AuditAction.DELETE, world.case.child_id, "revoked the grant to user granted")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"agency": "school"}, "user", "Choose either a person or an agency"),
        ({"user": ""}, "user", "Choose either a person or an agency"),
        ({"expires_on": "2000-01-01"}, "expires_on", "The last day must be today or later"),
        ({"expires_on": "2099-01-01"}, "expires_on", "A grant lasts at most 366 days: grant it again when it ends"),
        ({"reason": ""}, "reason", "Say why they need to see this case"),
        ({"case_number": "999999"}, "case_number", "There is no case with this number"),
    ],
)
def test_the_grant_form_says_what_to_fix(world, client_for, changes, field, message):
    changes = {name: world.school.pk if value == "school" else value for name, value in changes.items()}
    response = client_for(world.users["admin"]).post(reverse("agencies:case_grants"), _form(world, **changes))
    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    assert not CaseUserObjectPermission.objects.filter(user=world.users["outsider"]).exists()


def test_revoking_an_unknown_grant_answers_404(world, client_for):
    client = client_for(world.users["admin"])
    assert client.post(reverse("agencies:case_grant_revoke", args=["user", 999999])).status_code == 404
    assert client.post(reverse("agencies:case_grant_revoke", args=["team", 1])).status_code == 404


def test_only_partnership_admins_grant_and_each_refusal_is_logged_once(world, client_for):
    client = client_for(world.users["csc_manager"])
    before = AccessEvent.objects.count()
    response = client.post(reverse("agencies:case_grants"), _form(world))
    assert response.status_code == 403
    assert list(AccessEvent.objects.order_by("id")[before:].values_list("action", flat=True)) == [AuditAction.DENIED]
    assert not CaseUserObjectPermission.objects.filter(user=world.users["outsider"]).exists()
