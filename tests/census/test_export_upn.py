"""A UPN whose characters 2-4 are not a local authority code (DfE rule 1530) goes to the data-quality
list; one issued by another authority does not (children keep their UPN when they move)."""

from datetime import date

import pytest

from census.codes import UPN_LA_CODES
from census.export import cin_census_export
from tests.census.conftest import refer, upn
from tests.factories import make_child

pytestmark = pytest.mark.django_db


def upn_problems(export):
    return [p for p in export.problems if p.element.endswith("ChildIdentifiers/UPN")]


def referred_child(world, name, upn_value):
    child = make_child(name, date_of_birth=date(2014, 5, 1), upn=upn_value)
    refer(world, child, date(2025, 10, 1), primary_need="N1")
    return child


def test_a_upn_with_no_recognised_la_code_is_a_data_quality_problem(world):
    assert "999" not in UPN_LA_CODES
    child = referred_child(world, "Ida", upn("999000000101"))
    (problem,) = upn_problems(cin_census_export(year=2026, la_code="931"))
    assert problem.child_id == child.pk
    assert problem.element == f"Child[LAchildID={child.pk}]/ChildIdentifiers/UPN"
    assert "(999) are not a local authority code" in problem.message and "1530" in problem.message


def test_a_upn_from_another_authority_or_this_one_is_not_a_problem(world):
    referred_child(world, "Jo", upn("931000000111"))
    referred_child(world, "Kit", upn("208000000121"))  # issued by another authority before the child moved here
    export = cin_census_export(year=2026, la_code="931")
    assert export.children == 2
    assert upn_problems(export) == []


def test_the_la_code_list_matches_the_dfe_ranges_at_its_edges():
    assert {"001", "005", "201", "213", "420", "815", "931", "943"} <= UPN_LA_CODES
    assert not {"000", "006", "214", "804", "814", "930", "944"} & UPN_LA_CODES
    assert len(UPN_LA_CODES) == 195
