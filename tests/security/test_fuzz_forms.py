"""Hypothesis fuzzing of every form and serializer in the project, and of key POST pages.

Classes are discovered, not listed: every Django form and DRF serializer defined in a module of the
project's apps is fed generated input (control characters, huge and odd unicode strings, numbers
where text is expected and the reverse, impossible and far-off dates, negative and huge numbers,
lists, missing fields) and `is_valid()` must answer, never raise. A new form whose constructor needs
an argument this module cannot build fails `test_every_discovered_class_can_be_built` until a
builder is added to BUILDERS, so nothing is skipped silently.

Bounded: a few examples per class, no shrinking; the whole module runs in well under a minute.
"""

import importlib
import pkgutil
from pathlib import Path

import hypothesis
import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils.datastructures import MultiValueDict
from hypothesis import HealthCheck, Phase
from hypothesis import strategies as st
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from agencies import access
from agencies.models import Agency
from cases import field_policy
from conferences import selectors as conference_selectors
from conferences.models import ConferenceChild
from tests.conferences.builders import held_review
from tools.models import ToolDefinition

EXAMPLES_PER_CLASS = 12
FUZZ_SETTINGS = dict(
    max_examples=EXAMPLES_PER_CLASS,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)

# --- Discovery -----------------------------------------------------------------------------------


def _project_modules():
    base = Path(settings.BASE_DIR).resolve()
    for app in apps.get_app_configs():
        path = Path(app.path).resolve()
        if base not in path.parents or ".venv" in path.parts:
            continue
        for module in pkgutil.walk_packages([str(path)], prefix=f"{app.name}."):
            if not {"migrations", "management", "tests"} & set(module.name.split(".")):
                yield importlib.import_module(module.name)


def _discover(base_class):
    found = {}
    for module in _project_modules():
        for name, value in vars(module).items():
            if isinstance(value, type) and issubclass(value, base_class) and value.__module__ == module.__name__:
                found[f"{module.__name__}.{name}"] = value
    return dict(sorted(found.items()))


FORMS = _discover(forms.BaseForm)
SERIALIZERS = _discover(serializers.BaseSerializer)

# --- Constructor arguments, by parameter name ------------------------------------------------------


def _tool_structure():
    from tests.tools.builders import published

    return published("gcp2").parsed


def _age_band(world):
    bands = _tool_structure().age_bands
    return bands[0].id if bands else ""


BUILDERS = {
    "user": lambda world: world.users["lead_practitioner"],
    "case": lambda world: world.case,
    "children": lambda world: [world.case.child],
    "agencies": lambda world: Agency.objects.order_by("name"),
    "team_agencies": lambda world: Agency.objects.filter(team_memberships__case=world.case),
    "agency_names": lambda world: {agency.pk: agency.name for agency in Agency.objects.all()},
    "chairs": lambda world: conference_selectors.possible_chairs(),
    "sibling_cases": lambda world: access.cases_visible_to(world.users["lead_practitioner"]),
    "decision_choices": lambda world: [("continue", "Continue the plan"), ("end", "End the plan")],
    "definitions": lambda world: ToolDefinition.objects.all(),
    "structure": lambda world: _tool_structure(),
    "area": lambda world: _tool_structure().areas[0],
    "age_band": _age_band,
    # issue 14: the front door's link form (a household's children) and its team form (children's social care's case workers)
    "household_children": lambda world: access.children_visible_to(world.users["csc_manager"]).filter(family=world.case.child.family),
    "front_door_people": lambda world: _front_door_people(),
    # issue 20: the agency merge form (the duplicate being merged)
    "merge": lambda world: world.public_health,
}


def _front_door_people():
    from frontdoor.services import front_door_team_people

    return front_door_team_people()


# Model forms used only on an existing row (their validation reads it): the row, by model.
INSTANCES = {
    ConferenceChild: lambda world: held_review(world).links.first(),
}
# Parameters every form or serializer takes and that are not constructor requirements.
STANDARD = {
    "self",
    "args",
    "kwargs",
    "data",
    "files",
    "instance",
    "request",
    "auto_id",
    "prefix",
    "initial",
    "error_class",
    "label_suffix",
    "empty_permitted",
    "field_order",
    "use_required_attribute",
    "renderer",
    "bound_field_class",
}


def _required_arguments(cls):
    """Names of the constructor parameters without a default, along the class's own __init__ chain."""
    import inspect

    names = []
    for klass in cls.__mro__:
        init = vars(klass).get("__init__")
        if init is None:
            continue
        for parameter in inspect.signature(init).parameters.values():
            if (
                parameter.name not in STANDARD
                and parameter.default is inspect.Parameter.empty
                and parameter.kind
                in (
                    inspect.Parameter.KEYWORD_ONLY,
                    inspect.Parameter.POSITIONAL_OR_KEYWORD,
                )
            ):
                names.append(parameter.name)
    return list(dict.fromkeys(names))


def _constructor_kwargs(cls, world):
    missing = [name for name in _required_arguments(cls) if name not in BUILDERS]
    assert not missing, f"{cls.__module__}.{cls.__qualname__} needs {missing}: add a builder to BUILDERS in {__name__}"
    kwargs = {name: BUILDERS[name](world) for name in _required_arguments(cls)}
    model = getattr(getattr(cls, "_meta", None), "model", None)
    if model in INSTANCES:
        kwargs["instance"] = INSTANCES[model](world)
    return kwargs


def _serializer_context(world):
    """What the API views pass: the request, and the field policy of the case (cases.field_policy)."""
    user = world.users["lead_practitioner"]
    return {"request": _api_request(user), "field_access": field_policy.for_case(user, world.case, owner=True)}


# --- Generated input ---------------------------------------------------------------------------------

ODD_STRINGS = [
    "",
    " ",
    "\t\n",
    "\x00",
    "a\x00b",
    "\x1b[31m",
    "\r\nInjected: header",
    "\u202eevil",
    "\ufeff",
    "\u0000\u0001\u001f\u007f",
    "0",
    "-1",
    "-0",
    "1.5",
    "-999999999999999999999",
    "99999999999999999999999999",
    "1e309",
    "NaN",
    "inf",
    "0x10",
    "0000-00-00",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "2026-02-30",
    "1899-12-31",
    "31/12/1899",
    "12:00",
    "2026-13-01T25:61",
    "true",
    "false",
    "on",
    "null",
    "None",
    "[]",
    "{}",
    "<script>alert(1)</script>",
    '=HYPERLINK("x")',
    "../../etc/passwd",
    "Robert'); DROP TABLE cases_case;--",
    "%s%s%s%n",
    "\U0001f600" * 50,
    "ß" * 1000,
]
TEXT = st.one_of(
    st.sampled_from(ODD_STRINGS),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=40),
    st.text(alphabet=st.characters(codec="utf-8", categories=["Cc", "Cf", "Zs", "Zl", "Zp"]), max_size=20),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.dates().map(str),
    st.just("x" * 100_000),
)
JSON_SCALAR = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70), st.floats(allow_nan=False, allow_infinity=False), TEXT)
JSON_VALUE = st.recursive(JSON_SCALAR, lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(TEXT, inner, max_size=4)), max_leaves=8)


def _valid_choices(field):
    """Values a real user could pick (model choices by primary key, without iterating a server-side cursor)."""
    if isinstance(field, forms.ModelChoiceField):
        values = list(field.queryset.values_list("pk", flat=True)[:20])
    else:
        values = [value for value, _ in field.choices]
    return values or [""]


def _form_data(draw, form):
    """POST-like data: each known field missing, one string or several; plus a stray field."""
    data, files = MultiValueDict(), {}
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        if isinstance(field, forms.FileField):
            if draw(st.booleans()):
                files[key] = SimpleUploadedFile(draw(st.sampled_from(["a.csv", "a.xml", "a.png", "a.json", "a"])), draw(st.binary(max_size=300)))
            continue
        choice = draw(st.integers(0, 3))
        if choice == 1:
            data.setlist(key, [draw(TEXT)])
        elif choice == 2:
            data.setlist(key, draw(st.lists(TEXT, min_size=1, max_size=3)))
        elif choice == 3 and hasattr(field, "choices"):
            data.setlist(key, [str(draw(st.sampled_from(_valid_choices(field))))])
    data.setlist(draw(TEXT), [draw(TEXT)])
    return data, files


def _serializer_data(draw, serializer):
    """JSON-like data: each writable field missing or any JSON value; sometimes not an object at all."""
    if draw(st.integers(0, 9)) == 0:
        return draw(JSON_VALUE)
    data = {}
    for name, field in serializer.fields.items():
        if field.read_only or draw(st.integers(0, 3)) == 0:
            continue
        if getattr(field, "choices", None) and draw(st.booleans()):
            data[name] = draw(st.sampled_from(list(field.choices)))
        else:
            data[name] = draw(JSON_VALUE)
    data[draw(TEXT)] = draw(JSON_SCALAR)
    return data


def _api_request(user):
    request = Request(APIRequestFactory().post("/api/v1/", {}, format="json"))
    request.user = user
    return request


def _failures(cls, check):
    """Run `check(data_strategy_draw)` for generated input; the first error, described, or None."""

    @hypothesis.settings(**FUZZ_SETTINGS)
    @hypothesis.given(st.data())
    def run(data):
        with transaction.atomic():  # a database error stays in this example's savepoint
            check(data.draw)

    try:
        run()
    except Exception as error:  # noqa: BLE001 - any exception out of is_valid() is the finding
        return f"{cls.__module__}.{cls.__qualname__}: {type(error).__name__}: {str(error)[:300]}"
    return None


# --- Tests ---------------------------------------------------------------------------------------


def test_discovery_finds_the_project_forms_and_serializers():
    assert "concerns.forms.ConcernForm" in FORMS and "agencies.forms.LoginForm" in FORMS
    assert "concerns.api.ConcernSerializer" in SERIALIZERS and "agencies.api.TokenRequestSerializer" in SERIALIZERS
    assert not any(name.startswith(("django.", "rest_framework.")) for name in [*FORMS, *SERIALIZERS])


@pytest.mark.parametrize("name", [*FORMS, *SERIALIZERS])
def test_every_discovered_class_can_be_built(world, name):
    cls = FORMS.get(name) or SERIALIZERS[name]
    kwargs = _constructor_kwargs(cls, world)
    instance = cls(**kwargs) if name in FORMS else cls(context=_serializer_context(world), **kwargs)
    assert instance.fields is not None


def test_no_form_raises_on_generated_input(world):
    failures = []
    for cls in FORMS.values():
        kwargs = _constructor_kwargs(cls, world)
        unbound = cls(**kwargs)

        def check(draw, cls=cls, kwargs=kwargs, unbound=unbound):
            data, files = _form_data(draw, unbound)
            form = cls(data=data, files=files, **kwargs)
            assert form.is_valid() in (True, False)
            form.errors.as_data()

        failures.append(_failures(cls, check))
    failures = [failure for failure in failures if failure]
    assert failures == [], "\n".join(failures)


def test_no_serializer_raises_on_generated_input(world):
    failures = []
    for cls in SERIALIZERS.values():
        kwargs = _constructor_kwargs(cls, world)
        context = _serializer_context(world)
        unbound = cls(context=context, **kwargs)

        def check(draw, cls=cls, kwargs=kwargs, unbound=unbound, context=context):
            serializer = cls(data=_serializer_data(draw, unbound), context=context, **kwargs)
            assert serializer.is_valid() in (True, False)
            assert isinstance(serializer.errors, (dict, list))

        failures.append(_failures(cls, check))
    failures = [failure for failure in failures if failure]
    assert failures == [], "\n".join(failures)


def test_the_fuzzer_reports_a_form_that_raises(db):
    """The harness itself: a form whose validation crashes on odd input is named, not passed."""

    class Fragile(forms.Form):
        number = forms.CharField(required=False)

        def clean_number(self):
            return int(self.cleaned_data["number"] or 0)  # ValueError on text: the bug the fuzzer must find

    def check(draw):
        data, files = _form_data(draw, Fragile())
        Fragile(data=data, files=files).is_valid()

    assert "ValueError" in (_failures(Fragile, check) or "")
