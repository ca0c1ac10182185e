from django.urls import path

from . import case_grant_views, views

app_name = "agencies"
urlpatterns = [
    path("agencies/", views.agency_list, name="agency_list"),
    path("agencies/new/", views.agency_create, name="agency_create"),
    path("agencies/<int:agency_id>/", views.agency_edit, name="agency_edit"),
    path("agencies/<int:agency_id>/merge/", views.agency_merge, name="agency_merge"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:user_id>/", views.user_edit, name="user_edit"),
    path("users/<int:user_id>/reset-two-factor/", views.user_reset_two_factor, name="user_reset_two_factor"),
    path("case-grants/", case_grant_views.case_grants, name="case_grants"),
    path("case-grants/<slug:kind>/<int:grant_id>/revoke/", case_grant_views.case_grant_revoke, name="case_grant_revoke"),
]
