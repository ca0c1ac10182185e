"""API routes of the concerns app (included under /api/v1/ in the "api" namespace).

They keep the addresses and names they had in the cases app: the `concerns` route and the case
endpoints' `concerns` sub-route.
"""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .api import CaseConcernsView, ConcernViewSet

router = SimpleRouter()
router.register("concerns", ConcernViewSet, basename="concern")

urlpatterns = [
    *router.urls,
    path("cases/<int:pk>/concerns/", CaseConcernsView.as_view(), name="case-concerns"),
]
