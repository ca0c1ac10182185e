"""API routes of the quality app (included under /api/v1/ in the "api" namespace)."""

from django.urls import path

from .api import CaseFeedbackView, QualityMeasuresView, RoundDetailView, RoundListView

urlpatterns = [
    path("audit-rounds/", RoundListView.as_view(), name="audit-round-list"),
    path("audit-rounds/<int:round_id>/", RoundDetailView.as_view(), name="audit-round-detail"),
    path("cases/<int:case_id>/family-feedback/", CaseFeedbackView.as_view(), name="case-family-feedback"),
    path("quality-measures/<str:quarter>/", QualityMeasuresView.as_view(), name="quality-measures"),
]
