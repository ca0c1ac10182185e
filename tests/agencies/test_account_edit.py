"""Nobody changes their own agency or role, or deactivates themselves (issue 22, finding 5).

The attack, which worked before the fix: a partnership admin (here in children's social care)
changed their own membership to a children's social care manager and read every case.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from agencies import access
from agencies.models import Role
from agencies.services import user_update
from audit.models import AccessEvent, AuditAction
from tests.factories import make_user


def _edit(client, user, **changes):
    data = {
        "first_name": user.first_name or "A",
        "last_name": user.last_name or "B",
        "email": user.email,
        "agency": user.membership.agency_id,
        "role": user.membership.role,
        "job_title": "",
        "is_active": "on",
    }
    data.update(changes)
    return client.post(reverse("agencies:user_edit", args=[user.pk]), data)


def test_an_admin_cannot_make_themselves_a_childrens_social_care_manager(world, client_for):
    admin = world.users["admin"]
    client = client_for(admin)
    before = AccessEvent.objects.count()
    response = _edit(client, admin, role=Role.MANAGER)
    assert response.status_code == 403
    assert "Ask another partnership admin" in response.content.decode()
    assert AccessEvent.objects.count() == before + 1
    assert AccessEvent.objects.filter(action=AuditAction.DENIED, object_type="user", object_id=str(admin.pk)).count() == 1
    admin.membership.refresh_from_db()
    assert admin.membership.role == Role.PARTNERSHIP_ADMIN
    assert client_for(admin).get(reverse("cases:case_detail", args=[world.case.pk])).status_code == 404


def test_an_admin_cannot_move_themselves_to_another_agency(world, client_for):
    admin = world.users["admin"]
    assert _edit(client_for(admin), admin, agency=world.health.pk).status_code == 403
    admin.membership.refresh_from_db()
    assert admin.membership.agency_id == world.csc.pk


def test_an_admin_cannot_deactivate_themselves(world, client_for):
    admin = world.users["admin"]
    data = {"is_active": ""}
    assert _edit(client_for(admin), admin, **data).status_code == 403
    admin.refresh_from_db()
    assert admin.is_active


def test_an_admin_cannot_open_their_own_edit_page_or_reset_their_own_second_factor(world, client_for):
    admin = world.users["admin"]
    client = client_for(admin)
    assert client.get(reverse("agencies:user_edit", args=[admin.pk])).status_code == 403
    assert client.post(reverse("agencies:user_reset_two_factor", args=[admin.pk])).status_code == 403
    assert admin.has_usable_password()


def test_another_admin_makes_the_change_and_it_is_audited(world, client_for):
    admin = world.users["admin"]
    second = make_user(world.csc, Role.PARTNERSHIP_ADMIN, "second_admin")
    response = _edit(client_for(second), admin, role=Role.MANAGER)
    assert response.status_code == 302
    admin.membership.refresh_from_db()
    assert admin.membership.role == Role.MANAGER
    assert AccessEvent.objects.filter(action=AuditAction.UPDATE, object_type="user", object_id=str(admin.pk), username="second_admin").count() == 1


def test_the_service_refuses_a_self_change_from_any_path_with_one_audit_row(world):
    admin = world.users["admin"]
    before = AccessEvent.objects.count()
    with pytest.raises(PermissionDenied):
        user_update(
            user=admin, agency=world.csc, role=Role.MANAGER, email=admin.email, first_name="A", last_name="B", job_title="", is_active=True, actor=admin
        )
    assert AccessEvent.objects.count() == before + 1
    admin.membership.refresh_from_db()
    assert admin.membership.role == Role.PARTNERSHIP_ADMIN


def test_the_second_factor_reset_service_refuses_ones_own_account_with_one_audit_row(world):
    from agencies.two_factor import two_factor_reset

    admin = world.users["admin"]
    before = AccessEvent.objects.count()
    with pytest.raises(PermissionDenied):
        two_factor_reset(actor=admin, user=admin)
    assert AccessEvent.objects.count() == before + 1
    admin.refresh_from_db()
    assert admin.has_usable_password()


def test_the_user_list_offers_no_edit_link_on_the_admins_own_row(world, client_for):
    admin = world.users["admin"]
    html = client_for(admin).get(reverse("agencies:user_list")).content.decode()
    assert reverse("agencies:user_edit", args=[admin.pk]) not in html
    assert reverse("agencies:user_edit", args=[world.users["lead_practitioner"].pk]) in html


@pytest.mark.parametrize(
    ("actor", "target", "allowed"),
    [
        ("admin", "lead_practitioner", True),
        ("admin", "admin", False),
        ("csc_manager", "lead_practitioner", False),
        ("csc_manager", "csc_manager", False),
        ("superuser", "lead_practitioner", False),
        ("auditor", "auditor", False),
    ],
)
def test_can_edit_account_truth_table(world, actor, target, allowed):
    assert access.can_edit_account(world.users[actor], world.users[target]) is allowed
