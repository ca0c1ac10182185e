"""The export passes the DfE validation rules (csc-validator-be-cin, ruleset cin2025_26) in CI.

The rules run in their own venv through bin/cin-validator; these tests run it on real exports.
"""

import re

import pytest
from lxml import etree

from census.dfe_validation import ValidatorUnavailable, dfe_rules_report
from census.export import cin_census_export, schema_errors
from tests.conftest import require_or_skip


def rules(xml):
    try:
        return dfe_rules_report(xml)
    except ValidatorUnavailable as error:
        require_or_skip(str(error))


def test_varied_histories_have_zero_dfe_errors(valid_histories, schema):
    export = cin_census_export(year=2026, la_code="931")
    assert schema_errors(export.xml, schema) == []
    report = rules(export.xml)
    assert report.rules_run > 100
    assert [str(issue) for issue in report.errors] == []
    assert export.children == 5  # repeat CP plans, a closure, an unborn baby and a sibling, an NFA referral


def test_every_dfe_error_is_on_a_child_the_data_quality_list_names(histories):
    export = cin_census_export(year=2026, la_code="931")
    report = rules(export.xml)
    listed = {str(problem.child_id) for problem in export.problems}
    errors = report.errors
    assert errors, "the history without an initial conference must break a DfE rule"
    assert {e.child_id for e in errors if e.child_id} <= listed
    assert str(histories["no_icpc"].pk) in {e.child_id for e in errors}


def test_the_rules_catch_a_broken_file(valid_histories):
    """Not a silent pass: drop a primary need code and hold a review on the plan's first day."""
    tree = etree.fromstring(cin_census_export(year=2026, la_code="931").xml)
    need = tree.find("Children/Child/CINdetails/PrimaryNeedCode")
    need.getparent().remove(need)
    plan = tree.find("Children/Child/CINdetails/ChildProtectionPlans")
    plan.find("Reviews/CPPreviewDate").text = plan.findtext("CPPstartDate")
    found = {issue.rule for issue in rules(etree.tostring(tree)).errors}
    assert {"8610", "8841"} <= found  # primary need missing; review on or before the plan's start


def test_a_file_that_is_not_a_return_is_an_error_not_a_pass(db):
    with pytest.raises(ValidatorUnavailable, match=re.compile("failed|crashed", re.I)):
        try:
            dfe_rules_report(b"<notxml")
        except ValidatorUnavailable as error:
            if "could not run" in str(error):
                require_or_skip(str(error))
            raise


def test_a_return_imported_from_another_system_exports_with_zero_dfe_errors(world):
    from census.importing import import_cin_census
    from tests.census.returns import VALID_RETURN

    import_cin_census(VALID_RETURN.encode(), actor=world.users["csc_practitioner"], dry_run=False, audit_username="test")
    report = rules(cin_census_export(year=2026, la_code="931").xml)
    assert [str(issue) for issue in report.errors] == []


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_generated_histories_have_zero_dfe_errors(world, seed, schema):
    from tests.census.generate import generate_histories

    children = generate_histories(world, seed=seed, count=10)
    export = cin_census_export(year=2026, la_code="931")
    assert schema_errors(export.xml, schema) == []
    assert export.problems == []
    assert export.children == len(children)
    report = rules(export.xml)
    assert [str(issue) for issue in report.errors] == []
