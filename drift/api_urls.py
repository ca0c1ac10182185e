"""Drift API routes (included under /api/v1/ in the "api" namespace)."""

from django.urls import path

from .api import CaseFlagsView, DriftQueueView

urlpatterns = [
    path("cases/<int:pk>/flags/", CaseFlagsView.as_view(), name="case-flags"),
    path("drift/queue/", DriftQueueView.as_view(), name="drift-queue"),
]
