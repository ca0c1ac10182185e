"""Pages of the dashboard app (included at /dashboard/ by neglect_portal/urls.py)."""

from django.urls import path

from . import views

app_name = "dashboard"
urlpatterns = [
    path("", views.index, name="index"),
    # Fixed paths before the quarter's: "setup" and "targets" are not quarter names.
    path("setup/", views.setup, name="setup"),
    path("targets/", views.targets, name="targets"),
    path("targets/<str:measure_key>/", views.target_edit, name="target_edit"),
    path("<str:quarter>/", views.quarter_dashboard, name="quarter"),
    path("<str:quarter>/measures.csv", views.measures_csv, name="measures_csv"),
    path("<str:quarter>/pdf/", views.report_pdf, name="report_pdf"),
    path("<str:quarter>/snapshot/", views.snapshot_queue, name="snapshot_queue"),
    path("<str:quarter>/report/", views.report_edit, name="report"),
    path("<str:quarter>/sign-off/", views.sign_off, name="sign_off"),
]
