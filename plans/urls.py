"""Plan pages, under /cases/<case>/ in the "cases" namespace where they were before plans/ left cases/ (neglect_portal/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("<int:case_id>/plans/new/", views.plan_new, name="plan_new"),
    path("<int:case_id>/plans/<int:plan_id>/end/", views.plan_end, name="plan_end"),
    path("<int:case_id>/plans/<int:plan_id>/actions/new/", views.action_new, name="action_new"),
    path("<int:case_id>/actions/<int:action_id>/", views.action_update, name="action_update"),
]
