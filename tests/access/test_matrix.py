"""The access matrix: every route x method x kind of user -> the status the access rules demand.

A route that is not in ROUTES fails `test_every_url_pattern_is_in_the_matrix`, so a new endpoint
cannot land without its row. Statuses come from the relation of each user to `world.case`
(see tests/conftest.py); allowed and denied cells share the same setup, so a denial cannot pass
for a reason other than the access rule.
"""
import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import USER_KINDS

# Who can see `world.case`: its team (health lead, school partner), children's social care, the grantee.
CASE_VISIBLE = {"lead_practitioner", "lead_manager", "partner_practitioner", "partner_dsl", "granted", "csc_practitioner", "csc_manager"}
SIGNED_IN = set(USER_KINDS) - {"anonymous", "inactive"}
MEMBERS = SIGNED_IN - {"superuser"}


def page(allowed, *, allowed_status=200, denied=403):
    """A browser page: anonymous (and inactive) users are sent to sign in; others allowed or denied."""
    return {kind: 302 if kind in ("anonymous", "inactive") else (allowed_status if kind in allowed else denied) for kind in USER_KINDS}


def api(allowed, *, allowed_status=200, denied=404, non_member=403):
    """An API route: 401 without credentials, 403 without an active membership."""
    result = {}
    for kind in USER_KINDS:
        if kind in ("anonymous", "inactive"):
            result[kind] = 401
        elif kind == "superuser":
            result[kind] = non_member
        else:
            result[kind] = allowed_status if kind in allowed else denied
    return result


def everyone(status):
    return {kind: status for kind in USER_KINDS}


ADMIN = {"admin"}
AUDITOR = {"auditor"}

# (url name, kwargs builder, method) -> expected status per user kind
ROUTES = {
    ("home", None, "GET"): page(SIGNED_IN),
    ("accessibility", None, "GET"): everyone(200),
    ("login", None, "GET"): {**everyone(200), **{k: 302 for k in SIGNED_IN}},
    ("login", None, "POST"): {**everyone(200), **{k: 302 for k in SIGNED_IN}},
    ("logout", None, "POST"): everyone(302),
    ("agencies:agency_list", None, "GET"): page(ADMIN),
    ("agencies:agency_create", None, "GET"): page(ADMIN),
    ("agencies:agency_create", None, "POST"): page(ADMIN),
    ("agencies:agency_edit", "agency", "GET"): page(ADMIN),
    ("agencies:agency_edit", "agency", "POST"): page(ADMIN),
    ("agencies:user_list", None, "GET"): page(ADMIN),
    ("agencies:user_create", None, "GET"): page(ADMIN),
    ("agencies:user_create", None, "POST"): page(ADMIN),
    ("agencies:user_edit", "user", "GET"): page(ADMIN),
    ("agencies:user_edit", "user", "POST"): page(ADMIN),
    ("audit:event_list", None, "GET"): page(AUDITOR),
    ("audit:event_export", None, "GET"): page(AUDITOR),
    ("cases:case_detail", "case", "GET"): page(CASE_VISIBLE, denied=404),
    ("api:token", None, "POST"): everyone(400),
    ("api:me", None, "GET"): api(SIGNED_IN, non_member=200),
    ("api:case-list", None, "GET"): api(MEMBERS),
    ("api:case-detail", "case", "GET"): api(CASE_VISIBLE),
    ("api-schema", None, "GET"): api(SIGNED_IN, non_member=200),
    ("api-docs", None, "GET"): api(SIGNED_IN, non_member=200),
}


def _kwargs(kind, world):
    if kind is None:
        return {}
    if kind == "case":
        return {"case_id": world.case.pk}
    if kind == "agency":
        return {"agency_id": world.school.pk}
    if kind == "user":
        return {"user_id": world.users["partner_practitioner"].pk}
    raise ValueError(kind)


def _url(name, kwargs_kind, world):
    kwargs = _kwargs(kwargs_kind, world)
    if name.startswith("api:") and "case_id" in kwargs:
        kwargs = {"pk": kwargs["case_id"]}
    return reverse(name, kwargs=kwargs)


CELLS = [(name, kw, method, kind, statuses[kind]) for (name, kw, method), statuses in ROUTES.items() for kind in USER_KINDS]


@pytest.mark.parametrize(("name", "kwargs_kind", "method", "kind", "expected"), CELLS, ids=[f"{c[0]}-{c[2]}-{c[3]}" for c in CELLS])
def test_access_matrix(world, client_for, name, kwargs_kind, method, kind, expected):
    client = client_for(world.users[kind])
    url = _url(name, kwargs_kind, world)
    response = client.get(url) if method == "GET" else client.post(url, {})
    assert response.status_code == expected, f"{kind} {method} {url}: {response.status_code}, expected {expected}"


def _named_routes(resolver, namespace=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _named_routes(pattern, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}" if pattern.name else f"<unnamed {pattern.pattern}>"


def test_every_url_pattern_is_in_the_matrix():
    in_matrix = {name for name, _, _ in ROUTES}
    missing = sorted(set(_named_routes(get_resolver())) - in_matrix)
    assert missing == [], f"URL patterns with no row in the access matrix: {missing}"
