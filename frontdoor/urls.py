"""Front-door pages, included under /front-door/ in the "frontdoor" namespace (issue 14)."""

from django.urls import path

from . import views

app_name = "frontdoor"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("items/<int:item_id>/", views.item, name="item"),
    path("items/<int:item_id>/decision/", views.decision, name="decision"),
    path("items/<int:item_id>/link/", views.link, name="link"),
    path("household-concerns/new/", views.household_concern_new, name="household_concern_new"),
    path("team/", views.team, name="team"),
]
