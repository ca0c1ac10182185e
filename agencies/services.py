"""Writes for agencies, users and notifications. Each action is atomic and audited."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.utils import timezone

from audit.models import AuditAction
from audit.services import audit_record

from . import access, events, selectors, tasks, tokens
from .models import Agency, AgencyKind, Membership, Role, agency_name_key

User = get_user_model()


class UnknownChoice(ValueError):
    """An agency kind or role that is not on the fixed list."""


def _check_choice(value, choices, what):
    if value not in choices.values:
        raise UnknownChoice(f"Unknown {what} {value!r}. Choose one of: {', '.join(choices.values)}.")


@transaction.atomic
def agency_create(*, name, kind, locality="", ods_code="", urn="", police_force_code="", actor=None, request=None):
    """Create an agency and its django-guardian group. Returns the agency."""
    _check_choice(kind, AgencyKind, "agency kind")
    group = Group.objects.create(name=f"agency:{name}")
    agency = Agency(name=name, kind=kind, locality=locality, ods_code=ods_code, urn=urn, police_force_code=police_force_code, group=group)
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
    """Idempotent create for bootstrap scripts: returns (agency, created). Names compare ignoring case and spacing."""
    _check_choice(kind, AgencyKind, "agency kind")
    existing = Agency.objects.filter(name_key=agency_name_key(name)).first() or Agency.objects.filter(name=name).first()
    if existing is not None:
        if existing.kind != kind:
            raise UnknownChoice(f"Agency {name!r} already exists with kind {existing.kind!r}, not {kind!r}.")
        return existing, False
    return agency_create(name=name, kind=kind, locality=locality), True


@transaction.atomic
def user_create(*, username, email, agency, role, password, first_name="", last_name="", job_title="", actor=None, request=None):
    """Create a user in one agency with one role, with a password (validated by the caller).

    For operators and the demo only (`manage.py add_user --password-stdin`, `seed_demo`): in the
    portal an admin invites (`user_invite`) and never chooses a password. `password=None` makes it
    unusable.
    """
    user = _user_add(
        username=username, email=email, agency=agency, role=role, password=password, first_name=first_name, last_name=last_name, job_title=job_title
    )
    audit_record(user=actor, action=AuditAction.CREATE, object_type="user", object_id=user.pk, detail=f"{username} as {role} of {agency.name}", request=request)
    return user


def _user_add(*, username, email, agency, role, password, first_name, last_name, job_title):
    _check_choice(role, Role, "role")
    user = User.objects.create_user(username=username, email=email, password=password, first_name=first_name, last_name=last_name)
    Membership.objects.create(user=user, agency=agency, role=role, job_title=job_title)
    user.groups.add(agency.group)
    return user


def password_link_send(*, user, purpose):
    """Email `user` a one-time "set your password" link (agencies/tasks.py), once the transaction commits."""
    transaction.on_commit(lambda: tasks.password_link_email.delay(user.pk, purpose))


@transaction.atomic
def user_invite(*, username, email, agency, role, first_name="", last_name="", job_title="", actor, request=None):
    """A partnership admin adds a user without a password; the user is emailed a link to set one.

    The admin never chooses, sees or types the password (docs/security.md, "Finding 6"): the
    account has an unusable password until its owner follows the link, which works once.
    """
    user = _user_add(username=username, email=email, agency=agency, role=role, password=None, first_name=first_name, last_name=last_name, job_title=job_title)
    audit_record(
        user=actor, action=AuditAction.CREATE, object_type="user", object_id=user.pk, detail=f"{username} invited as {role} of {agency.name}", request=request
    )
    password_link_send(user=user, purpose=tasks.INVITATION)
    return user


def user_update(*, user, agency, role, email, first_name, last_name, job_title, is_active, actor, request=None):
    """Change a user's details, agency or role. Deactivating ends their sessions and API tokens at once.

    Nobody changes their own account this way (`access.can_edit_account`): refused before the
    transaction, so the refusal's audit row stays. A changed email address is told at the old one.
    """
    access.require_account_edit(actor, user, request=request)
    with transaction.atomic():
        return _user_update(
            user=user,
            agency=agency,
            role=role,
            email=email,
            first_name=first_name,
            last_name=last_name,
            job_title=job_title,
            is_active=is_active,
            actor=actor,
            request=request,
        )


def _user_update(*, user, agency, role, email, first_name, last_name, job_title, is_active, actor, request):
    _check_choice(role, Role, "role")
    membership = user.membership
    if membership.agency_id != agency.pk:
        user.groups.remove(membership.agency.group)
        user.groups.add(agency.group)
    membership.agency, membership.role, membership.job_title = agency, role, job_title
    membership.save()
    was_active, old_email = user.is_active, user.email
    user.email, user.first_name, user.last_name, user.is_active = email, first_name, last_name, is_active
    user.save()
    if was_active and not is_active:
        sessions_end_for(user)
        tokens.tokens_revoke_for(user=user, reason=tokens.REVOKED_DEACTIVATED)
    email_changed = bool(old_email) and old_email.lower() != email.lower()
    if email_changed:
        transaction.on_commit(lambda: tasks.email_change_notice.delay(user.pk, old_email))
    detail = f"{user.username}: {role} of {agency.name}, active={is_active}" + (", email address changed" if email_changed else "")
    audit_record(user=actor, action=AuditAction.UPDATE, object_type="user", object_id=user.pk, detail=detail, request=request)
    return user


def sessions_end_for(user, *, keep=None):
    """Delete every database session belonging to the user (deactivation, password reset), but `keep` (a session key)."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).exclude(session_key=keep).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
            ended += 1
    return ended


def _password_replace(*, user, password, keep_session=None):
    """The new password, and everything the old one opened ended: other sessions and every API token."""
    user.set_password(password)
    user.save(update_fields=["password"])
    sessions_end_for(user, keep=keep_session)
    tokens.tokens_revoke_for(user=user, reason=tokens.REVOKED_PASSWORD_CHANGED)


@transaction.atomic
def password_set(*, user, password, request=None):
    """The user sets their password through an emailed one-time link (invitation, second-factor reset, forgotten password).

    The link's token was checked by the caller (Django's PasswordResetConfirmView); setting the
    password changes the hash the token was made from, so the link stops working. Audited once.
    """
    _password_replace(user=user, password=password)
    audit_record(
        user=user, action=AuditAction.UPDATE, object_type="password", object_id=user.pk, detail="password set through an emailed link", request=request
    )
    return user


@transaction.atomic
def password_change(*, user, password, request=None):
    """A signed-in user changes their password (the old one checked by the caller's form).

    Their other sessions and their API tokens end; the caller keeps this session going
    (`update_session_auth_hash`). Audited once.
    """
    keep = request.session.session_key if request is not None else None
    _password_replace(user=user, password=password, keep_session=keep)
    audit_record(user=user, action=AuditAction.UPDATE, object_type="password", object_id=user.pk, detail="password changed", request=request)
    return user


def password_reset_request(*, email, request=None):
    """Someone asks for a "set your password" link for `email` ("Forgot your password?").

    Each active account with that address gets the link by email; the caller answers the same
    whatever happened, so the page says nothing about which addresses have accounts (the email is
    sent after the response, by the task, so its timing says nothing either). Unusable passwords
    count: an invited person who lost the invitation, or whose second factor was reset, asks here.
    Audited per account reached, never per address typed.
    """
    users = list(User.objects.filter(email__iexact=email.strip(), is_active=True))
    for user in users:
        audit_record(
            user=None,
            username=user.username,
            action=AuditAction.UPDATE,
            object_type="password",
            object_id=user.pk,
            detail="password reset link requested",
            request=request,
        )
        transaction.on_commit(lambda pk=user.pk: tasks.password_link_email.delay(pk, tasks.PASSWORD_RESET))
    return len(users)


# --- Merging a duplicate agency ---------------------------------------------------------------------

# Rows that only say "this agency is in it": when both duplicates have one for the same thing (both on
# a case's team, both in a user's groups, both granted the same case), the merged agency's row is
# redundant and goes. Any other clash stops the merge (`agency_merge`).
REDUNDANT_ON_CLASH = frozenset({"cases.TeamMembership", "auth.User_groups", "cases.CaseGroupObjectPermission"})


def _unique_sets(model, field):
    """The unique field sets of `model` that include `field`, each with its condition (a Q or None)."""
    sets = []
    meta = model._meta
    if meta.get_field(field).unique:
        sets.append(((field,), None))
    for fields in meta.unique_together:
        if field in fields:
            sets.append((tuple(fields), None))
    for constraint in meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and constraint.fields and field in constraint.fields:
            sets.append((tuple(constraint.fields), constraint.condition))
    return sets


def _clashes(model, field, old, new):
    """Rows pointing at `old` that would break a unique rule if they pointed at `new`."""
    rows = model._default_manager.filter(**{field: old})
    clash_pks = set()
    for fields, condition in _unique_sets(model, field):
        others = [f for f in fields if f != field]
        scope = model._default_manager.filter(condition) if condition is not None else model._default_manager.all()
        kept = scope.filter(**{field: new})
        candidates = rows.filter(condition) if condition is not None else rows
        for row in candidates:
            if not others or kept.filter(**{f"{f}": getattr(row, model._meta.get_field(f).attname) for f in others}).exists():
                clash_pks.add(row.pk)
    return clash_pks


def agency_merge(*, keep, merge, actor, request=None):
    """Merge the duplicate agency `merge` into `keep`: everything that pointed at it points at `keep`.

    Its people (memberships and the agency group), cases led, team places, records, conference
    invitations, grants and every other foreign key found through the app registry move; a row made
    redundant (both agencies on one team) goes. Records kept "exactly as recorded" change only their
    agency column, under the database's merge exception (migration agencies 0007). The merged agency
    stays, inactive, with `merged_into` set, as the record of the merge. Partnership admins only
    (the access layer refuses and audits anyone else); one UPDATE audit row naming both.
    """
    access.require(actor, access.can_manage_partnership(actor), request=request, what="agency merge: partnership admin needed")
    if keep.pk == merge.pk:
        raise ValidationError({"keep": "Choose a different agency to keep: an agency cannot be merged into itself"})
    if merge.merged_into_id is not None or keep.merged_into_id is not None:
        raise ValidationError({"keep": "Choose agencies that have not been merged already"})
    with transaction.atomic():
        keep = Agency.objects.select_for_update().get(pk=keep.pk)
        merge = Agency.objects.select_for_update().get(pk=merge.pk)
        blocking = []
        plan = []
        for target, relation in selectors.agency_relations():
            old, new = (merge, keep) if target is Agency else (merge.group, keep.group)
            model, field = selectors.relation_table(relation)
            clash = _clashes(model, field, old, new)
            if clash and model._meta.label not in REDUNDANT_ON_CLASH:
                blocking.append(f"{model._meta.verbose_name_plural} ({len(clash)})")
            plan.append((model, field, old, new, clash))
        if blocking:
            raise ValidationError(
                {"keep": f"These records of {merge.name} clash with {keep.name}'s and cannot be merged: {', '.join(blocking)}. Ask your system administrator."}
            )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('neglect.agency_merge', %s, true)", [f"{merge.pk}:{keep.pk}"])
        moved = []
        for model, field, old, new, clash in plan:
            # A plain QuerySet: the recorded-once models' own querysets refuse every update, and the
            # database's merge exception (above) is what guards these rows during a merge.
            rows = models.QuerySet(model).filter(**{field: old})
            removed = rows.filter(pk__in=clash).delete()[0] if clash else 0
            count = rows.update(**{field: new})
            if count or removed:
                moved.append(f"{model._meta.label}.{field}: {count} moved" + (f", {removed} duplicate removed" if removed else ""))
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('neglect.agency_merge', '', true)")
        Agency.objects.filter(merged_into=merge).update(merged_into=keep)
        Agency.objects.filter(pk=merge.pk).update(is_active=False, merged_into=keep, name_key=None)
        events.agencies_merged.send(sender=Agency, keep=keep, merge=merge)
        detail = f"merged {merge.name} (agency {merge.pk}) into {keep.name}: " + ("; ".join(moved) or "nothing pointed at it")
        audit_record(user=actor, action=AuditAction.UPDATE, object_type="agency", object_id=keep.pk, detail=detail[:500], request=request)
    keep.refresh_from_db()
    return keep
