"""API routes of the tools app (included under /api/v1/ in the "api" namespace)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .api import ChildProgressView, DefinitionViewSet, RunViewSet

router = SimpleRouter()
router.register("tools/definitions", DefinitionViewSet, basename="tool-definition")
router.register("tools/runs", RunViewSet, basename="tool-run")

urlpatterns = [
    *router.urls,
    path("tools/children/<int:child_id>/progress/", ChildProgressView.as_view(), name="tool-progress"),
]
