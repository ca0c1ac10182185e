"""The CIN census return: valid against the DfE schema, faithful to the record, gaps listed."""

import io
from datetime import date

import pytest
from django.core.management import call_command
from lxml import etree

from audit.models import AccessEvent, AuditAction
from census.export import census_period, cin_census_export, schema_errors


def child_element(tree, child):
    found = tree.xpath(f"Children/Child[ChildIdentifiers/LAchildID='{child.pk}']")
    return found[0] if found else None


@pytest.fixture
def export(histories):
    return cin_census_export(year=2026, la_code="931")


@pytest.fixture
def tree(export):
    return etree.fromstring(export.xml)


def test_census_year_runs_april_to_march():
    assert census_period(2026) == (date(2025, 4, 1), date(2026, 3, 31))


def test_varied_histories_validate_against_the_schema_with_zero_errors(export, schema):
    assert schema_errors(export.xml, schema) == []


def test_header_names_the_collection_and_reference_date(tree):
    assert tree.findtext("Header/CollectionDetails/Collection") == "CIN"
    assert tree.findtext("Header/CollectionDetails/Year") == "2026"
    assert tree.findtext("Header/CollectionDetails/ReferenceDate") == "2026-03-31"
    assert tree.findtext("Header/Source/LEA") == "931"


def test_children_closed_before_the_year_are_left_out(export, tree, histories):
    assert child_element(tree, histories["before_year"]) is None
    assert export.children == 6


def test_closed_episode_has_closure_reason_assessment_and_factors(tree, histories):
    details = child_element(tree, histories["closed"]).find("CINdetails")
    assert details.findtext("CINclosureDate") == "2025-12-02"
    assert details.findtext("ReasonForClosure") == "RC7"
    assert details.findtext("PrimaryNeedCode") == "N1"
    assert details.findtext("ReferralSource") == "2A"
    assert [f.text for f in details.iterfind("Assessments/FactorsIdentifiedAtAssessment/AssessmentFactors")] == ["16A", "4B"]
    assert details.findtext("CINPlanDates/CINPlanEndDate") == "2025-12-01"
    assert details.findtext("ReferralNFA") == "0"


def test_repeat_plan_counts_previous_plans_and_follows_the_category_change(tree, histories):
    plans = child_element(tree, histories["repeat_cp"]).findall("CINdetails/ChildProtectionPlans")
    # The first plan ended before the census year (DfE rule 8930: left out) but still counts as previous.
    assert [p.findtext("CPPstartDate") for p in plans] == ["2025-07-01"]
    latest = plans[-1]
    assert latest.findtext("NumberOfPreviousCPP") == "1"
    assert latest.findtext("InitialCategoryOfAbuse") == "NEG"
    assert latest.findtext("LatestCategoryOfAbuse") == "MUL"
    assert [r.text for r in latest.iterfind("Reviews/CPPreviewDate")] == ["2025-10-01"]


def test_initial_conference_date_sits_inside_section_47_for_enquiries_of_the_year(tree, histories):
    details = child_element(tree, histories["repeat_cp"]).find("CINdetails")
    assert details.find("DateOfInitialCPC") is None
    s47s = details.findall("Section47")
    # The 2024 enquiry's conference was before the census year (DfE rule 8715): left out.
    assert [(s.findtext("S47ActualStartDate"), s.findtext("DateOfInitialCPC"), s.findtext("ICPCnotRequired")) for s in s47s] == [
        ("2025-06-20", "2025-07-01", "0"),
    ]


def test_unborn_child_has_expected_birth_date_only(tree, histories):
    identifiers = child_element(tree, histories["unborn"]).find("ChildIdentifiers")
    assert identifiers.findtext("ExpectedPersonBirthDate") == "2026-05-20"
    assert identifiers.find("PersonBirthDate") is None


def test_sibling_group_conference_reported_for_each_child(tree, histories):
    for key in ("sibling", "unborn"):
        details = child_element(tree, histories[key]).find("CINdetails")
        assert details.findtext("Section47/DateOfInitialCPC") == "2026-02-02"
        assert details.findtext("ChildProtectionPlans/CPPstartDate") == "2026-02-02"
        assert details.findtext("ReferralSource") == "3B"


def test_front_door_no_further_action_is_a_closed_nfa_episode(tree, histories):
    details = child_element(tree, histories["nfa"]).find("CINdetails")
    assert details.findtext("ReferralNFA") == "1"
    assert details.findtext("CINclosureDate") == "2025-09-03"
    assert details.findtext("ReferralSource") == "6"


def test_gaps_go_to_the_data_quality_list_not_into_the_return(export, tree, histories):
    eve = histories["no_icpc"]
    problems = [p for p in export.problems if p.child_id == eve.pk]
    messages = " ".join(p.message for p in problems)
    assert "no initial child protection conference" in messages
    assert "No primary need code" in messages
    details = child_element(tree, eve).find("CINdetails")
    assert details.find("PrimaryNeedCode") is None  # not invented
    assert details.findtext("ChildProtectionPlans/InitialCategoryOfAbuse") == "EMO"  # the plan is not dropped
    assert all(p.element.startswith(f"Child[LAchildID={eve.pk}]") for p in problems)


def test_disability_without_a_census_type_is_listed(world, schema):
    from tests.census.conftest import refer
    from tests.factories import make_child

    child = make_child("Gus", date_of_birth=date(2023, 1, 1), disability=True)
    refer(world, child, date(2025, 10, 1), primary_need="N2")
    export = cin_census_export(year=2026, la_code="931")
    assert any("Disabilities" in p.element for p in export.problems), export.problems
    assert schema_errors(export.xml, schema) == []


def test_an_empty_year_is_a_problem_not_a_silent_invalid_file(db):
    export = cin_census_export(year=2026, la_code="931")
    assert export.children == 0
    assert [p.element for p in export.problems] == ["Children"]


def test_la_code_must_be_three_digits(db):
    with pytest.raises(ValueError):
        cin_census_export(year=2026, la_code="93")


def test_command_writes_xml_to_stdout_and_problems_to_stderr(histories, schema):
    out, err = io.StringIO(), io.StringIO()
    call_command("export_cin_census", "--year", "2026", "--la-code", "931", stdout=out, stderr=err)
    assert schema_errors(out.getvalue().encode(), schema) == []
    assert "no initial child protection conference" in err.getvalue()
    assert AccessEvent.objects.filter(action=AuditAction.EXPORT, object_type="cin_census").count() == 1


def test_export_is_the_same_every_time(histories):
    now = date(2026, 4, 2)
    first = cin_census_export(year=2026, la_code="931", now=now)
    second = cin_census_export(year=2026, la_code="931", now=now)
    assert first.xml == second.xml


def test_a_weekend_initial_conference_is_a_data_quality_problem(world, schema):
    from conferences.models import ConferenceKind
    from plans.models import PlanKind
    from tests.census.conftest import conference, refer
    from tests.factories import make_case, make_child, make_plan

    child = make_child("Hal", date_of_birth=date(2020, 1, 1))
    case = make_case(world.csc, child=child, opened_on=date(2025, 10, 1))
    refer(world, child, date(2025, 10, 1), case=case, outcome="strategy_discussion_s47", outcome_on=date(2025, 10, 2), primary_need="N1")
    conference(world, ConferenceKind.INITIAL, date(2025, 10, 11), [case], decision="plan_started", category="neglect", strategy_on=date(2025, 10, 2))
    make_plan(case, kind=PlanKind.CHILD_PROTECTION, started_on=date(2025, 10, 11))
    export = cin_census_export(year=2026, la_code="931")
    assert any("weekend" in p.message and p.element.endswith("DateOfInitialCPC") for p in export.problems), export.problems
