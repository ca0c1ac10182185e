"""Import a valid return, export the same year: the same return, element by element.

Trees are compared in a canonical form: whitespace trimmed, and the children of every element
sorted (the schema fixes the order of different elements, so only repeats such as Child,
CINdetails or Assessments can differ in order). The sending system's software name, release,
serial number and time are the sender's, not the data, so they are left out.
"""

from lxml import etree

from census.export import cin_census_export, schema_errors
from census.importing import import_cin_census
from tests.census.returns import VALID_RETURN

SENDER_ONLY = {"SoftwareCode", "Release", "SerialNo", "DateTime"}


def canonical(element):
    children = sorted(canonical(child) for child in element if child.tag not in SENDER_ONLY)
    return (element.tag, (element.text or "").strip(), tuple(children))


def test_import_then_export_gives_the_same_return(world, schema):
    result = import_cin_census(VALID_RETURN.encode(), actor=world.users["csc_practitioner"], dry_run=False, audit_username="test")
    assert result.rejections == []
    export = cin_census_export(year=2026, la_code="931")
    assert schema_errors(export.xml, schema) == []
    assert export.problems == []
    assert canonical(etree.fromstring(export.xml)) == canonical(etree.fromstring(VALID_RETURN.encode()))


def test_the_comparison_notices_a_difference(world):
    import_cin_census(VALID_RETURN.encode(), actor=world.users["csc_practitioner"], dry_run=False, audit_username="test")
    tree = etree.fromstring(cin_census_export(year=2026, la_code="931").xml)
    tree.find("Children/Child/CINdetails/ReferralSource").text = "10"
    assert canonical(tree) != canonical(etree.fromstring(VALID_RETURN.encode()))
