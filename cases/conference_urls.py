"""Conference pages (mounted at /conferences/ in the "conferences" namespace)."""
from django.urls import path  # noqa: F401

app_name = "conferences"
urlpatterns = []
