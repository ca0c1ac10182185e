"""The API's one error shape (neglect_portal/api.py): services' errors as 400 by field, edit conflicts as 409, strict input."""

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from rest_framework import exceptions, serializers

from neglect_portal.api import StrictWriteMixin, exception_handler
from neglect_portal.concurrency import CONFLICT, EditConflict


def handled(exc, view=None):
    response = exception_handler(exc, {"view": view})
    return response.status_code, response.data


@pytest.mark.parametrize(
    ("error", "body"),
    [
        (
            ValidationError({"ended_on": "Before the start", NON_FIELD_ERRORS: "The case is closed"}),
            {"ended_on": ["Before the start"], "non_field_errors": ["The case is closed"]},
        ),
        (ValidationError("The case is closed"), {"non_field_errors": ["The case is closed"]}),
        (exceptions.ValidationError({NON_FIELD_ERRORS: ["From a form's errors"]}), {"non_field_errors": ["From a form's errors"]}),
    ],
)
def test_a_broken_rule_is_a_400_by_field_with_one_key_for_the_rest(error, body):
    assert handled(error) == (400, body)


def test_a_view_may_nest_its_own_keys():
    class View:
        def validation_detail(self, detail):
            return {"answers": detail}

    assert handled(ValidationError({"safety.supervision": "Choose an answer"}), View()) == (400, {"answers": {"safety.supervision": ["Choose an answer"]}})


def test_an_edit_conflict_is_a_409_with_the_current_version_and_what_the_view_adds():
    assert handled(EditConflict(current_version=3)) == (409, {"detail": CONFLICT, "current_version": 3})
    conflict = EditConflict("Changed by Sam at 10:02", current_version=4)
    conflict.current = {"id": 1, "version": 4}
    assert handled(conflict) == (409, {"detail": "Changed by Sam at 10:02", "current_version": 4, "current": {"id": 1, "version": 4}})


class Address(StrictWriteMixin, serializers.Serializer):
    postcode = serializers.CharField()


class Person(StrictWriteMixin, serializers.Serializer):
    name = serializers.CharField()
    recorded_by = serializers.CharField(read_only=True)
    address = Address(required=False)


def test_every_key_the_input_does_not_take_is_refused_by_name_at_every_level():
    given = Person(data={"name": "Ann", "recorded_by": "me", "age": 9})
    assert not given.is_valid()
    assert given.errors == {"recorded_by": ["You may not write this field."], "age": ["Unknown field."]}
    nested = Person(data={"name": "Ann", "address": {"postcode": "OX1 1AA", "flat": "2"}})
    assert not nested.is_valid() and nested.errors == {"address": {"flat": ["Unknown field."]}}
    assert Person(data={"name": "Ann", "address": {"postcode": "OX1 1AA"}}).is_valid()
