from django.urls import path

from sso import views

urlpatterns = [
    # Where a provider sends the browser back after signing out there (the post-logout redirect URI to register).
    path("accounts/signed-out/", views.signed_out, name="signed_out"),
    # The step from the portal's sign-out on to the provider's (sso/views.py, `provider_sign_out`).
    path("accounts/sso/sign-out/", views.provider_sign_out, name="sso_provider_sign_out"),
    path("accounts/sso/callback/", views.SsoCallbackView.as_view(), name="sso_callback"),
    path("accounts/sso/<slug:slug>/", views.SsoStartView.as_view(), name="sso_start"),
]
