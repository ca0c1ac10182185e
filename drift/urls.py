"""Drift pages, included under /drift/ in the "drift" namespace."""

from django.urls import path

from . import partner_flags
from . import views as drift_views

app_name = "drift"
urlpatterns = [
    path("queue/", drift_views.queue, name="queue"),
    path("cases/<int:case_id>/flags/<slug:code>/acknowledge/", drift_views.acknowledge, name="acknowledge"),
    path("partner-red-flags/", partner_flags.partner_red_flags_page, name="partner_red_flags"),  # issue 14
]
