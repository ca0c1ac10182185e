"""Pages of the partnership app (included at /partnership/ beside the agencies app's admin pages)."""

from django.urls import path

from . import views

app_name = "partnership"
urlpatterns = [
    path("action-plans/", views.plan_list, name="plan_list"),
    path("action-plans/start/", views.plan_start, name="plan_start"),
    path("action-plans/<int:plan_id>/", views.plan_detail, name="plan_detail"),
    path("action-plans/<int:plan_id>/rows/new/", views.row_new, name="row_new"),
    path("action-plans/rows/<int:row_id>/", views.row_edit, name="row_edit"),
    path("action-plans/rows/<int:row_id>/updates/new/", views.row_update, name="row_update"),
    path("settings/", views.settings_index, name="settings"),
    path("profile/", views.profile_edit, name="profile"),
    path("wording-guide/", views.wording_guide, name="wording_guide"),
    path("wording-guide/<int:entry_id>/", views.wording_entry_edit, name="wording_entry_edit"),
    path("wording-guide/<int:entry_id>/remove/", views.wording_entry_remove, name="wording_entry_remove"),
    path("wording-guide/check/", views.wording_check, name="wording_check"),
]
