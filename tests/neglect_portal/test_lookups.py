"""any_of: the same rows as `__in`, sent as one array parameter on PostgreSQL."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agencies.models import AgencyKind
from cases.models import Case, Child
from neglect_portal.lookups import any_of, pair_of
from tests.factories import make_agency, make_case, make_child


def _cases(count):
    agency = make_agency(AgencyKind.CHILDRENS_SOCIAL_CARE)
    return [make_case(agency, child=make_child(given_name=f"Child{n}")) for n in range(count)]


def test_any_of_finds_what_in_finds_and_excludes_the_rest(db):
    cases = _cases(4)
    wanted = [cases[0].pk, cases[2].pk, None, cases[2].pk]

    assert set(Case.objects.filter(any_of("pk", wanted)).values_list("pk", flat=True)) == set(Case.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    assert set(Case.objects.exclude(any_of("pk", wanted)).values_list("pk", flat=True)) == {cases[1].pk, cases[3].pk}


def test_any_of_reaches_through_a_foreign_key_and_text(db):
    cases = _cases(3)

    assert set(Case.objects.filter(any_of("child_id", [cases[1].child_id])).values_list("pk", flat=True)) == {cases[1].pk}
    assert set(Child.objects.filter(any_of("given_name", {"Child0", "Child2"})).values_list("given_name", flat=True)) == {"Child0", "Child2"}


def test_an_empty_list_matches_nothing_and_excludes_nothing(db):
    _cases(2)

    assert list(Case.objects.filter(any_of("pk", []))) == []
    assert Case.objects.exclude(any_of("pk", [])).count() == 2


def test_ids_of_any_size_in_one_list_are_compared_as_numbers(db):
    cases = _cases(1)
    ids = [cases[0].pk, 40_000, 3_000_000_000]  # beyond a smallint and an integer: the array takes the widest type

    assert list(Case.objects.filter(any_of("pk", ids)).values_list("pk", flat=True)) == [cases[0].pk]
    assert list(Case.objects.filter(any_of("pk", [-5, cases[0].pk])).values_list("pk", flat=True)) == [cases[0].pk]


def test_numbers_beyond_a_bigint_match_nothing_rather_than_fail(db):
    cases = _cases(1)

    assert list(Case.objects.filter(any_of("pk", [cases[0].pk, 2**63, -(2**63) - 1])).values_list("pk", flat=True)) == [cases[0].pk]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="elsewhere any_of is Django's IN, checked by the tests above")
def test_on_postgresql_a_thousand_values_are_one_parameter(db):
    _cases(1)
    with CaptureQueriesContext(connection) as captured:
        list(Case.objects.filter(any_of("pk", range(1, 1001))))

    sql = captured.captured_queries[-1]["sql"]
    assert "= ANY(" in sql and " IN (" not in sql


# --- pair_of ---------------------------------------------------------------------------------------


def test_pair_of_finds_the_pairs_asked_for_and_on_postgresql_no_crossed_pair(db):
    cases = _cases(3)
    asked = [(cases[0].pk, cases[0].child_id), (cases[1].pk, cases[2].child_id), (cases[2].pk, 0)]  # only the first is a real pair
    crossed = {cases[1].pk, cases[2].pk}  # each column of these is in a pair asked for, not both in the same one

    found = set(Case.objects.filter(pair_of("pk", "child_id", asked)).values_list("pk", flat=True))
    if connection.vendor == "postgresql":
        assert found == {cases[0].pk}
    else:  # any_of on each column: crossed pairs too, which callers drop (neglect_portal/lookups.py)
        assert cases[0].pk in found and found - {cases[0].pk} <= crossed
    assert list(Case.objects.filter(pair_of("pk", "child_id", []))) == []
    assert set(Case.objects.exclude(pair_of("pk", "child_id", asked[:1])).values_list("pk", flat=True)) == {cases[1].pk, cases[2].pk}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="elsewhere pair_of is any_of on each column, checked by the test above")
def test_pair_of_reads_a_text_column_as_pairs_unnested(db):
    from drift.models import DriftViewFlags

    cases = _cases(2)
    for case in cases:
        DriftViewFlags.objects.create(case=case, key=f"key-{case.pk}", computed_for="2026-12-06", computed_at="2026-12-06T00:00Z", whole_record=True)
    query = DriftViewFlags.objects.filter(pair_of("case_id", "key", [(cases[0].pk, f"key-{cases[0].pk}"), (cases[1].pk, "other")]))
    with CaptureQueriesContext(connection) as captured:
        assert [row.case_id for row in query] == [cases[0].pk]
    assert "unnest(" in captured.captured_queries[0]["sql"]
