"""API routes of the dashboard app (included under /api/v1/ in the "api" namespace)."""
from django.urls import path

from .api import QuarterMeasuresView, QuarterPdfView, QuarterSnapshotView

urlpatterns = [
    path("dashboard/quarters/<str:quarter>/", QuarterMeasuresView.as_view(), name="dashboard-quarter"),
    path("dashboard/quarters/<str:quarter>/snapshot/", QuarterSnapshotView.as_view(), name="dashboard-snapshot"),
    path("dashboard/quarters/<str:quarter>/pdf/", QuarterPdfView.as_view(), name="dashboard-pdf"),
]
