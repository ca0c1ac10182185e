"""Writes for families, children and cases. Each function is one business action, atomic and audited."""
from django.db import transaction

from audit.models import AuditAction
from audit.services import audit_record

from .models import Case, Child, Family, TeamMembership


@transaction.atomic
def family_create(*, name, address="", postcode="", locality="", actor=None, request=None):
    family = Family.objects.create(name=name, address=address, postcode=postcode, locality=locality)
    audit_record(user=actor, action=AuditAction.CREATE, object_type="family", object_id=family.pk, request=request)
    return family


@transaction.atomic
def child_create(*, given_name, family_name, date_of_birth, family=None, nhs_number="", upn="", actor=None, request=None):
    child = Child(given_name=given_name, family_name=family_name, date_of_birth=date_of_birth, family=family, nhs_number=nhs_number, upn=upn)
    child.full_clean()
    child.save()
    audit_record(user=actor, action=AuditAction.CREATE, object_type="child", object_id=child.pk, child_id=child.pk, request=request)
    return child


@transaction.atomic
def case_open(*, child, lead_agency, opened_on, threshold, lead_professional=None, actor=None, request=None):
    """Open a case; the lead agency is the first member of the team around the child."""
    case = Case.objects.create(
        child=child, lead_agency=lead_agency, lead_professional=lead_professional, opened_on=opened_on, threshold=threshold
    )
    TeamMembership.objects.create(case=case, agency=lead_agency, reason="Lead agency", added_by=actor)
    audit_record(user=actor, action=AuditAction.CREATE, object_type="case", object_id=case.pk, child_id=child.pk, request=request)
    return case


@transaction.atomic
def team_add(*, case, agency, reason, actor=None, request=None):
    """Add an agency to the team around the child (idempotent). Returns (membership, created)."""
    membership, created = TeamMembership.objects.get_or_create(case=case, agency=agency, defaults={"reason": reason, "added_by": actor})
    if created:
        audit_record(
            user=actor, action=AuditAction.UPDATE, object_type="case", object_id=case.pk, child_id=case.child_id,
            detail=f"{agency.name} joined the team: {reason}", request=request,
        )
    return membership, created
