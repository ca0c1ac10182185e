"""Access-matrix rows for single sign-on: the signed-out page, and the partnership admin's provider pages (issue 20)."""

from .matrix import ADMIN, Row, everyone, page
from .routes_foundation import sso_provider


def agency_id(world):
    return {"agency_id": world.school.pk}


def provider_id(world):
    return {"provider_id": sso_provider(world).pk}


ROUTES = {
    # Where a provider sends the browser back after signing out there: a page for anyone.
    ("signed_out", "GET"): Row(everyone(200)),
    # The step on to the provider's sign-out: with none pending (anyone here), on to the signed-out page.
    ("sso_provider_sign_out", "GET"): Row(everyone(302)),
    ("sso:provider_list", "GET"): Row(page(ADMIN), kwargs=agency_id),
    ("sso:provider_create", "GET"): Row(page(ADMIN), kwargs=agency_id),
    # An empty form: shown again with its errors (no provider is asked for anything).
    ("sso:provider_create", "POST"): Row(page(ADMIN), kwargs=agency_id),
    ("sso:provider_edit", "GET"): Row(page(ADMIN), kwargs=provider_id),
    ("sso:provider_edit", "POST"): Row(page(ADMIN), kwargs=provider_id),
    ("sso:provider_deactivate", "POST"): Row(page(ADMIN, allowed_status=302), kwargs=provider_id),
}
