"""Referral pages, under /cases/ in the "cases" namespace where they were before referrals/ left cases/ (neglect_portal/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("<int:case_id>/referrals/new/", views.referral_new, name="referral_new"),
]
