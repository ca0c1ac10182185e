"""Pages of the dashboard app (included at /dashboard/ by neglect_portal/urls.py)."""
from django.urls import path

from . import views

app_name = "dashboard"
urlpatterns = [
    path("", views.index, name="index"),
    path("<str:quarter>/", views.quarter_dashboard, name="quarter"),
    path("<str:quarter>/measures.csv", views.measures_csv, name="measures_csv"),
    path("<str:quarter>/pdf/", views.report_pdf, name="report_pdf"),
    path("<str:quarter>/snapshot/", views.snapshot_queue, name="snapshot_queue"),
]
