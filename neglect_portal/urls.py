from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from agencies import two_factor_views
from agencies import views as agency_views
from agencies.api import MeView, TokenView
from agencies.forms import LoginForm

# Each app adds its API routes in its own api_urls.py; all share the "api" namespace.
api_v1 = [
    path("auth/token/", TokenView.as_view(), name="token"),
    path("me/", MeView.as_view(), name="me"),
    path("", include("cases.api_urls")),
    path("", include("cases.conference_api_urls")),
    path("", include("chronologies.api_urls")),
    path("", include("tools.api_urls")),
    path("", include("dashboard.api_urls")),
    path("", include("partnership.api_urls")),
    path("", include("cases.drift_api_urls")),
]

urlpatterns = [
    path("", agency_views.home, name="home"),
    path("accessibility/", agency_views.accessibility, name="accessibility"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(template_name="registration/login.html", authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/two-factor/setup/", two_factor_views.setup, name="two_factor_setup"),
    path("accounts/two-factor/recovery-codes/", two_factor_views.recovery_codes, name="two_factor_recovery_codes"),
    path("accounts/two-factor/", two_factor_views.verify, name="two_factor_verify"),
    path("partnership/", include("agencies.urls")),
    path("partnership/", include("partnership.urls")),
    path("audit/", include("audit.urls")),
    path("cases/", include("cases.urls")),
    path("conferences/", include("cases.conference_urls")),
    path("chronologies/", include("chronologies.urls")),
    path("tools/", include("tools.urls")),
    path("dashboard/", include("dashboard.urls")),
    path("drift/", include("cases.drift_urls")),
    path("census/", include("census.urls")),
    path("subject-access/", include("subject_access.urls")),
    path("retention/", include("retention.urls")),
    path("api/v1/", include((api_v1, "api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
