"""API routes of households (included under /api/v1/ in the "api" namespace)."""

from rest_framework.routers import SimpleRouter

from .api import FamilyViewSet

router = SimpleRouter()
router.register("families", FamilyViewSet, basename="family")

urlpatterns = [*router.urls]
