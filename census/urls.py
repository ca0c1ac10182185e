from django.urls import path

from . import views

app_name = "census"

urlpatterns = [
    path("", views.census_home, name="home"),
    path("cin.xml", views.cin_census_download, name="cin_census_download"),
    path("annex-a.csv", views.annex_a_download, name="annex_a_download"),
]
