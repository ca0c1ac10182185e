"""API routes of the oversight app (included under /api/v1/ in the "api" namespace).

The case endpoints' `oversight` sub-route keeps the address and name it had in the cases app.
"""

from django.urls import path

from .api import CaseOversightView

urlpatterns = [
    path("cases/<int:pk>/oversight/", CaseOversightView.as_view(), name="case-oversight"),
]
