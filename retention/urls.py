from django.urls import path

from . import views

app_name = "retention"

urlpatterns = [
    path("", views.review_list, name="list"),
    path("scan/", views.scan_now, name="scan"),
    path("log/", views.deletion_log, name="log"),
    path("<int:review_id>/", views.review_detail, name="detail"),
]
