"""Progress over time and the drift flags read from it: direction comes from each definition."""

from datetime import date

from cases.services import case_close
from tests.factories import make_case, make_child
from tools import selectors, services

from .builders import all_grades, draft_run, final_run, published

JAN, MAR, MAY = date(2026, 1, 12), date(2026, 3, 2), date(2026, 5, 4)


def test_progress_compares_final_runs_oldest_first_with_the_direction_of_each_change(world):
    user = world.users["lead_practitioner"]
    final_run(world.case, user, values=all_grades(3), on=JAN)
    final_run(world.case, user, values={**all_grades(3), "physical_care": 2, "safety": 4}, on=MAR)
    draft_run(world.case, user, values=all_grades(1), on=MAY)
    [gcp2] = selectors.child_progress(user=user, child=world.case.child)
    assert [run.assessed_on for run in gcp2.runs] == [JAN, MAR]
    rows = {row.id: (row.scores, row.change) for row in gcp2.all_rows}
    # Version 2 of the shipped GCP2 has no overall figure (docs/tools.md): the areas are compared one by one.
    assert rows == {
        "physical_care": ((3, 2), "better"),
        "safety": ((3, 4), "worse"),
        "emotional_care": ((3, 3), "same"),
        "developmental_care": ((3, 3), "same"),
    }


def test_a_higher_grade_is_flagged_worse_on_gcp2(world):
    user = world.users["lead_practitioner"]
    final_run(world.case, user, values=all_grades(2), on=JAN)
    latest = final_run(world.case, user, values={**all_grades(2), "physical_care": 3}, on=MAR)
    [flag] = selectors.progress_flags(user=user, child=world.case.child)
    assert (flag.kind, flag.tool_key, flag.previous_on, flag.since, flag.run_id) == ("worse", "gcp2", JAN, MAR, latest.pk)
    assert flag.reason == "Graded Care Profile 2: Physical care worse (2 to 3) between 12 January 2026 and 2 March 2026"


def test_a_lower_score_is_flagged_worse_on_the_journey_scale(world):
    user = world.users["lead_practitioner"]
    final_run(world.case, user, "family_progress", values={area.id: 6 for area in published("family_progress").parsed.areas}, on=JAN)
    final_run(world.case, user, "family_progress", values={area.id: 7 for area in published("family_progress").parsed.areas} | {"routines": 5}, on=MAR)
    [flag] = selectors.progress_flags(user=user, child=world.case.child)
    assert flag.kind == "worse"
    assert flag.reason.startswith("Family progress measure: Daily routines worse (6 to 5) between")


def test_unchanged_scores_are_flagged_no_change(world):
    user = world.users["lead_practitioner"]
    final_run(world.case, user, values=all_grades(3), on=JAN)
    final_run(world.case, user, values=all_grades(3), on=MAR)
    [flag] = selectors.progress_flags(user=user, child=world.case.child)
    assert (flag.kind, flag.reason) == ("no_change", "Graded Care Profile 2: no score changed between 12 January 2026 and 2 March 2026")


def test_improvement_with_nothing_worse_raises_no_flag(world):
    user = world.users["lead_practitioner"]
    final_run(world.case, user, values=all_grades(3), on=JAN)
    final_run(world.case, user, values={**all_grades(3), "safety": 2}, on=MAR)
    assert selectors.progress_flags(user=user, child=world.case.child) == []


def test_one_run_is_nothing_to_compare(world):
    final_run(world.case, world.users["lead_practitioner"], values=all_grades(4), on=JAN)
    assert selectors.progress_flags(user=world.users["lead_practitioner"], child=world.case.child) == []


def test_runs_of_an_old_and_a_new_version_are_compared_as_one_tool(world):
    user = world.users["lead_practitioner"]
    final_run(world.case, user, values=all_grades(2), on=JAN)
    new = services.definition_new_version(definition=published("gcp2"), actor=world.users["admin"])
    services.definition_publish(definition=new, actor=world.users["admin"])
    final_run(world.case, user, values=all_grades(2), on=MAR)
    [gcp2] = selectors.child_progress(user=user, child=world.case.child)
    assert [run.definition.version for run in gcp2.runs] == [new.version - 1, new.version]
    assert gcp2.flag.kind == "no_change"


def test_unscored_tools_have_no_progress(world):
    user = world.users["lead_practitioner"]
    eha = published("eha")
    final_run(world.case, user, "eha", values={area.id: "Written answer" for area in eha.parsed.areas}, on=JAN)
    assert selectors.child_progress(user=user, child=world.case.child) == []


def test_progress_counts_only_runs_on_cases_the_user_may_see(world):
    """The child's earlier case had the health trust in its team; the new one is led by the police."""
    child = world.case.child
    final_run(world.case, world.users["lead_practitioner"], values=all_grades(2), on=JAN)
    case_close(actor=world.users["lead_manager"], case=world.case, closed_on=date(2026, 2, 1), closure_reason="Stepped down")
    newer = make_case(world.police, child=child)
    final_run(newer, world.users["outsider"], values=all_grades(4), on=MAR)
    assert [run.assessed_on for run in selectors.child_progress(user=world.users["outsider"], child=child)[0].runs] == [MAR]
    assert [run.assessed_on for run in selectors.child_progress(user=world.users["lead_practitioner"], child=child)[0].runs] == [JAN]
    assert [flag.kind for flag in selectors.progress_flags(user=world.users["csc_manager"], child=child)] == ["worse"]


def test_roles_without_case_work_get_no_progress_and_no_flags(world):
    final_run(world.case, world.users["lead_practitioner"], values=all_grades(2), on=JAN)
    final_run(world.case, world.users["lead_practitioner"], values=all_grades(3), on=MAR)
    for kind in ("admin", "strategy", "auditor"):
        assert selectors.child_progress(user=world.users[kind], child=world.case.child) == []
        assert selectors.progress_flags_for_cases(user=world.users[kind], case_ids=[world.case.pk]) == {}


def test_bulk_flags_take_two_queries_whatever_the_number_of_cases(world, django_assert_num_queries):
    user = world.users["csc_practitioner"]
    cases = [world.case] + [make_case(world.csc, child=make_child()) for _ in range(3)]
    for number, case in enumerate(cases):
        final_run(case, user, values=all_grades(2), on=JAN)
        final_run(case, user, values=all_grades(2 + number % 2), on=MAR)  # even: no change; odd: worse
    final_run(cases[3], user, values=all_grades(3), on=MAY)
    hidden = make_case(world.police)
    with django_assert_num_queries(2):
        flags = selectors.progress_flags_for_cases(user=world.users["lead_practitioner"], case_ids=[case.pk for case in cases] + [hidden.pk])
    assert set(flags) == {world.case.pk}  # the lead practitioner sees only world.case
    with django_assert_num_queries(2):
        flags = selectors.progress_flags_for_cases(user=user, case_ids=[case.pk for case in cases])
    assert [[flag.kind for flag in flags[case.pk]] for case in cases] == [["no_change"], ["worse"], ["no_change"], ["no_change"]]
    # Only the last two runs count: case 3 went 2 -> 3 -> 3, so it is "no change" since May.
    assert flags[cases[3].pk][0].since == MAY


def test_bulk_flags_match_the_single_child_flags(world):
    user = world.users["lead_practitioner"]
    final_run(world.case, user, values=all_grades(2), on=JAN)
    final_run(world.case, user, values={**all_grades(2), "emotional_care": 3}, on=MAR)
    single = selectors.progress_flags(user=user, child=world.case.child)
    assert selectors.progress_flags_for_cases(user=user, case_ids=[world.case.pk]) == {world.case.pk: single}
