"""Case-work pages, in the "cases" namespace under /cases/ (neglect_portal/urls.py joins the pages of plans/ and concerns/ to it)."""

from django.urls import path

from . import views

urlpatterns = [
    path("find/", views.find_child, name="find_child"),
    path("manage/", views.manager_cases, name="manager_cases"),
    path("<int:case_id>/", views.case_detail, name="case_detail"),
    path("<int:case_id>/referrals/new/", views.referral_new, name="referral_new"),
    path("<int:case_id>/oversight/new/", views.oversight_new, name="oversight_new"),
    path("<int:case_id>/voice/new/", views.voice_new, name="voice_new"),
    path("<int:case_id>/lead/", views.reassign_lead, name="reassign_lead"),
]
