"""The child's voice pages, under /cases/ in the "cases" namespace where they were before voice/ left cases/ (neglect_portal/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("<int:case_id>/voice/new/", views.voice_new, name="voice_new"),
]
