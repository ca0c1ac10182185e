"""Pages of the chronologies app (included at /chronologies/ by neglect_portal/urls.py)."""
from django.urls import path  # noqa: F401

app_name = "chronologies"
urlpatterns = []
