"""Generated input POSTed to key pages through the test client: never a server error.

Recording a concern, starting a plan, adding a chronology entry, starting a tool run and saving one
of its areas. The form's own fields (read from the page's GET) get the same odd input as
tests/security/test_fuzz_forms.py; the answer is a redisplayed form (200) or a redirect, never 5xx.
"""

import hypothesis
import pytest
from django.urls import reverse
from hypothesis import strategies as st

from tests.tools.builders import published
from tools.services import run_start

from .test_fuzz_forms import FUZZ_SETTINGS, _form_data

PAGES = {
    "concern": lambda world, run: reverse("cases:case_concern_new", args=[world.case.pk]),
    "plan": lambda world, run: reverse("cases:plan_new", args=[world.case.pk]),
    "chronology entry": lambda world, run: reverse("chronologies:entry_create", args=[world.case.child_id]),
    "tool run": lambda world, run: reverse("tools:run_start", args=[world.case.pk]),
    "tool run area": lambda world, run: reverse("tools:run_area", args=[run.pk, run.structure.areas[0].id]),
}


@pytest.mark.parametrize("page", PAGES)
def test_generated_posts_never_cause_a_server_error(world, client_for, page):
    user = world.users["lead_practitioner"]
    run = run_start(case=world.case, definition=published("gcp2"), actor=user)
    client = client_for(user)
    url = PAGES[page](world, run)
    form = client.get(url).context["form"]

    @hypothesis.settings(**{**FUZZ_SETTINGS, "max_examples": 20})
    @hypothesis.given(st.data())
    def post(data):
        fields, files = _form_data(data.draw, form)
        response = client.post(url, {**{key: fields.getlist(key) for key in fields}, **files})
        assert response.status_code < 500, f"{response.status_code} for {dict(fields)!r}"[:500]

    post()
