"""Invariants of the case-work models: derived ages, immutable concerns, plan categories, overdue actions."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction

from cases.models import Concern, ImmutableRecordError
from tests.factories import make_child, make_concern

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def test_a_child_is_twelve_the_day_before_their_thirteenth_birthday():
    child = make_child(date_of_birth=date(2013, 11, 24))
    assert child.age_on(date(2026, 11, 23)) == 12
    assert not child.is_adolescent_on(date(2026, 11, 23))


def test_a_child_is_an_adolescent_from_their_thirteenth_birthday():
    child = make_child(date_of_birth=date(2013, 11, 24))
    assert child.age_on(date(2026, 11, 24)) == 13
    assert child.is_adolescent_on(date(2026, 11, 24))


def test_age_and_adolescence_are_derived_from_today():
    turns_thirteen_today = make_child(date_of_birth=TODAY.replace(year=TODAY.year - 13))
    turns_thirteen_tomorrow = make_child(date_of_birth=TODAY.replace(year=TODAY.year - 13) + timedelta(days=1))
    assert (turns_thirteen_today.age, turns_thirteen_today.is_adolescent) == (13, True)
    assert (turns_thirteen_tomorrow.age, turns_thirteen_tomorrow.is_adolescent) == (12, False)


def test_a_child_born_on_29_february_turns_a_year_older_on_1_march_in_common_years():
    child = make_child(date_of_birth=date(2012, 2, 29))
    assert child.age_on(date(2025, 2, 28)) == 12
    assert child.age_on(date(2025, 3, 1)) == 13


def test_an_unborn_child_has_no_age_and_is_not_an_adolescent():
    child = make_child(date_of_birth=date(2027, 2, 1), is_unborn=True)
    assert child.age is None
    assert not child.is_adolescent


def test_a_saved_concern_refuses_to_be_changed(world):
    concern = make_concern(world.case, world.users["lead_practitioner"])
    concern.description = "Rewritten"
    with pytest.raises(ImmutableRecordError):
        concern.save()
    assert Concern.objects.get(pk=concern.pk).description.startswith("Arrived at school hungry")


def test_concerns_refuse_bulk_updates(world):
    make_concern(world.case, world.users["lead_practitioner"])
    with pytest.raises(ImmutableRecordError):
        Concern.objects.filter(case=world.case).update(description="Rewritten")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgresql_refuses_an_update_of_a_concern_from_any_client(world):
    concern = make_concern(world.case, world.users["lead_practitioner"])
    with pytest.raises(DatabaseError, match="recorded once"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE cases_concern SET description = 'Rewritten' WHERE id = %s", [concern.pk])


def test_a_concern_cannot_be_observed_in_the_future(world):
    concern = Concern(observed_on=TODAY + timedelta(days=1))
    with pytest.raises(ValidationError) as error:
        concern.clean()
    assert error.value.message_dict["observed_on"] == ["Date observed must be today or in the past"]


def test_a_concern_needs_a_neglect_type_and_the_impact_on_the_child():
    concern = Concern(observed_on=TODAY, impact_on_child="   ")
    with pytest.raises(ValidationError) as error:
        concern.clean()
    assert set(error.value.message_dict) == {"neglect_types", "impact_on_child"}


def test_neglect_types_read_back_as_codes_in_a_fixed_order(world):
    concern = make_concern(world.case, world.users["lead_practitioner"], neglect_types=["supervision", "nutritional"])
    assert concern.neglect_types == ["nutritional", "supervision"]
    assert concern.neglect_type_labels == ["Nutritional", "Lack of supervision and guidance"]
