"""A finalised assessment appears in the child's chronology (a draft does not)."""

from agencies.access import chronology_entries_visible_to

from .builders import all_grades, draft_run, final_run


def _assessment_entries(world):
    return chronology_entries_visible_to(world.users["lead_practitioner"]).filter(child=world.case.child, kind="assessment")


def test_a_final_run_is_in_the_chronology_and_a_draft_is_not(world):
    draft_run(world.case, world.users["lead_practitioner"], values=all_grades(3))
    assert not _assessment_entries(world).exists()
    run = final_run(world.case, world.users["lead_practitioner"], values=all_grades(4))
    entry = _assessment_entries(world).get()
    assert entry.occurred_on == run.assessed_on
    assert entry.agency_id == run.agency_id
