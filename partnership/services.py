"""Writes of action plans and the partnership profile: each one business action, atomic and audited.

Who may do what is asked of `agencies.access` again here, not only in the views, so that the API,
the pages and any later caller cannot differ. The check comes before the transaction, so that the
audit row of a refusal is not rolled back with it.

Concurrency: a row and the profile carry `version`. A change is one conditional UPDATE
`WHERE pk = ... AND version = <the version the editor saw>` that also adds one to it. When it
changes no row, someone else saved in between, and the caller gets `EditConflict`
(neglect_portal/concurrency.py, the error every versioned edit raises) with who and when, instead
of overwriting their work (a lost update). Adding a quarterly update is checked the same way: the
person recording it must have seen the row's latest status.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from agencies import access
from audit.models import AuditAction
from audit.services import audit_record
from neglect_portal.concurrency import EditConflict
from neglect_portal.quarters import BadQuarter, reported_quarter

from .logos import logo_check
from .models import ActionPlan, ActionPlanRow, ActionPlanUpdate, PartnershipProfile, Rag, WordingGuideEntry

ROW_FIELDS = ("objective", "action", "input", "desired_outcome", "lead", "timescale")

_REQUIRED_WORDS = {
    "objective": "Enter the objective",
    "action": "Enter the action",
    "input": "Enter the input (the resources, people or money the action needs)",
    "desired_outcome": "Enter the desired outcome",
    "lead": "Enter who leads the action",
    "progress": "Enter the progress made",
}


def _text(value):
    return (value or "").strip()


def _check_texts(values):
    errors = {name: _REQUIRED_WORDS[name] for name, value in values.items() if name in _REQUIRED_WORDS and not _text(value)}
    if len(values.get("lead", "")) > 200:
        errors["lead"] = "The lead must be 200 characters or fewer"
    return errors


def _check_status(*, quarter, rag):
    """The quarter must be a started financial-year quarter; the RAG one of the choices."""
    errors = {}
    try:
        reported_quarter(quarter, today=timezone.localdate())
    except BadQuarter as error:
        errors["quarter"] = str(error)
    if rag not in Rag.values:
        errors["rag"] = "Choose red, amber, green or complete"
    return errors


def _require_edit(actor, agency_id, request, what):
    """403 with one audit row (through the access layer) unless the actor may edit this agency's plan."""
    access.require(actor, access.can_edit_action_plan_of(actor, agency_id), request=request, what=what, object_type="action_plan")


def action_plan_start(*, actor, agency=None, request=None) -> ActionPlan:
    """The agency's plan (None: the overarching plan), made now if it has none yet (idempotent)."""
    _require_edit(actor, agency.pk if agency else None, request, "may not start this action plan")
    with transaction.atomic():
        plan, created = ActionPlan.objects.get_or_create(agency=agency, defaults={"created_by": actor})
        if created:
            audit_record(user=actor, action=AuditAction.CREATE, object_type="action_plan", object_id=plan.pk, detail=plan.title, request=request)
    return plan


def action_plan_row_add(
    *,
    actor,
    plan: ActionPlan,
    objective: str,
    action: str,
    input: str,
    desired_outcome: str,
    lead: str,
    timescale: date,
    quarter: str,
    rag: str,
    progress: str,
    request=None,
) -> ActionPlanRow:
    """A new row with its first status: an update for `quarter`, so that every row has a RAG."""
    _require_edit(actor, plan.agency_id, request, f"may not add rows to action plan {plan.pk}")
    texts = {"objective": objective, "action": action, "input": input, "desired_outcome": desired_outcome, "lead": lead, "progress": progress}
    errors = {**_check_texts(texts), **_check_status(quarter=quarter, rag=rag)}
    if timescale is None:
        errors["timescale"] = "Enter the timescale as a date"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        row = ActionPlanRow.objects.create(
            plan=plan,
            objective=_text(objective),
            action=_text(action),
            input=_text(input),
            desired_outcome=_text(desired_outcome),
            lead=_text(lead),
            timescale=timescale,
            created_by=actor,
            updated_by=actor,
        )
        ActionPlanUpdate.objects.create(row=row, quarter=quarter, rag=rag, progress=_text(progress), recorded_by=actor)
        audit_record(
            user=actor, action=AuditAction.CREATE, object_type="action_plan_row", object_id=row.pk, detail=f"plan {plan.pk}, {quarter} {rag}", request=request
        )
    return row


def _conflict(row_id):
    current = ActionPlanRow.objects.select_related("updated_by").get(pk=row_id)
    who = current.updated_by.get_full_name() or current.updated_by.get_username()
    when = timezone.localtime(current.updated_at)
    return EditConflict(
        f"{who} changed this row at {when:%H:%M} on {when:%-d %B %Y}, after you opened it. Nothing you entered was saved: "
        "check the row as it is now, then make your change again.",
        current_version=current.version,
    )


def _bump(*, row, version, actor, **fields):
    """The conditional UPDATE that makes a change, or EditConflict when `version` is no longer current."""
    changed = ActionPlanRow.objects.filter(pk=row.pk, version=version).update(version=F("version") + 1, updated_at=timezone.now(), updated_by=actor, **fields)
    if changed != 1:
        raise _conflict(row.pk)
    row.refresh_from_db()


def action_plan_row_edit(*, actor, row: ActionPlanRow, version: int, request=None, **fields) -> ActionPlanRow:
    """Change what a row says (not its status: that is a quarterly update). Audits the changed fields."""
    _require_edit(actor, row.plan.agency_id, request, f"may not edit action plan row {row.pk}")
    unknown = set(fields) - set(ROW_FIELDS)
    if unknown:
        raise TypeError(f"Not fields of a row: {sorted(unknown)}")
    errors = _check_texts(fields)
    if "timescale" in fields and fields["timescale"] is None:
        errors["timescale"] = "Enter the timescale as a date"
    if errors:
        raise ValidationError(errors)
    cleaned = {name: (_text(value) if isinstance(value, str) else value) for name, value in fields.items()}
    changed = sorted(name for name, value in cleaned.items() if getattr(row, name) != value)
    with transaction.atomic():
        _bump(row=row, version=version, actor=actor, **cleaned)
        audit_record(
            user=actor,
            action=AuditAction.UPDATE,
            object_type="action_plan_row",
            object_id=row.pk,
            detail=f"changed: {', '.join(changed) or 'nothing'}",
            request=request,
        )
    return row


def action_plan_update_record(*, actor, row: ActionPlanRow, version: int, quarter: str, rag: str, progress: str, request=None) -> ActionPlanUpdate:
    """Add a quarterly update (the earlier ones stay as they were): the row's status from now on."""
    _require_edit(actor, row.plan.agency_id, request, f"may not update action plan row {row.pk}")
    errors = {**_check_texts({"progress": progress}), **_check_status(quarter=quarter, rag=rag)}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _bump(row=row, version=version, actor=actor)
        update = ActionPlanUpdate.objects.create(row=row, quarter=quarter, rag=rag, progress=_text(progress), recorded_by=actor)
        audit_record(
            user=actor, action=AuditAction.UPDATE, object_type="action_plan_row", object_id=row.pk, detail=f"quarterly update {quarter}: {rag}", request=request
        )
    return update


@dataclass(frozen=True)
class LogoChange:
    """What to do with the logo: keep it (the default), replace it with `data`, or remove it."""

    data: bytes | None = None
    remove: bool = False


def partnership_profile_update(
    *,
    actor,
    version: int,
    name: str,
    under_18_population: int | None,
    logo: LogoChange = LogoChange(),
    request=None,
) -> PartnershipProfile:
    """Save the partnership's name, population and logo (blank: use the settings); admins only."""
    access.require(
        actor,
        access.can_manage_partnership(actor),
        request=request,
        what="only partnership admins change the profile",
        reason="Only partnership admins change the partnership profile.",
        object_type="partnership_profile",
    )
    errors = {}
    if len(_text(name)) > 200:
        errors["name"] = "The name must be 200 characters or fewer"
    if under_18_population is not None and under_18_population < 1:
        errors["under_18_population"] = "Enter the number of children under 18, a whole number above 0, or leave it blank"
    fields = {"name": _text(name), "under_18_population": under_18_population}
    if logo.data is not None:
        try:
            fields.update(logo=logo.data, logo_type=logo_check(logo.data))
        except ValidationError as error:
            errors["logo"] = error.messages
    elif logo.remove:
        fields.update(logo=b"", logo_type="")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        profile, _ = PartnershipProfile.objects.get_or_create(pk=PartnershipProfile.SINGLETON_ID)
        changed = PartnershipProfile.objects.filter(pk=profile.pk, version=version).update(
            version=F("version") + 1, updated_at=timezone.now(), updated_by=actor, **fields
        )
        if changed != 1:
            current = PartnershipProfile.objects.select_related("updated_by").get(pk=profile.pk)
            who = current.updated_by.get_username() if current.updated_by else "Someone"
            raise EditConflict(
                f"{who} changed the profile after you opened it. Nothing you entered was saved: check it as it is now, then make your change again.",
                current_version=current.version,
            )
        what = [f"name {fields['name']!r}" if fields["name"] else "name from settings", f"population {under_18_population or 'from settings'}"]
        if logo.data is not None:
            what.append(f"logo replaced ({fields['logo_type']}, {len(logo.data)} bytes)")
        elif logo.remove:
            what.append("logo removed")
        audit_record(user=actor, action=AuditAction.UPDATE, object_type="partnership_profile", object_id=profile.pk, detail="; ".join(what), request=request)
    profile.refresh_from_db()
    return profile


# --- The wording guide (partnership/wording.py) ----------------------------------------------------

WORDING_FIELDS = ("phrase", "also_matches", "unless", "why", "instead")
_WORDING_REQUIRED = {"phrase": "Enter the phrase", "why": "Say why the phrase can blame", "instead": "Suggest what to write instead"}


def _require_wording_admin(actor, request, what):
    access.require(
        actor,
        access.can_manage_partnership(actor),
        request=request,
        what=what,
        reason="Only partnership admins change the wording guide.",
        object_type="wording_guide",
    )


def _checked_wording(fields, *, entry=None):
    from .wording import check_phrase

    cleaned = {name: _text(fields.get(name, "")) for name in WORDING_FIELDS}
    errors = {name: message for name, message in _WORDING_REQUIRED.items() if not cleaned[name]}
    if cleaned["phrase"] and "phrase" not in errors:
        problem = check_phrase(cleaned["phrase"]) or ("Use * only in the phrases under 'unless'" if "*" in cleaned["phrase"] else "")
        if problem:
            errors["phrase"] = problem
        elif WordingGuideEntry.objects.filter(phrase__iexact=cleaned["phrase"]).exclude(pk=getattr(entry, "pk", None)).exists():
            errors["phrase"] = "The guide already has this phrase"
    if "*" in cleaned["also_matches"]:
        errors["also_matches"] = "Use * only in the phrases under 'unless'"
    for name, limit in (("phrase", 100), ("also_matches", 2000), ("unless", 2000), ("why", 2000), ("instead", 2000)):
        if len(cleaned[name]) > limit:
            errors[name] = f"Write no more than {limit:,} characters"
    if errors:
        raise ValidationError(errors)
    return cleaned


# Each checks the actor before its transaction, so that the audit row of a refusal is not rolled back with it.


def wording_entry_add(*, actor, request=None, **fields) -> WordingGuideEntry:
    """Add a phrase to the guide; practitioners see it as a hint from their next keystroke."""
    _require_wording_admin(actor, request, "only partnership admins change the wording guide")
    with transaction.atomic():
        entry = WordingGuideEntry.objects.create(updated_by=actor, **_checked_wording(fields))
        audit_record(user=actor, action=AuditAction.CREATE, object_type="wording_guide_entry", object_id=entry.pk, detail=entry.phrase, request=request)
    return entry


def wording_entry_edit(*, actor, entry: WordingGuideEntry, request=None, **fields) -> WordingGuideEntry:
    """Change an entry (the guide is advice, not a record about anyone: it is edited in place, and the audit row keeps what changed)."""
    _require_wording_admin(actor, request, "only partnership admins change the wording guide")
    with transaction.atomic():
        entry = WordingGuideEntry.objects.select_for_update().get(pk=entry.pk)
        cleaned = _checked_wording(fields, entry=entry)
        changed = [name for name in WORDING_FIELDS if getattr(entry, name) != cleaned[name]]
        for name, value in cleaned.items():
            setattr(entry, name, value)
        entry.updated_by = actor
        entry.save()
        audit_record(
            user=actor,
            action=AuditAction.UPDATE,
            object_type="wording_guide_entry",
            object_id=entry.pk,
            detail=f"{entry.phrase}: changed {', '.join(changed) or 'nothing'}",
            request=request,
        )
    return entry


def wording_entry_remove(*, actor, entry: WordingGuideEntry, request=None) -> None:
    """Take a phrase out of the guide (hints only: no record refers to an entry, so it is deleted; the audit row names it)."""
    _require_wording_admin(actor, request, "only partnership admins change the wording guide")
    with transaction.atomic():
        phrase, pk = entry.phrase, entry.pk
        WordingGuideEntry.objects.filter(pk=pk).delete()
        audit_record(user=actor, action=AuditAction.DELETE, object_type="wording_guide_entry", object_id=pk, detail=phrase, request=request)
