"""Concern pages, under /cases/ in the "cases" namespace where they were before concerns/ left cases/ (neglect_portal/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("concerns/new/", views.concern_new, name="concern_new"),
    path("<int:case_id>/concerns/new/", views.case_concern_new, name="case_concern_new"),
    path("<int:case_id>/concerns/<int:concern_id>/amend/", views.concern_amend, name="concern_amend"),
]
