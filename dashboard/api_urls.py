"""API routes of the dashboard app (included under /api/v1/ in the "api" namespace)."""

from django.urls import path

from .api import (
    MeasureSetsView,
    QuarterCsvView,
    QuarterMeasuresView,
    QuarterPdfView,
    QuarterReportView,
    QuarterSignOffView,
    QuarterSnapshotView,
    SetupView,
    TargetsView,
)

urlpatterns = [
    path("dashboard/quarters/<str:quarter>/", QuarterMeasuresView.as_view(), name="dashboard-quarter"),
    path("dashboard/quarters/<str:quarter>/snapshot/", QuarterSnapshotView.as_view(), name="dashboard-snapshot"),
    path("dashboard/quarters/<str:quarter>/pdf/", QuarterPdfView.as_view(), name="dashboard-pdf"),
    path("dashboard/quarters/<str:quarter>/csv/", QuarterCsvView.as_view(), name="dashboard-csv"),
    path("dashboard/quarters/<str:quarter>/report/", QuarterReportView.as_view(), name="dashboard-report"),
    path("dashboard/quarters/<str:quarter>/sign-off/", QuarterSignOffView.as_view(), name="dashboard-sign-off"),
    path("dashboard/measure-sets/", MeasureSetsView.as_view(), name="dashboard-measure-sets"),
    path("dashboard/setup/", SetupView.as_view(), name="dashboard-setup"),
    path("dashboard/targets/", TargetsView.as_view(), name="dashboard-targets"),
]
