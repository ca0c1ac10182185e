"""The breakdowns' grouped queries (dashboard/selectors.py, `_breakdown`, `_breakdowns_of_children`) equal a count per category.

The reference below is the rule in words, one filtered count per category (how the breakdowns were
counted before they were grouped): Hypothesis draws children (families in a listed locality, an
unlisted one, none or no family; born at and around the age bands' edges, or unborn; every
ethnicity group and the codes outside them; disabled on the record, by census code, by NONE only,
or not), and referrals of them, and both ways must give the same counts, children counted once.
Several sets broken down in one query (overlapping, or one of them empty) must each count what it
counts alone.
"""

from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.conf import settings as django_settings
from django.db import transaction
from django.db.models import Count, Q
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agencies.models import Agency, AgencyKind
from cases.models import Child, Family
from census.models import ChildCensus
from dashboard.selectors import AGE_BANDS, DISABLED_CODE, ETHNIC_GROUPS, _breakdown, _breakdowns_of_children
from referrals.models import Referral

pytestmark = pytest.mark.django_db

ON = date(2026, 9, 30)
LOCALITIES = [*django_settings.PARTNERSHIP_LOCALITIES, "elsewhere", "", None]  # None: no family at all
ETHNICITIES = [code for codes in ETHNIC_GROUPS.values() for code in codes] + ["NOBT", "REFU"]
CENSUS = [None, [], ["NONE"], ["MOB"], ["NONE", "HEAR"], ["LD", "VIS"]]  # None: no census record
BIRTHS = [ON - relativedelta(years=years) + timedelta(days=shift) for _, years in AGE_BANDS for shift in (-1, 0, 1)] + [ON + timedelta(days=40)]


def reference(queryset, *, child, on, distinct_children=True):
    """{dimension: {category: count}}: one filtered count per category, over the children IN the rows (or the rows)."""
    if distinct_children:
        queryset, child = Child.objects.filter(pk__in=queryset.values(child)), ""
    p = f"{child}__" if child else ""
    localities = list(django_settings.PARTNERSHIP_LOCALITIES)
    locality = {name: Q(**{f"{p}family__locality": name}) for name in localities}
    locality["not_recorded"] = Q(**{f"{p}family__isnull": True}) | ~Q(**{f"{p}family__locality__in": localities})
    born = Q(**{f"{p}is_unborn": False, f"{p}date_of_birth__lte": on})
    ages = {"unborn": ~born}
    for index, (band, years) in enumerate(AGE_BANDS):
        condition = born & Q(**{f"{p}date_of_birth__lte": on - relativedelta(years=years)})
        if index + 1 < len(AGE_BANDS):
            condition &= Q(**{f"{p}date_of_birth__gt": on - relativedelta(years=AGE_BANDS[index + 1][1])})
        ages[band] = condition
    grouped = [code for codes in ETHNIC_GROUPS.values() for code in codes]
    ethnicity = {group: Q(**{f"{p}ethnicity__in": codes}) for group, codes in ETHNIC_GROUPS.items()}
    ethnicity["not_known"] = ~Q(**{f"{p}ethnicity__in": grouped})
    disabled = Q(**{f"{p}disability": True}) | Q(**{f"{p}census__disabilities__iregex": DISABLED_CODE})
    conditions = {"locality": locality, "age_band": ages, "ethnicity": ethnicity, "disability": {"disabled": disabled, "not_disabled": ~disabled}}
    return {
        dimension: {category: queryset.aggregate(n=Count("pk", filter=condition))["n"] for category, condition in categories.items()}
        for dimension, categories in conditions.items()
    }


children = st.lists(
    st.tuples(
        st.sampled_from(LOCALITIES),
        st.sampled_from(BIRTHS),
        st.booleans(),  # unborn
        st.sampled_from(ETHNICITIES),
        st.booleans(),  # disabled on the record
        st.sampled_from(CENSUS),
        st.integers(0, 2),  # referrals
        st.booleans(),  # counted (in the rows broken down)
    ),
    min_size=1,
    max_size=15,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(specs=children)
def test_the_grouped_breakdown_counts_what_a_count_per_category_counts(world, specs):
    with transaction.atomic():
        agency = Agency.objects.filter(kind=AgencyKind.CHILDRENS_SOCIAL_CARE).first()
        made = []
        for number, (locality, born, unborn, ethnicity, disabled, census, referrals, counted) in enumerate(specs):
            family = None if locality is None else Family.objects.create(name=f"Household {number}", locality=locality)
            child = Child.objects.create(
                given_name="Test", family_name=f"Child {number}", date_of_birth=born, is_unborn=unborn, ethnicity=ethnicity, disability=disabled, family=family
            )
            if census is not None:
                ChildCensus.objects.create(child=child, disabilities=census)
            for _ in range(referrals):
                Referral.objects.create(
                    child=child, referred_on=ON, referring_agency=agency, reasons="Neglect", recorded_by=world.users["admin"], is_neglect=counted
                )
            made.append((child, counted))
        rows = Child.objects.filter(pk__in=[child.pk for child, counted in made if counted])
        assert _breakdown(rows, child="", on=ON) == reference(rows, child="", on=ON, distinct_children=False)
        referrals = Referral.objects.filter(is_neglect=True, child__in=[child for child, _ in made])
        assert _breakdown(referrals, child="child", on=ON) == reference(referrals, child="child", on=ON, distinct_children=False)
        theirs = Referral.objects.filter(child__in=[child for child, _ in made])
        sets = {"neglect": theirs.filter(is_neglect=True), "other": theirs.filter(is_neglect=False), "all": theirs, "none": theirs.none()}
        assert _breakdowns_of_children(sets, on=ON) == {name: reference(rows, child="child", on=ON) for name, rows in sets.items()}
        transaction.set_rollback(True)
