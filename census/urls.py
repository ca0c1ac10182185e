from django.urls import path

from . import views

app_name = "census"

urlpatterns = [
    path("", views.census_home, name="home"),
    path("cin.xml", views.cin_census_download, name="cin_census_download"),
    path("annex-a.csv", views.annex_a_download, name="annex_a_download"),
    path("import/", views.import_upload, name="import_upload"),
    path("import/<int:upload_id>/", views.import_review, name="import_review"),
    path("import/<int:upload_id>/apply/", views.import_apply, name="import_apply"),
]
