"""API routes of the chronologies app (included under /api/v1/ in the "api" namespace)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .api import ChildPatternsView, ChronologyEntryViewSet

router = SimpleRouter()
router.register("chronology-entries", ChronologyEntryViewSet, basename="chronology-entry")

urlpatterns = [
    *router.urls,
    path("children/<int:child_id>/chronology-patterns/", ChildPatternsView.as_view(), name="chronology-patterns"),
]
