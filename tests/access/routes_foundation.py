"""Access-matrix rows for the foundation: home, sign-in, partnership admin, audit log, case API."""

from .matrix import ADMIN, AUDITOR, CASE_VISIBLE, MEMBERS, SIGNED_IN, Row, api, everyone, page


def case_id(world):
    return {"case_id": world.case.pk}


def case_pk(world):
    return {"pk": world.case.pk}


def sso_provider(world):
    from sso.models import OidcProvider

    return OidcProvider.objects.get_or_create(
        slug="riverside",
        defaults={
            "agency": world.school,
            "display_name": "Riverside School",
            "issuer": "https://login.riverside.example",
            "authorization_endpoint": "https://login.riverside.example/authorize",
            "token_endpoint": "https://login.riverside.example/token",
            "userinfo_endpoint": "https://login.riverside.example/userinfo",
            "jwks_endpoint": "https://login.riverside.example/jwks",
            "client_id": "neglect-portal",
            "client_secret_env": "OIDC_SECRET_RIVERSIDE",
        },
    )[0]


ROUTES = {
    ("home", "GET"): Row(page(SIGNED_IN)),
    ("accessibility", "GET"): Row(everyone(200)),
    ("favicon", "GET"): Row(everyone(301)),
    ("login", "GET"): Row({**everyone(200), **dict.fromkeys(SIGNED_IN, 302)}),
    ("login", "POST"): Row({**everyone(200), **dict.fromkeys(SIGNED_IN, 302)}),
    ("logout", "POST"): Row(everyone(302)),
    # Single sign-on: the start sends anyone to the agency's provider; the return without a code refuses.
    ("sso_start", "GET"): Row(everyone(302), kwargs=lambda w: {"slug": sso_provider(w).slug}),
    ("sso_callback", "GET"): Row(everyone(403)),
    ("agencies:agency_list", "GET"): Row(page(ADMIN)),
    ("agencies:agency_create", "GET"): Row(page(ADMIN)),
    ("agencies:agency_create", "POST"): Row(page(ADMIN)),
    ("agencies:agency_edit", "GET"): Row(page(ADMIN), kwargs=lambda w: {"agency_id": w.school.pk}),
    ("agencies:agency_edit", "POST"): Row(page(ADMIN), kwargs=lambda w: {"agency_id": w.school.pk}),
    ("agencies:agency_merge", "GET"): Row(page(ADMIN), kwargs=lambda w: {"agency_id": w.public_health.pk}),
    ("agencies:agency_merge", "POST"): Row(page(ADMIN), kwargs=lambda w: {"agency_id": w.public_health.pk}),
    ("agencies:user_list", "GET"): Row(page(ADMIN)),
    ("agencies:user_create", "GET"): Row(page(ADMIN)),
    ("agencies:user_create", "POST"): Row(page(ADMIN)),
    ("agencies:user_edit", "GET"): Row(page(ADMIN), kwargs=lambda w: {"user_id": w.users["partner_practitioner"].pk}),
    ("agencies:user_edit", "POST"): Row(page(ADMIN), kwargs=lambda w: {"user_id": w.users["partner_practitioner"].pk}),
    ("audit:event_list", "GET"): Row(page(AUDITOR)),
    ("audit:event_export", "GET"): Row(page(AUDITOR)),
    ("cases:case_detail", "GET"): Row(page(CASE_VISIBLE, denied=404), kwargs=case_id),
    ("api:token", "POST"): Row(everyone(400)),
    ("api:me", "GET"): Row(api(SIGNED_IN, non_member=200)),
    ("api:case-list", "GET"): Row(api(MEMBERS)),
    ("api:case-detail", "GET"): Row(api(CASE_VISIBLE), kwargs=case_pk),
    ("api-schema", "GET"): Row(api(SIGNED_IN, non_member=200)),
    ("api-docs", "GET"): Row(api(SIGNED_IN, non_member=200)),
}

ROUTES.update(
    {
        # Users of the matrix have passed their second factor, so set-up pages send them on.
        ("two_factor_setup", "GET"): Row(everyone(302)),
        ("two_factor_setup", "POST"): Row(everyone(302)),
        ("two_factor_recovery_codes", "GET"): Row(everyone(302)),
        ("two_factor_verify", "GET"): Row(page(SIGNED_IN)),
        ("two_factor_verify", "POST"): Row(page(SIGNED_IN)),
        ("agencies:user_reset_two_factor", "POST"): Row(page(ADMIN, allowed_status=302), kwargs=lambda w: {"user_id": w.users["partner_practitioner"].pk}),
    }
)

# Your account, your password and the emailed "set your password" link (issue 22, findings 3 and 6).
# The password pages answer everyone alike: they say nothing about which accounts exist.
ROUTES.update(
    {
        ("account", "GET"): Row(page(SIGNED_IN)),
        ("account_token_revoke", "POST"): Row(page(frozenset(), denied=404), kwargs=lambda w: {"token_id": _someone_elses_token(w).pk}),
        ("password_change", "GET"): Row(page(SIGNED_IN)),
        ("password_change", "POST"): Row(page(SIGNED_IN)),
        ("password_reset", "GET"): Row(everyone(200)),
        ("password_reset", "POST"): Row(everyone(200)),
        ("password_reset_done", "GET"): Row(everyone(200)),
        ("password_reset_confirm", "GET"): Row(everyone(200), kwargs=lambda w: {"uidb64": "MQ", "token": "not-a-token"}),
        ("password_reset_confirm", "POST"): Row(everyone(200), kwargs=lambda w: {"uidb64": "MQ", "token": "not-a-token"}),
        ("password_reset_complete", "GET"): Row(everyone(200)),
        ("api:token_list", "GET"): Row(api(SIGNED_IN, non_member=200)),
    }
)


def _someone_elses_token(world):
    """A token of a user outside the matrix: nobody in it may revoke it (404, audited)."""
    from agencies.models import Role
    from agencies.tokens import token_issue
    from tests.factories import make_user

    return token_issue(user=make_user(world.police, Role.PRACTITIONER))[0]
