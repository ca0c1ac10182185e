"""Writes for households (issue 14): record one, change its details, move it, add and remove members, merge a duplicate.

Each function is one business action, atomic and audited, like cases/services.py. Who may act is
decided in the access layer first (`access.access_family(..., edit=True)`, `access.access_child`);
these functions ask it again as a backstop (`access.require`, before their transaction, so a
refusal's audit row survives).

Who lives in a household is a recorded decision: every join and departure is a `HouseholdMember`
row with who decided and why, `Child.family` / `Adult.family` follow it, and the change goes on
the children's chronologies (`events.household_member_changed`, which `chronologies` turns into
entries and `frontdoor` uses to look at the household's family-wide flag again).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from agencies import access
from audit.models import AuditAction
from audit.services import audit_record
from cases import events
from cases.household_models import ADULT_RELATIONSHIPS, CHILD_RELATIONSHIPS, HouseholdAddress, HouseholdMember, MemberRelationship
from cases.models import Adult, AdultChildRelationship, Child, Family
from neglect_portal.records import save_valid

User = AbstractBaseUser
Request = HttpRequest | None

MERGED = "Households merged: {duplicate} was a duplicate record of {keep}"


def _text(value):
    return (value or "").strip()


def normalise_postcode(value: str) -> str:
    """Upper case, one space before the last three characters ("zz11aa" -> "ZZ1 1AA"), so postcodes compare exactly."""
    compact = "".join((value or "").split()).upper()
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


def normalise_uprn(value: str) -> str:
    return "".join((value or "").split())


def _address_errors(*, address, postcode, uprn) -> dict:
    errors = {}
    if uprn and (not uprn.isdigit() or len(uprn) > 12):
        errors["uprn"] = "Enter the UPRN as up to 12 digits, or leave it blank"
    if len(postcode) > 10:
        errors["postcode"] = "Enter a real postcode, for example ZZ1 1AA"
    if postcode and not address:
        errors["address"] = "Enter the address lines as well as the postcode"
    return errors


def _require_edit(actor, family, request):
    access.require(actor, access.can_edit_family(actor, family), request=request, reason=access.FAMILY_EDIT_REFUSED, object_type="family", object_id=family.pk)


def household_create(
    *,
    actor: User,
    name: str,
    address: str = "",
    postcode: str = "",
    uprn: str = "",
    locality: str = "",
    language: str = "",
    interpreter_needed: bool = False,
    request: Request = None,
) -> Family:
    """Record a household, with its address as the first of its address history.

    The actor's agency is recorded as its creator: it reads (and changes) the household while no
    child lives in it (agencies/access.py, `families_visible_to`, `can_edit_family`).
    """
    membership = access.membership_of(actor)
    access.require(
        actor,
        membership is not None and access.can_see_case_work(actor),
        request=request,
        what="record a household",
        reason="Only practitioners, managers and designated safeguarding leads record households.",
    )
    address, postcode, uprn = _text(address), normalise_postcode(postcode), normalise_uprn(uprn)
    errors = _address_errors(address=address, postcode=postcode, uprn=uprn)
    if not _text(name):
        errors["name"] = "Enter how the household is known, for example the family name"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        family = Family(
            name=_text(name),
            address=address,
            postcode=postcode,
            uprn=uprn,
            locality=locality or "",
            language=_text(language),
            interpreter_needed=interpreter_needed,
            created_by_agency=membership.agency,
        )
        family.full_clean()
        family.save()
        if address or postcode or uprn:
            HouseholdAddress.objects.create(
                family=family, address=address, postcode=postcode, uprn=uprn, recorded_by=actor, reason="The household's address when it was recorded"
            )
        audit_record(user=actor, action=AuditAction.CREATE, object_type="family", object_id=family.pk, request=request)
    return family


def household_update(
    *,
    actor: User,
    family: Family,
    name: str,
    locality: str = "",
    language: str = "",
    interpreter_needed: bool = False,
    request: Request = None,
) -> Family:
    """Change how a household is known, its locality and language (its address changes with `household_move`)."""
    _require_edit(actor, family, request)
    if not _text(name):
        raise ValidationError({"name": "Enter how the household is known, for example the family name"})
    with transaction.atomic():
        family.name, family.locality, family.language, family.interpreter_needed = _text(name), locality or "", _text(language), interpreter_needed
        family.full_clean()
        family.save(update_fields=["name", "locality", "language", "interpreter_needed"])
        audit_record(user=actor, action=AuditAction.UPDATE, object_type="family", object_id=family.pk, detail="details changed", request=request)
    return family


def household_move(
    *,
    actor: User,
    family: Family,
    address: str,
    postcode: str,
    uprn: str = "",
    moved_on: date | None = None,
    reason: str = "",
    request: Request = None,
) -> HouseholdAddress:
    """The household now lives at a new address: the old one is kept in its history with the day it moved out."""
    _require_edit(actor, family, request)
    address, postcode, uprn = _text(address), normalise_postcode(postcode), normalise_uprn(uprn)
    moved_on = moved_on or timezone.localdate()
    errors = _address_errors(address=address, postcode=postcode, uprn=uprn)
    if not address:
        errors["address"] = "Enter the new address"
    if moved_on > timezone.localdate():
        errors["moved_on"] = "The date they moved must be today or in the past"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        family = Family.objects.select_for_update().get(pk=family.pk)
        current = HouseholdAddress.objects.filter(family=family, moved_out_on__isnull=True).first()
        if current is None and (family.address or family.postcode):
            current = HouseholdAddress.objects.create(
                family=family, address=family.address, postcode=family.postcode, uprn=family.uprn, reason="The household's address before this move"
            )
        if current is not None:
            current.moved_out_on = moved_on
            current.save(update_fields=["moved_out_on"])
        new = HouseholdAddress.objects.create(
            family=family, address=address, postcode=postcode, uprn=uprn, moved_in_on=moved_on, reason=_text(reason)[:300], recorded_by=actor
        )
        Family.objects.filter(pk=family.pk).update(address=address, postcode=postcode, uprn=uprn)
        audit_record(
            user=actor, action=AuditAction.UPDATE, object_type="family", object_id=family.pk, detail=f"moved on {moved_on.isoformat()}", request=request
        )
    return new


def _current_membership(*, child=None, adult=None):
    rows = HouseholdMember.objects.select_for_update().filter(left_on__isnull=True)
    return rows.filter(child=child).first() if child is not None else rows.filter(adult=adult).first()


def _leave(member: HouseholdMember, *, actor, reason, on) -> HouseholdMember:
    member.left_on, member.removal_reason, member.removed_by = max(on, member.joined_on), reason, actor
    member.save(update_fields=["left_on", "removal_reason", "removed_by"])
    return member


def _join(*, actor, family, child=None, adult=None, relationship, reason, on, request) -> HouseholdMember:
    member = HouseholdMember(family=family, child=child, adult=adult, relationship=relationship, joined_on=on, reason=reason, added_by=actor)
    member.full_clean()
    member.save()
    if child is not None:
        Child.objects.filter(pk=child.pk).update(family=family)
        child.family = family
    else:
        Adult.objects.filter(pk=adult.pk).update(family=family)
        adult.family = family
    person = f"child {child.pk}" if child is not None else f"adult {adult.pk}"
    audit_record(
        user=actor,
        action=AuditAction.CREATE,
        object_type="household_member",
        object_id=member.pk,
        child_id=child.pk if child is not None else None,
        detail=f"{person} joined family {family.pk} ({relationship}): {reason}",
        request=request,
    )
    events.household_member_changed.send(sender=HouseholdMember, member=member, actor=actor, joined=True)
    return member


def household_member_add(
    *,
    actor: User,
    family: Family,
    reason: str,
    child: Child | None = None,
    adult: Adult | None = None,
    relationship: str = "",
    joined_on: date | None = None,
    request: Request = None,
) -> HouseholdMember:
    """Add a child (whom the actor can see) or an adult to a household: a recorded decision, on the chronology.

    Someone living in another household moves: they leave it on the same day, which needs the
    authority to change that household too. The caller got `child` through the access layer.
    """
    if (child is None) == (adult is None):
        raise ValidationError({"child": "Choose a child or an adult to add"})
    relationship = relationship or (MemberRelationship.CHILD if child is not None else "")
    allowed = CHILD_RELATIONSHIPS if child is not None else ADULT_RELATIONSHIPS
    errors = {}
    if relationship not in allowed:
        errors["relationship"] = "Choose how they belong to the household"
    if not _text(reason):
        errors["reason"] = "Say why they are being added to the household"
    joined_on = joined_on or timezone.localdate()
    if joined_on > timezone.localdate():
        errors["joined_on"] = "The date they joined must be today or in the past"
    if errors:
        raise ValidationError(errors)
    _require_edit(actor, family, request)
    if child is not None:
        access.require(
            actor,
            access.children_visible_to(actor).filter(pk=child.pk).exists(),
            request=request,
            what="household: child not visible",
            object_type="child",
            object_id=child.pk,
        )
    previous_family = child.family if child is not None else adult.family
    if previous_family is not None and previous_family.pk != family.pk:
        _require_edit(actor, previous_family, request)
    with transaction.atomic():
        current = _current_membership(child=child, adult=adult)
        if current is not None and current.family_id == family.pk:
            raise ValidationError({"child" if child is not None else "adult": "They already live in this household"})
        if current is not None:
            _leave(current, actor=actor, reason=f"Moved to the household {family}: {_text(reason)}", on=joined_on)
            events.household_member_changed.send(sender=HouseholdMember, member=current, actor=actor, joined=False)
        return _join(actor=actor, family=family, child=child, adult=adult, relationship=relationship, reason=_text(reason), on=joined_on, request=request)


def household_member_remove(
    *,
    actor: User,
    member: HouseholdMember,
    reason: str,
    left_on: date | None = None,
    request: Request = None,
) -> HouseholdMember:
    """Someone no longer lives in the household: their row is kept with the day they left, who recorded it and why.

    A child who leaves has no household until one is recorded for them; an adult stays on the
    household's record (their relationships to its children are facts that do not end) but is no
    longer listed as living there.
    """
    _require_edit(actor, member.family, request)
    left_on = left_on or timezone.localdate()
    errors = {}
    if not _text(reason):
        errors["reason"] = "Say why they no longer live in the household"
    if left_on > timezone.localdate():
        errors["left_on"] = "The date they left must be today or in the past"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        member = HouseholdMember.objects.select_for_update(of=("self",)).select_related("family", "child", "adult").get(pk=member.pk)
        if not member.is_current:
            raise ValidationError({"reason": "They have already left this household"})
        _leave(member, actor=actor, reason=_text(reason), on=left_on)
        if member.child_id:
            Child.objects.filter(pk=member.child_id, family_id=member.family_id).update(family=None)
        audit_record(
            user=actor,
            action=AuditAction.UPDATE,
            object_type="household_member",
            object_id=member.pk,
            child_id=member.child_id,
            detail=f"left family {member.family_id}: {_text(reason)}",
            request=request,
        )
        events.household_member_changed.send(sender=HouseholdMember, member=member, actor=actor, joined=False)
    return member


def household_merge(*, actor: User, keep: Family, duplicate: Family, reason: str, request: Request = None) -> Family:
    """Merge a duplicate household record into `keep`: its members move, its addresses join the history, it is marked merged.

    Nothing is deleted: the duplicate's membership rows end on the day of the merge and new rows
    in `keep` say why; its addresses become past addresses of `keep`. The actor must be able to
    change both households (`access.can_merge_families`).
    """
    if keep.pk == duplicate.pk:
        raise ValidationError({"duplicate": "Choose another household to merge into this one"})
    if not _text(reason):
        raise ValidationError({"reason": "Say why these are the same household"})
    access.require(
        actor,
        access.can_merge_families(actor, keep, duplicate),
        request=request,
        reason=access.FAMILY_EDIT_REFUSED,
        object_type="family",
        object_id=duplicate.pk,
    )
    today = timezone.localdate()
    why = f"{MERGED.format(duplicate=duplicate, keep=keep)}. {_text(reason)}"
    with transaction.atomic():
        for member in HouseholdMember.objects.select_for_update(of=("self",)).filter(family=duplicate, left_on__isnull=True).select_related("child", "adult"):
            _leave(member, actor=actor, reason=why, on=today)
            _join(actor=actor, family=keep, child=member.child, adult=member.adult, relationship=member.relationship, reason=why, on=today, request=request)
        Child.objects.filter(family=duplicate).update(family=keep)
        Adult.objects.filter(family=duplicate).update(family=keep)
        HouseholdAddress.objects.filter(family=duplicate, moved_out_on__isnull=True).update(moved_out_on=today)
        HouseholdAddress.objects.filter(family=duplicate).update(family=keep)
        Family.objects.filter(pk=duplicate.pk).update(merged_into=keep)
        audit_record(
            user=actor,
            action=AuditAction.UPDATE,
            object_type="family",
            object_id=keep.pk,
            detail=f"family {duplicate.pk} merged into it: {_text(reason)}",
            request=request,
        )
    return keep


# An adult's relationship to a child (`Relationship`) as the way they belong to the household, most telling first.
ADULT_MEMBER_RELATIONSHIP = {
    "mother": MemberRelationship.PARENT,
    "father": MemberRelationship.PARENT,
    "step_parent": MemberRelationship.STEP_PARENT,
    "mothers_partner": MemberRelationship.PARTNER,
    "fathers_partner": MemberRelationship.PARTNER,
}


@dataclass(frozen=True)
class ChildRelationship:
    """How a new adult is related to one child of the household (see `adult_add`)."""

    child: Child
    relationship: str
    parental_responsibility: bool = False


@transaction.atomic
def adult_add(
    *,
    actor: User | None,
    family: Family,
    given_name: str,
    family_name: str,
    relationships: Sequence[ChildRelationship] = (),
    is_father_or_male_carer: bool = False,
    mental_health: bool = False,
    substance_misuse: bool = False,
    domestic_abuse: bool = False,
    learning_disability: bool = False,
    lived_experience_notes: str = "",
    request: Request = None,
) -> Adult:
    """Add an adult to a household, with their relationship to each of its children ("think family")."""
    adult = save_valid(
        Adult(
            family=family,
            given_name=_text(given_name),
            family_name=_text(family_name),
            is_father_or_male_carer=is_father_or_male_carer,
            mental_health=mental_health,
            substance_misuse=substance_misuse,
            domestic_abuse=domestic_abuse,
            learning_disability=learning_disability,
            lived_experience_notes=_text(lived_experience_notes),
        )
    )
    for link in relationships:
        save_valid(AdultChildRelationship(adult=adult, child=link.child, relationship=link.relationship, parental_responsibility=link.parental_responsibility))
    # Living in the household from today (issue 14), as a parent, step-parent or partner when their relationships say so.
    kinds = {ADULT_MEMBER_RELATIONSHIP.get(link.relationship, MemberRelationship.OTHER) for link in relationships}
    relationship = next((kind for kind in ADULT_MEMBER_RELATIONSHIP.values() if kind in kinds), MemberRelationship.OTHER)
    HouseholdMember.objects.create(
        family=family, adult=adult, relationship=relationship, joined_on=timezone.localdate(), reason="Added to the household's record", added_by=actor
    )
    children = ", ".join(str(link.child.pk) for link in relationships) or "none"
    audit_record(
        user=actor,
        action=AuditAction.CREATE,
        object_type="adult",
        object_id=adult.pk,
        detail=f"family {family.pk}; children {children}",
        request=request,
    )
    return adult
