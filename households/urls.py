"""Household pages, under /cases/families/ where they have always been."""

from django.urls import path

from . import views

app_name = "households"
urlpatterns = [
    path("new/", views.family_new, name="family_new"),
    path("<int:family_id>/", views.family_detail, name="family_detail"),
    path("<int:family_id>/adults/new/", views.adult_new, name="adult_new"),
    path("<int:family_id>/edit/", views.family_edit, name="family_edit"),
    path("<int:family_id>/move/", views.family_move, name="family_move"),
    path("<int:family_id>/members/add/", views.member_add, name="family_member_add"),
    path("<int:family_id>/members/<int:member_id>/remove/", views.member_remove, name="family_member_remove"),
    path("<int:family_id>/merge/", views.family_merge, name="family_merge"),
]
