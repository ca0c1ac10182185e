"""Management oversight pages, under /cases/ in the "cases" namespace where they were before oversight/ left cases/ (neglect_portal/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("manage/", views.manager_cases, name="manager_cases"),
    path("<int:case_id>/oversight/new/", views.oversight_new, name="oversight_new"),
]
