"""Level-of-need pages, included under /need/ in the "need" namespace."""

from django.urls import path

from . import views

app_name = "need"
urlpatterns = [
    path("cases/<int:case_id>/level/", views.level_of_need_change, name="change"),
]
