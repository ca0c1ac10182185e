from django.urls import path

from sso import views

urlpatterns = [
    path("accounts/sso/callback/", views.SsoCallbackView.as_view(), name="sso_callback"),
    path("accounts/sso/<slug:slug>/", views.SsoStartView.as_view(), name="sso_start"),
]
