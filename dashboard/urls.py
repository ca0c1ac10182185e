"""Pages of the dashboard app (included at /dashboard/ by neglect_portal/urls.py)."""
from django.urls import path  # noqa: F401

app_name = "dashboard"
urlpatterns = []
