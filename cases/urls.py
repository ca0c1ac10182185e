from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("find/", views.find_child, name="find_child"),
    path("concerns/new/", views.concern_new, name="concern_new"),
    path("manage/", views.manager_cases, name="manager_cases"),
    path("<int:case_id>/", views.case_detail, name="case_detail"),
    path("<int:case_id>/concerns/new/", views.case_concern_new, name="case_concern_new"),
    path("<int:case_id>/concerns/<int:concern_id>/amend/", views.concern_amend, name="concern_amend"),
    path("<int:case_id>/plans/new/", views.plan_new, name="plan_new"),
    path("<int:case_id>/plans/<int:plan_id>/end/", views.plan_end, name="plan_end"),
    path("<int:case_id>/plans/<int:plan_id>/actions/new/", views.action_new, name="action_new"),
    path("<int:case_id>/actions/<int:action_id>/", views.action_update, name="action_update"),
    path("<int:case_id>/referrals/new/", views.referral_new, name="referral_new"),
    path("<int:case_id>/oversight/new/", views.oversight_new, name="oversight_new"),
    path("<int:case_id>/voice/new/", views.voice_new, name="voice_new"),
    path("<int:case_id>/lead/", views.reassign_lead, name="reassign_lead"),
]
