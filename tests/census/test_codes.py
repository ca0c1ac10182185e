"""The code lists in census/codes.py are the schema's, exactly."""

from lxml import etree

from agencies.models import AgencyKind
from census import codes

XS = "{http://www.w3.org/2001/XMLSchema}"


def enumeration(schema, type_name):
    tree = etree.parse(str(schema))
    node = tree.find(f"{XS}simpleType[@name='{type_name}']")
    return [e.get("value") for e in node.iter(f"{XS}enumeration")]


def test_code_lists_match_the_schema(schema):
    assert sorted(codes.CATEGORY_OF_ABUSE) == sorted(enumeration(schema, "categoryofabusetype"))
    assert sorted(codes.PRIMARY_NEED) == sorted(enumeration(schema, "primaryneedcodetype"))
    assert sorted(codes.REFERRAL_SOURCE) == sorted(enumeration(schema, "referralsourcetype"))
    assert sorted(codes.REASON_FOR_CLOSURE) == sorted(enumeration(schema, "reasonforclosuretype"))
    assert sorted(codes.ASSESSMENT_FACTORS) == sorted(enumeration(schema, "assessmentfactorstype"))


def test_every_agency_kind_has_a_referral_source_from_the_list():
    assert set(codes.REFERRAL_SOURCE_FOR_AGENCY_KIND) == set(AgencyKind)
    assert set(codes.REFERRAL_SOURCE_FOR_AGENCY_KIND.values()) <= set(codes.REFERRAL_SOURCE)


def test_our_categories_map_to_census_codes():
    assert set(codes.CATEGORY_CODE_FOR.values()) == set(codes.CATEGORY_OF_ABUSE)
