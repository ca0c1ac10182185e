"""The family's own pages, reached from a single-use link with no account (mounted at /your-say/: the address says nothing about the case)."""

from django.urls import path

from . import views

app_name = "family"

urlpatterns = [
    path("thank-you/", views.family_thanks, name="thanks"),
    path("<str:token>/", views.family_feedback, name="feedback"),
]
