"""Conference API routes (included under /api/v1/ in the "api" namespace)."""
from django.urls import path  # noqa: F401

urlpatterns = []
