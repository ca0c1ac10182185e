from django.urls import path

from . import household_views, views

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
    path("families/<int:family_id>/", views.family_detail, name="family_detail"),
    path("families/<int:family_id>/adults/new/", views.adult_new, name="adult_new"),
    # Households (issue 14): cases/household_views.py
    path("families/new/", household_views.family_new, name="family_new"),
    path("families/<int:family_id>/edit/", household_views.family_edit, name="family_edit"),
    path("families/<int:family_id>/move/", household_views.family_move, name="family_move"),
    path("families/<int:family_id>/members/add/", household_views.member_add, name="family_member_add"),
    path("families/<int:family_id>/members/<int:member_id>/remove/", household_views.member_remove, name="family_member_remove"),
    path("families/<int:family_id>/merge/", household_views.family_merge, name="family_merge"),
]
