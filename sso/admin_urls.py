"""Partnership admin pages for single sign-on providers, under /partnership/ (sso/admin_views.py)."""

from django.urls import path

from sso import admin_views

app_name = "sso"
urlpatterns = [
    path("agencies/<int:agency_id>/sign-in-providers/", admin_views.provider_list, name="provider_list"),
    path("agencies/<int:agency_id>/sign-in-providers/new/", admin_views.provider_create, name="provider_create"),
    path("sign-in-providers/<int:provider_id>/", admin_views.provider_edit, name="provider_edit"),
    path("sign-in-providers/<int:provider_id>/deactivate/", admin_views.provider_deactivate, name="provider_deactivate"),
]
