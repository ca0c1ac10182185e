"""API routes of the plans app (included under /api/v1/ in the "api" namespace).

They keep the addresses and names they had as the case endpoints' `plans` and `actions/<id>` sub-routes.
"""

from django.urls import path

from .api import CasePlanActionView, CasePlansView

urlpatterns = [
    path("cases/<int:pk>/plans/", CasePlansView.as_view(), name="case-plans"),
    path("cases/<int:pk>/actions/<int:action_id>/", CasePlanActionView.as_view(), name="case-action"),
]
