"""Pages of quality assurance: case audit rounds, the auditors' pages, question sets, measures and feedback on a case."""

from django.urls import path

from . import views

app_name = "quality"

urlpatterns = [
    path("", views.round_list, name="round_list"),
    path("rounds/new/", views.round_new, name="round_new"),
    path("rounds/<int:round_id>/", views.round_detail, name="round_detail"),
    path("rounds/<int:round_id>/sample/", views.round_sample, name="round_sample"),
    path("rounds/<int:round_id>/sample/add/", views.round_sample_add, name="round_sample_add"),
    path("rounds/<int:round_id>/sample/<int:sampled_id>/remove/", views.round_sample_remove, name="round_sample_remove"),
    path("rounds/<int:round_id>/auditors/", views.round_auditors, name="round_auditors"),
    path("rounds/<int:round_id>/auditors/<int:auditor_id>/remove/", views.round_auditor_remove, name="round_auditor_remove"),
    path("rounds/<int:round_id>/moderator/", views.round_moderator, name="round_moderator"),
    path("rounds/<int:round_id>/start/", views.round_start, name="round_start"),
    path("rounds/<int:round_id>/close/", views.round_close, name="round_close"),
    path("rounds/<int:round_id>/report.pdf", views.round_report_pdf, name="round_report_pdf"),
    path("rounds/<int:round_id>/learning/new/", views.learning_new, name="learning_new"),
    path("rounds/<int:round_id>/actions/new/", views.action_new, name="action_new"),
    path("actions/<int:action_id>/", views.action_update, name="action_update"),
    path("actions/<int:action_id>/action-plan/", views.action_to_plan, name="action_to_plan"),
    path("audits/", views.my_audits, name="my_audits"),
    path("audits/<int:sampled_id>/", views.audit_case, name="audit_case"),
    path("audits/<int:sampled_id>/moderate/", views.audit_moderate, name="audit_moderate"),
    path("question-sets/", views.question_set_list, name="question_set_list"),
    path("question-sets/load/", views.question_set_load, name="question_set_load"),
    path("question-sets/<int:set_id>/", views.question_set_detail, name="question_set_detail"),
    path("question-sets/<int:set_id>/publish/", views.question_set_publish, name="question_set_publish"),
    path("measures/", views.measures, name="measures"),
    path("cases/<int:case_id>/feedback/", views.case_feedback, name="case_feedback"),
    path("cases/<int:case_id>/feedback/record/", views.feedback_record, name="feedback_record"),
    path("cases/<int:case_id>/feedback/send/", views.feedback_send, name="feedback_send"),
]
