"""Drift pages, included under /drift/ in the "drift" namespace."""
from django.urls import path

from . import drift_views

app_name = "drift"
urlpatterns = [
    path("queue/", drift_views.queue, name="queue"),
    path("cases/<int:case_id>/flags/<slug:code>/acknowledge/", drift_views.acknowledge, name="acknowledge"),
]
