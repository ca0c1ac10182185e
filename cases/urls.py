"""Case-work pages, in the "cases" namespace under /cases/ (neglect_portal/urls.py joins to it the pages of the apps that left it)."""

from django.urls import path

from . import views

urlpatterns = [
    path("find/", views.find_child, name="find_child"),
    path("<int:case_id>/", views.case_detail, name="case_detail"),
    path("<int:case_id>/lead/", views.reassign_lead, name="reassign_lead"),
]
