"""Pages of the tools app (included at /tools/ by neglect_portal/urls.py)."""
from django.urls import path  # noqa: F401

app_name = "tools"
urlpatterns = []
