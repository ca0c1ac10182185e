"""schemathesis over every operation of /api/schema/, against a live server on loopback.

The schema is fetched from the running server, so endpoints added later are tested with no change
here. A member signs in through the token API (password and second factor) and every operation is
called with Hypothesis-generated valid and invalid data; schemathesis's checks must pass (no 5xx,
documented status codes, content types, headers and response bodies, invalid data rejected,
authentication not ignored), all but one, see EXCLUDED_CHECKS. Operations with ids in their path
get a third pass with the ids of real rows (`records`). Bounded: a few examples per operation, no
shrinking, derandomised so that a failure repeats.

The schema is served to signed-in users only (SPECTACULAR_SETTINGS["SERVE_PERMISSIONS"]): it holds
no data, but there is no reason to describe the API to strangers.
"""

import os

import hypothesis
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import positive_data_acceptance

from tests.factories import PASSWORD

EXAMPLES = {GenerationMode.POSITIVE: 6, GenerationMode.NEGATIVE: 4}
# The run is bounded by this example budget, not by a clock: about 40 s on an idle two-core machine.
# Left out: "schema-valid data is accepted". The API checks domain rules an OpenAPI schema cannot
# state (an NHS number's check digit, dates not in the future, a child that exists and is visible,
# a lawful basis that fits the sharing), and answers 400 with field errors: by design, not a bug.
# Invalid data must still be rejected (negative_data_rejection runs).
EXCLUDED_CHECKS = [positive_data_acceptance]


@pytest.fixture
def records(world):
    """Real rows for the record endpoints, by the collection segment before an id in the path.

    Generated ids almost never exist (404 at once); with these, a third pass reaches the serializers
    and services behind detail, PATCH and action endpoints. A new endpoint under one of these
    collections is covered with no change here.
    """
    from tests.chronologies.builders import make_entry
    from tests.conferences.builders import held_review
    from tests.factories import make_action, make_plan
    from tests.tools.builders import published
    from tools.services import run_start

    manager = world.users["lead_manager"]
    action = make_action(make_plan(world.case, actor=manager), owner_agency=world.health, actor=manager)
    conference = held_review(world)
    definition = published("gcp2")
    return {
        "cases": world.case.pk,
        "actions": action.pk,
        "children": world.case.child_id,
        "chronology-entries": make_entry(world.case.child, manager).pk,
        "conferences": conference.pk,
        "conference-invitations": conference.invitations.get(agency=world.health).pk,
        "definitions": definition.pk,
        "runs": run_start(case=world.case, definition=definition, actor=manager).pk,
    }


def _real_path_parameters(operation, records):
    """{parameter: real id} for each path parameter whose collection segment is in `records`."""
    segments = operation.path.strip("/").split("/")
    found = {}
    for before, segment in zip(segments, segments[1:]):
        name = segment.strip("{}")
        if segment.startswith("{") and before in records:
            found[name] = records[before]
    return found if len(found) == len(operation.path_parameters) else {}


@pytest.fixture
def member_token(world, live_server):
    """An API token for a lead-agency manager, issued by the token API against password and a code."""
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    user = world.users["lead_manager"]
    device, _ = StaticDevice.objects.get_or_create(user=user, name="Recovery codes")
    code = device.token_set.create(token=StaticToken.random_token()).token
    response = requests.post(f"{live_server.url}/api/v1/auth/token/", data={"username": user.username, "password": PASSWORD, "otp_token": code}, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()["token"]


def _failures_for(operation, mode, *, base_url, session, path_parameters=None):
    @hypothesis.settings(
        max_examples=EXAMPLES[mode],
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @hypothesis.given(case=operation.as_strategy(generation_mode=mode, path_parameters=path_parameters))
    def run(case):
        case.call_and_validate(base_url=base_url, session=session, excluded_checks=EXCLUDED_CHECKS)

    try:
        run()
    except Unsatisfiable:
        if mode is GenerationMode.POSITIVE:
            return [f"{mode.value} {operation.label}: no valid request could be generated"]
        return []  # nothing in the operation can be made invalid (no parameters, no body)
    except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001 - report every operation's failures, not just the first
        where = f" with {path_parameters}" if path_parameters else ""
        return [f"{mode.value} {operation.label}{where}: {error}"]
    return []


def test_schema_generates_without_warnings_and_validates():
    """Two serializers with one component name, or a view drf-spectacular cannot read, fail here."""
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", os.devnull)


def test_schema_is_for_signed_in_users_only(db, client):
    assert client.get("/api/schema/").status_code == 401


def test_every_api_operation_passes_the_schemathesis_checks(live_server, records, member_token):
    session = requests.Session()
    session.headers["Authorization"] = f"Token {member_token}"
    schema_response = session.get(f"{live_server.url}/api/schema/", headers={"Accept": "application/vnd.oai.openapi+json"}, timeout=10)
    assert schema_response.status_code == 200
    schema = schemathesis.openapi.from_dict(schema_response.json())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 10, "the schema lists the API's operations"
    failures = []
    for operation in operations:
        for mode in EXAMPLES:
            failures += _failures_for(operation, mode, base_url=live_server.url, session=session)
        real = _real_path_parameters(operation, records)
        if real:
            failures += _failures_for(operation, GenerationMode.POSITIVE, base_url=live_server.url, session=session, path_parameters=real)
    assert failures == [], "\n\n".join(failures)
