from django.contrib.auth import get_user_model
from django.urls import reverse

from agencies.models import Agency, AgencyKind
from audit.models import AccessEvent, AuditAction


def test_admin_adds_an_agency_through_the_ui(world, client_for):
    response = client_for(world.users["admin"]).post(reverse("agencies:agency_create"), {"name": "Northbury Housing", "kind": "housing", "locality": "north"})
    assert response.status_code == 302
    agency = Agency.objects.get(name="Northbury Housing")
    assert (agency.kind, agency.locality, agency.group.name) == (AgencyKind.HOUSING, "north", "agency:Northbury Housing")
    assert AccessEvent.objects.filter(action=AuditAction.CREATE, object_type="agency", object_id=str(agency.pk)).exists()


def test_agency_form_errors_keep_what_was_typed(world, client_for):
    response = client_for(world.users["admin"]).post(reverse("agencies:agency_create"), {"name": "Riverside School", "kind": "castle"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "An agency called Riverside School already exists" in html
    assert "Select what kind of agency it is, from the list" in html
    assert 'value="Riverside School"' in html


def test_admin_invites_a_user_who_gets_an_email_to_set_their_password(world, client_for, django_capture_on_commit_callbacks):
    from django.core import mail

    admin = client_for(world.users["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            reverse("agencies:user_create"),
            {
                "username": "new.worker",
                "first_name": "New",
                "last_name": "Worker",
                "email": "new@example.org",
                "agency": world.school.pk,
                "role": "dsl",
                "job_title": "DSL",
            },
        )
    assert response.status_code == 302
    user = get_user_model().objects.get(username="new.worker")
    assert (user.membership.agency, user.membership.role) == (world.school, "dsl")
    assert not user.has_usable_password(), "the admin never chooses the password (tests/agencies/test_invitations.py)"
    assert [message.to for message in mail.outbox] == [["new@example.org"]]
    assert AccessEvent.objects.filter(action=AuditAction.CREATE, object_type="user", detail__contains="invited").count() == 1


def test_user_form_has_no_password_and_keeps_input_on_errors(world, client_for):
    admin = client_for(world.users["admin"])
    form_page = admin.get(reverse("agencies:user_create")).content.decode()
    assert 'type="password"' not in form_page
    assert "We email a link to set their password here" in form_page, "the email field's hint says what the address is for"
    response = admin.post(
        reverse("agencies:user_create"),
        {"username": "weak", "first_name": "W", "last_name": "Eak", "email": "not-an-email", "agency": world.school.pk, "role": "practitioner"},
    )
    html = response.content.decode()
    assert "Enter a valid email address." in html
    assert 'value="weak"' in html and 'value="not-an-email"' in html


def test_admin_moves_a_user_to_another_agency(world, client_for):
    user = world.users["partner_practitioner"]
    client_for(world.users["admin"]).post(
        reverse("agencies:user_edit", args=[user.pk]),
        {"first_name": "P", "last_name": "Q", "email": "p@example.org", "agency": world.police.pk, "role": "manager", "job_title": "", "is_active": "on"},
    )
    user.refresh_from_db()
    assert (user.membership.agency, user.membership.role) == (world.police, "manager")
    assert list(user.groups.all()) == [world.police.group]
