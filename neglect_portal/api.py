"""What every API endpoint shares: one error shape and strict input.

`exception_handler` (REST_FRAMEWORK["EXCEPTION_HANDLER"]) turns what the services raise into API
answers, so no view converts errors itself:

* Django's `ValidationError` (a broken business rule) is a 400 whose body is keyed by field, as a
  DRF serializer's would be; errors about no one field are under DRF's `non_field_errors`, never
  Django's `__all__` (a form's errors passed to a DRF `ValidationError` are renamed the same way).
  A view whose service keys errors in its own way may reshape them with `validation_detail(detail)`
  (the tools API nests an answer's errors under "answers").
* `EditConflict` (neglect_portal/concurrency.py) is a 409 with `detail`, `current_version` and,
  when the view set it, `current` (the record as it is now), so the client re-reads before saving.

`StrictWriteMixin` is the base of every write serializer: DRF ignores unknown and read-only keys;
for safeguarding records that hides mistakes and attempts to set what the caller may not (who
recorded a concern, a derived flag, a run's scores), so each such key is a 400 naming it.
"""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from .concurrency import EditConflict


def validation_detail(error: DjangoValidationError) -> dict:
    """A Django ValidationError as DRF's 400 body: field -> messages, the rest under `non_field_errors`."""
    if not hasattr(error, "error_dict"):
        return {api_settings.NON_FIELD_ERRORS_KEY: error.messages}
    return {(api_settings.NON_FIELD_ERRORS_KEY if key == NON_FIELD_ERRORS else key): messages for key, messages in error.message_dict.items()}


def exception_handler(exc, context):
    if isinstance(exc, EditConflict):
        body = {"detail": exc.message, "current_version": exc.current_version}
        if exc.current is not None:
            body["current"] = exc.current
        return Response(body, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        detail = validation_detail(exc)
        reshape = getattr(context.get("view"), "validation_detail", None)
        exc = exceptions.ValidationError(reshape(detail) if reshape else detail)
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, dict) and NON_FIELD_ERRORS in response.data:
        response.data[api_settings.NON_FIELD_ERRORS_KEY] = response.data.pop(NON_FIELD_ERRORS)
    return response


class StrictWriteMixin:
    """Refuse, by name, every field sent that the serializer does not accept as input.

    `writable_fields()` may narrow the input further (cases/field_policy.py narrows it per caller).
    Nested serializers that use the mixin refuse their own unknown keys.
    """

    def writable_fields(self):
        return {name for name, field in self.fields.items() if not field.read_only}

    def to_internal_value(self, data):
        if hasattr(data, "keys"):
            allowed = self.writable_fields()
            refused = {key: ["You may not write this field." if key in self.fields else "Unknown field."] for key in data.keys() if key not in allowed}
            if refused:
                raise exceptions.ValidationError(refused)
        return super().to_internal_value(data)
