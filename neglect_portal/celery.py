"""The Celery application. Tasks call the same services as views (docs/conventions.md, "Background jobs")."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "neglect_portal.settings")

app = Celery("neglect_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
