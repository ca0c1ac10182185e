"""Conference API routes (included under /api/v1/ in the "api" namespace)."""

from rest_framework.routers import SimpleRouter

from .api import ConferenceViewSet, InvitationViewSet

router = SimpleRouter()
router.register("conferences", ConferenceViewSet, basename="conference")
router.register("conference-invitations", InvitationViewSet, basename="conference-invitation")

urlpatterns = [*router.urls]
