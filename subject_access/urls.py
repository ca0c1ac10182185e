from django.urls import path

from . import views

app_name = "subject_access"

urlpatterns = [
    path("", views.request_list, name="list"),
    path("<int:request_id>/", views.request_detail, name="detail"),
    path("<int:request_id>/export.pdf", views.download_pdf, name="download_pdf"),
    path("<int:request_id>/export.json", views.download_json, name="download_json"),
    path("<int:request_id>/run-again/", views.requeue, name="requeue"),
]
