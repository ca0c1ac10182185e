"""API routes of the front door (included under /api/v1/ in the "api" namespace)."""

from rest_framework.routers import SimpleRouter

from .api import FrontDoorItemViewSet

router = SimpleRouter()
router.register("front-door/items", FrontDoorItemViewSet, basename="front-door-item")

urlpatterns = [*router.urls]
