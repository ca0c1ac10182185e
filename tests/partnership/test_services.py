"""Writes of action plans: history kept, the latest update is the status, conflicts caught, every write audited."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from audit.models import AccessEvent, AuditAction
from partnership import services
from partnership.models import ActionPlan, ActionPlanUpdate, PartnershipProfile, Rag
from partnership.selectors import with_current_status

from .conftest import make_row, make_update


def _add(plans, actor=None, plan=None, **overrides):
    fields = {
        "objective": "Every practitioner can use GCP2",
        "action": "Train 200 staff",
        "input": "Two trainers",
        "desired_outcome": "Neglect recognised earlier",
        "lead": "Head of Public Health Nursing",
        "timescale": date(2026, 9, 30),
        "quarter": "2025-26-Q4",
        "rag": Rag.AMBER,
        "progress": "120 trained",
        **overrides,
    }
    return services.action_plan_row_add(actor=actor or plans.strategy, plan=plan or plans.own, **fields)


def _current(row):
    return with_current_status(type(row).objects.filter(pk=row.pk)).get()


def _audit(action=None):
    events = AccessEvent.objects.all()
    return events.filter(action=action).count() if action else events.count()


def test_a_new_row_starts_with_its_first_update_and_writes_one_audit_row(plans):
    before = _audit()
    row = _add(plans)
    assert [(u.quarter, u.rag, u.progress) for u in row.updates.all()] == [("2025-26-Q4", "amber", "120 trained")]
    assert _audit() - before == 1
    assert AccessEvent.objects.latest("pk").action == AuditAction.CREATE


def test_recording_an_update_keeps_the_earlier_ones_unchanged(plans):
    row = _add(plans)
    first = row.updates.get()
    services.action_plan_update_record(actor=plans.strategy, row=row, version=row.version, quarter="2026-27-Q1", rag=Rag.GREEN, progress="All trained")
    first_again = ActionPlanUpdate.objects.get(pk=first.pk)
    assert (first_again.quarter, first_again.rag, first_again.progress) == ("2025-26-Q4", "amber", "120 trained")
    assert row.updates.count() == 2


def test_the_latest_update_is_the_current_status(plans):
    row = _add(plans)
    services.action_plan_update_record(actor=plans.strategy, row=row, version=row.version, quarter="2026-27-Q1", rag=Rag.RED, progress="Trainer left")
    assert (_current(row).current_rag, _current(row).current_quarter, _current(row).current_progress) == ("red", "2026-27-Q1", "Trainer left")


def test_a_correction_for_the_same_quarter_wins_over_the_earlier_update(plans):
    row = _add(plans)
    services.action_plan_update_record(
        actor=plans.strategy, row=row, version=row.version, quarter="2025-26-Q4", rag=Rag.GREEN, progress="Corrected: 200 trained"
    )
    assert _current(row).current_rag == "green"
    assert row.updates.count() == 2


def test_a_late_update_for_an_earlier_quarter_does_not_replace_a_later_quarters_status(plans):
    row = make_row(plans.own, plans.strategy)
    make_update(row, "2026-27-Q1", Rag.GREEN)
    make_update(row, "2025-26-Q4", Rag.RED)  # recorded afterwards, but for the quarter before
    assert _current(row).current_rag == "green"


def test_an_edit_with_a_stale_version_is_refused_and_changes_nothing(plans):
    row = _add(plans)
    seen = row.version
    services.action_plan_row_edit(actor=plans.admin, row=row, version=seen, action="Train 250 staff")
    stale = type(row).objects.get(pk=row.pk)
    with pytest.raises(services.EditConflict) as conflict:
        services.action_plan_row_edit(actor=plans.strategy, row=stale, version=seen, action="Train 300 staff")
    assert "after you opened it" in conflict.value.message and conflict.value.current_version == seen + 1
    assert type(row).objects.get(pk=row.pk).action == "Train 250 staff"


def test_an_update_with_a_stale_version_is_refused_and_adds_nothing(plans):
    row = _add(plans)
    seen = row.version
    services.action_plan_update_record(actor=plans.admin, row=row, version=seen, quarter="2026-27-Q1", rag=Rag.GREEN, progress="Done")
    with pytest.raises(services.EditConflict):
        services.action_plan_update_record(actor=plans.strategy, row=row, version=seen, quarter="2026-27-Q1", rag=Rag.RED, progress="Not done")
    assert list(row.updates.values_list("rag", flat=True)) == ["green", "amber"]


def test_each_edit_and_update_writes_exactly_one_audit_row(plans):
    row = _add(plans)
    before = _audit(AuditAction.UPDATE)
    services.action_plan_row_edit(actor=plans.strategy, row=row, version=row.version, lead="Director of Public Health")
    services.action_plan_update_record(actor=plans.strategy, row=row, version=row.version, quarter="2026-27-Q1", rag=Rag.GREEN, progress="Done")
    assert _audit(AuditAction.UPDATE) - before == 2
    assert AccessEvent.objects.filter(action=AuditAction.UPDATE, object_type="action_plan_row").order_by("pk").first().detail == "changed: lead"


def test_a_strategy_member_may_not_write_to_another_agencys_plan_and_the_denial_is_audited(plans):
    before = _audit(AuditAction.DENIED)
    with pytest.raises(PermissionDenied):
        _add(plans, plan=plans.other)
    assert _audit(AuditAction.DENIED) - before == 1
    assert not plans.other.rows.exists()


def test_only_admins_write_to_the_overarching_plan(plans):
    with pytest.raises(PermissionDenied):
        _add(plans, plan=plans.overarching)
    assert _add(plans, actor=plans.admin, plan=plans.overarching).plan == plans.overarching


def test_admins_write_to_any_agencys_plan(plans):
    assert _add(plans, actor=plans.admin, plan=plans.other).plan == plans.other


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("quarter", "2026-27-Q2", "has not started yet"),
        ("quarter", "Q3 2025", "is not a quarter"),
        ("rag", "blue", "Choose red, amber, green or complete"),
        ("progress", "   ", "Enter the progress made"),
        ("objective", "", "Enter the objective"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(plans, field, value, message):
    with pytest.raises(ValidationError) as error:
        _add(plans, **{field: value})
    assert message in " ".join(error.value.message_dict[field])
    assert not plans.own.rows.exists()


def test_starting_a_plan_twice_gives_the_same_plan_and_one_audit_row(world):
    strategy = world.users["strategy"]
    before = _audit(AuditAction.CREATE)
    first = services.action_plan_start(actor=strategy, agency=world.public_health)
    assert services.action_plan_start(actor=strategy, agency=world.public_health) == first
    assert _audit(AuditAction.CREATE) - before == 1


def test_there_is_one_overarching_plan_at_most(world):
    ActionPlan.objects.create(agency=None)
    with pytest.raises(IntegrityError):
        ActionPlan.objects.create(agency=None)


# --- The partnership profile ---------------------------------------------------------------------


def test_only_admins_change_the_profile_and_a_refusal_is_audited(world):
    before = _audit(AuditAction.DENIED)
    with pytest.raises(PermissionDenied):
        services.partnership_profile_update(actor=world.users["strategy"], version=1, name="Mine now", under_18_population=None)
    assert _audit(AuditAction.DENIED) - before == 1


def test_a_profile_saved_by_someone_else_meanwhile_is_not_overwritten(world):
    admin = world.users["admin"]
    services.partnership_profile_update(actor=admin, version=1, name="Shire SCP", under_18_population=98000)
    with pytest.raises(services.EditConflict) as conflict:
        services.partnership_profile_update(actor=admin, version=1, name="Old page", under_18_population=None)
    assert conflict.value.current_version == 2
    assert PartnershipProfile.objects.get().name == "Shire SCP"


def test_removing_the_logo_is_audited_once(world):
    admin = world.users["admin"]
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>'
    services.partnership_profile_update(actor=admin, version=1, name="", under_18_population=None, logo=services.LogoChange(data=svg))
    before = _audit(AuditAction.UPDATE)
    services.partnership_profile_update(actor=admin, version=2, name="", under_18_population=None, logo=services.LogoChange(remove=True))
    assert _audit(AuditAction.UPDATE) - before == 1 and "logo removed" in AccessEvent.objects.latest("pk").detail
    assert (bytes(PartnershipProfile.objects.get().logo), PartnershipProfile.objects.get().logo_type) == (b"", "")
