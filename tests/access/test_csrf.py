"""CSRF is enforced on every state-changing page: a POST without the token is refused (403)."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import sign_in_verified

from .test_matrix import ROUTES

FORM_POSTS = sorted((name, row) for (name, method), row in ROUTES.items() if method == "POST" and row.encoding == "form" and not name.startswith("api"))


@pytest.mark.parametrize(("name", "row"), FORM_POSTS, ids=[name for name, _ in FORM_POSTS])
def test_post_without_csrf_token_is_refused(world, name, row):
    allowed = [kind for kind, status in row.expected.items() if status in (200, 302) and kind not in ("anonymous", "inactive")]
    client = Client(enforce_csrf_checks=True)
    if allowed:
        sign_in_verified(client, world.users[allowed[0]])
    response = client.post(reverse(name, kwargs=row.kwargs(world)), row.data(world))
    assert response.status_code == 403, f"{name}: {response.status_code}"


def test_api_write_with_a_session_but_no_csrf_token_is_refused(world):
    client = sign_in_verified(Client(enforce_csrf_checks=True), world.users["partner_practitioner"])
    response = client.post(reverse("api:concern-list"), {"child": world.case.child_id}, content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
