"""API routes of the partnership app (included under /api/v1/ in the "api" namespace)."""

from django.urls import path

from .api import PlanDetailView, PlanListView, RowDetailView, RowUpdateView

urlpatterns = [
    path("action-plans/", PlanListView.as_view(), name="action-plan-list"),
    path("action-plans/<int:plan_id>/", PlanDetailView.as_view(), name="action-plan-detail"),
    path("action-plan-rows/<int:row_id>/", RowDetailView.as_view(), name="action-plan-row-detail"),
    path("action-plan-rows/<int:row_id>/updates/", RowUpdateView.as_view(), name="action-plan-row-updates"),
]
