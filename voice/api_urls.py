"""API routes of the voice app (included under /api/v1/ in the "api" namespace).

The case endpoints' `voice` sub-route keeps the address and name it had in the cases app.
"""

from django.urls import path

from .api import CaseVoiceView

urlpatterns = [
    path("cases/<int:pk>/voice/", CaseVoiceView.as_view(), name="case-voice"),
]
