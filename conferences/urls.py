"""Conference pages (mounted at /conferences/ in the "conferences" namespace)."""

from django.urls import path

from . import views

app_name = "conferences"
urlpatterns = [
    path("upcoming/", views.upcoming, name="upcoming"),
    path("attendance/", views.attendance_report, name="attendance_report"),
    path("cases/<int:case_id>/", views.case_conferences, name="case_conferences"),
    path("cases/<int:case_id>/schedule/", views.conference_schedule, name="conference_schedule"),
    path("<int:conference_id>/", views.conference_detail, name="conference_detail"),
    path("<int:conference_id>/attendance/", views.conference_attendance, name="conference_attendance"),
    path("<int:conference_id>/decisions/", views.conference_decisions, name="conference_decisions"),
    path("invitations/<int:invitation_id>/report/", views.invitation_report, name="invitation_report"),
]
