"""Pages of the tools app (included at /tools/ by neglect_portal/urls.py)."""

from django.urls import path

from . import views

app_name = "tools"
urlpatterns = [
    # Definitions: partnership admins.
    path("definitions/", views.definition_list, name="definition_list"),
    path("definitions/load/", views.definition_load, name="definition_load"),
    path("definitions/<int:definition_id>/", views.definition_detail, name="definition_detail"),
    path("definitions/<int:definition_id>/edit/", views.definition_edit, name="definition_edit"),
    path("definitions/<int:definition_id>/publish/", views.definition_publish, name="definition_publish"),
    path("definitions/<int:definition_id>/retire/", views.definition_retire, name="definition_retire"),
    path("definitions/<int:definition_id>/new-version/", views.definition_new_version, name="definition_new_version"),
    # Runs and progress: case workers who can see the case.
    path("cases/<int:case_id>/", views.case_runs, name="case_runs"),
    path("cases/<int:case_id>/start/", views.run_start, name="run_start"),
    path("runs/<int:run_id>/", views.run_detail, name="run_detail"),
    path("runs/<int:run_id>/details/", views.run_details, name="run_details"),
    path("runs/<int:run_id>/areas/<slug:area_id>/", views.run_area, name="run_area"),
    path("runs/<int:run_id>/voice/", views.run_voice, name="run_voice"),
    path("runs/<int:run_id>/finalise/", views.run_finalise, name="run_finalise"),
    path("children/<int:child_id>/progress/", views.child_progress, name="child_progress"),
    path("runs/<int:run_id>/pdf/", views.run_pdf, name="run_pdf"),
    # A tool's page (aims, methodology, scoring, questions): case workers and admins; no case content.
    path("about/<int:definition_id>/", views.tool_about, name="tool_about"),
]
