"""Concerns are recorded once: the model, its queryset and PostgreSQL refuse changes; the content's rules."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction

from cases.models import ImmutableRecordError
from concerns.models import Concern
from tests.factories import make_concern

from .conftest import TODAY

pytestmark = pytest.mark.django_db


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
