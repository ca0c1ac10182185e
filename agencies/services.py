"""Writes for agencies, users and notifications. Each action is atomic and audited."""
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from audit.models import AuditAction
from audit.services import audit_record

from .models import Agency, AgencyKind, Membership, Notification, Role

User = get_user_model()


class UnknownChoice(ValueError):
    """An agency kind or role that is not on the fixed list."""


def _check_choice(value, choices, what):
    if value not in choices.values:
        raise UnknownChoice(f"Unknown {what} {value!r}. Choose one of: {', '.join(choices.values)}.")


@transaction.atomic
def agency_create(*, name, kind, locality="", actor=None, request=None):
    """Create an agency and its django-guardian group. Returns the agency."""
    _check_choice(kind, AgencyKind, "agency kind")
    group = Group.objects.create(name=f"agency:{name}")
    agency = Agency(name=name, kind=kind, locality=locality, group=group)
    agency.full_clean()
    agency.save()
    audit_record(user=actor, action=AuditAction.CREATE, object_type="agency", object_id=agency.pk, detail=name, request=request)
    return agency


@transaction.atomic
def agency_update(*, agency, actor, request=None, **fields):
    for name, value in fields.items():
        setattr(agency, name, value)
    if "kind" in fields:
        _check_choice(agency.kind, AgencyKind, "agency kind")
    agency.full_clean()
    agency.save()
    if "name" in fields:
        Group.objects.filter(pk=agency.group_id).update(name=f"agency:{agency.name}")
    audit_record(user=actor, action=AuditAction.UPDATE, object_type="agency", object_id=agency.pk, detail=", ".join(sorted(fields)), request=request)
    return agency


def agency_ensure(*, name, kind, locality=""):
    """Idempotent create for bootstrap scripts: returns (agency, created)."""
    _check_choice(kind, AgencyKind, "agency kind")
    existing = Agency.objects.filter(name=name).first()
    if existing is not None:
        if existing.kind != kind:
            raise UnknownChoice(f"Agency {name!r} already exists with kind {existing.kind!r}, not {kind!r}.")
        return existing, False
    return agency_create(name=name, kind=kind, locality=locality), True


@transaction.atomic
def user_create(*, username, email, agency, role, password, first_name="", last_name="", job_title="", actor=None, request=None):
    """Create a user in one agency with one role (password validated by the caller's form)."""
    _check_choice(role, Role, "role")
    user = User.objects.create_user(username=username, email=email, password=password, first_name=first_name, last_name=last_name)
    Membership.objects.create(user=user, agency=agency, role=role, job_title=job_title)
    user.groups.add(agency.group)
    audit_record(user=actor, action=AuditAction.CREATE, object_type="user", object_id=user.pk, detail=f"{username} as {role} of {agency.name}", request=request)
    return user


@transaction.atomic
def user_update(*, user, agency, role, email, first_name, last_name, job_title, is_active, actor, request=None):
    """Change a user's details, agency or role. Deactivating ends their sessions at once."""
    _check_choice(role, Role, "role")
    membership = user.membership
    if membership.agency_id != agency.pk:
        user.groups.remove(membership.agency.group)
        user.groups.add(agency.group)
    membership.agency, membership.role, membership.job_title = agency, role, job_title
    membership.save()
    was_active = user.is_active
    user.email, user.first_name, user.last_name, user.is_active = email, first_name, last_name, is_active
    user.save()
    if was_active and not is_active:
        sessions_end_for(user)
    audit_record(user=actor, action=AuditAction.UPDATE, object_type="user", object_id=user.pk, detail=f"{user.username}: {role} of {agency.name}, active={is_active}", request=request)
    return user


def sessions_end_for(user):
    """Delete every database session belonging to the user (deactivation, password reset)."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
            ended += 1
    return ended


def notification_create(*, recipient, subject, body, link=""):
    """Create an in-app notification and email it once, after the surrounding transaction commits."""
    from .tasks import notification_email

    notification = Notification.objects.create(recipient=recipient, subject=subject, body=body, link=link)
    transaction.on_commit(lambda: notification_email.delay(notification.pk))
    return notification
