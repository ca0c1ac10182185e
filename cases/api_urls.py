"""API routes of the cases app (included under /api/v1/ in the "api" namespace)."""

from rest_framework.routers import SimpleRouter

from .api import CaseViewSet, ChildViewSet

router = SimpleRouter()
router.register("cases", CaseViewSet, basename="case")
router.register("children", ChildViewSet, basename="child")

urlpatterns = [*router.urls]
