"""The access matrix: every route x method x kind of user -> the status the access rules demand.

Rows live in `routes_<area>.py` modules beside this file (see matrix.py). A URL pattern with no row
fails `test_every_url_pattern_is_in_the_matrix`, so a new endpoint cannot land without its row.
Allowed and denied cells share the same setup, so a denial cannot pass for a reason other than the
access rule.
"""

import importlib
import json
import pkgutil
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import USER_KINDS


def _collect_routes():
    routes = {}
    for module in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if module.name.startswith("routes_"):
            for key, row in importlib.import_module(f"tests.access.{module.name}").ROUTES.items():
                assert key not in routes, f"{key} has two rows in the access matrix"
                assert set(row.expected) == set(USER_KINDS), f"{key} does not cover every kind of user"
                routes[key] = row
    return routes


ROUTES = _collect_routes()
CELLS = [(name, method, kind) for (name, method) in ROUTES for kind in USER_KINDS]


@pytest.mark.parametrize(("name", "method", "kind"), CELLS, ids=[f"{n}-{m}-{k}" for n, m, k in CELLS])
def test_access_matrix(world, client_for, name, method, kind):
    row = ROUTES[(name, method)]
    client = client_for(world.users[kind])
    url = reverse(name, kwargs=row.kwargs(world))
    data = row.data(world)
    if method == "GET":
        response = client.get(url, data)
    elif row.encoding == "json":
        response = client.generic(method, url, json.dumps(data), content_type="application/json")
    else:
        assert method == "POST", "browser forms only POST"
        response = client.post(url, data)
    expected = row.expected[kind]
    assert response.status_code == expected, f"{kind} {method} {url}: {response.status_code}, expected {expected}"


def _named_routes(resolver, namespace=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _named_routes(pattern, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}" if pattern.name else f"<unnamed {pattern.pattern}>"


def test_every_url_pattern_is_in_the_matrix():
    in_matrix = {name for name, _ in ROUTES}
    missing = sorted(set(_named_routes(get_resolver())) - in_matrix)
    assert missing == [], f"URL patterns with no row in the access matrix: {missing}"
