from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from agencies import account_views, two_factor_views
from agencies import views as agency_views
from agencies.api import MeView, TokenListView, TokenView
from agencies.forms import LoginForm
from cases import views as case_views
from sso import views as sso_views

# Each app adds its API routes in its own api_urls.py; all share the "api" namespace.
api_v1 = [
    path("auth/token/", TokenView.as_view(), name="token"),
    path("auth/tokens/", TokenListView.as_view(), name="token_list"),
    path("me/", MeView.as_view(), name="me"),
    path("", include("cases.api_urls")),
    path("", include("plans.api_urls")),
    path("", include("concerns.api_urls")),
    path("", include("oversight.api_urls")),
    path("", include("voice.api_urls")),
    path("", include("households.api_urls")),
    path("", include("conferences.api_urls")),
    path("", include("chronologies.api_urls")),
    path("", include("tools.api_urls")),
    path("", include("dashboard.api_urls")),
    path("", include("partnership.api_urls")),
    path("", include("drift.api_urls")),
    path("", include("quality.api_urls")),
    path("", include("frontdoor.api_urls")),
]

# Case work's pages: cases/ and the apps that left it (plans/, concerns/, referrals/, oversight/, voice/) share the /cases/ prefix and the "cases" namespace,
# as the apps' API routes share "api", so a page kept its address and its name when its code moved.
case_work = [
    path("", include("cases.urls")),
    path("", include("plans.urls")),
    path("", include("concerns.urls")),
    path("", include("referrals.urls")),
    path("", include("oversight.urls")),
    path("", include("voice.urls")),
]

# A refusal with a reason shows it (agencies.access.Refused); see neglect_portal/errors.py.
handler403 = "neglect_portal.errors.permission_denied"


class FaviconRedirect(RedirectView):
    """The icon's address, asked for when a browser asks (with hashed static files it is known only after collectstatic)."""

    permanent = True

    def get_redirect_url(self, *args, **kwargs):
        return static("images/favicon.ico")


urlpatterns = [
    # Browsers ask for /favicon.ico whatever the page says; the portal's own icon (not GOV.UK's Crown).
    path("favicon.ico", FaviconRedirect.as_view(), name="favicon"),
    path("", case_views.home, name="home"),
    path("accessibility/", agency_views.accessibility, name="accessibility"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(template_name="registration/login.html", authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    # Sign out (POST only): the portal session ends, then after a single sign-on the provider's too (sso/logout.py).
    path("accounts/logout/", sso_views.sign_out, name="logout"),
    # "Sign in with <organisation>": single sign-on through an agency's OpenID Connect provider.
    path("", include("sso.urls")),
    path("accounts/two-factor/setup/", two_factor_views.setup, name="two_factor_setup"),
    path("accounts/two-factor/recovery-codes/", two_factor_views.recovery_codes, name="two_factor_recovery_codes"),
    path("accounts/two-factor/", two_factor_views.verify, name="two_factor_verify"),
    # Your account, your password and the emailed "set your password" link (agencies/account_views.py).
    path("accounts/", account_views.account, name="account"),
    path("accounts/tokens/<int:token_id>/revoke/", account_views.account_token_revoke, name="account_token_revoke"),
    path("accounts/password/", account_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/forgotten/", account_views.password_reset, name="password_reset"),
    path("accounts/password/forgotten/sent/", account_views.password_reset_done, name="password_reset_done"),
    path("accounts/set-password/<uidb64>/<token>/", account_views.PasswordSetView.as_view(), name="password_reset_confirm"),
    path("accounts/set-password/done/", account_views.password_reset_complete, name="password_reset_complete"),
    path("partnership/", include("agencies.urls")),
    # Single sign-on providers per agency, for partnership admins (sso/admin_views.py).
    path("partnership/", include("sso.admin_urls")),
    path("partnership/", include("partnership.urls")),
    path("audit/", include("auditor.urls")),
    path("cases/families/", include("households.urls")),
    path("cases/", include((case_work, "cases"))),
    path("conferences/", include("conferences.urls")),
    path("chronologies/", include("chronologies.urls")),
    path("tools/", include("tools.urls")),
    path("dashboard/", include("dashboard.urls")),
    path("drift/", include("drift.urls")),
    path("need/", include("need.urls")),
    path("front-door/", include("frontdoor.urls")),
    path("census/", include("census.urls")),
    path("subject-access/", include("subject_access.urls")),
    path("retention/", include("retention.urls")),
    path("quality/", include("quality.urls")),
    # A family's single-use feedback link (no account); the address says nothing about the case.
    path("your-say/", include("quality.family_urls")),
    path("api/v1/", include((api_v1, "api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
