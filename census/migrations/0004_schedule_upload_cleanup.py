"""Celery beat: delete unconfirmed census uploads every hour, at a quarter past (Europe/London).

A row in django_celery_beat's tables (settings.CELERY_BEAT_SCHEDULER), as the dashboard's schedule:
admins can see and pause it; this migration creates it once and removes it on the way back. How old
an upload must be is the setting CENSUS_UPLOAD_KEEP_HOURS, read when the task runs.
"""
from django.db import migrations

TASK_NAME = "Census: delete unconfirmed uploads"


def schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="15", hour="*", day_of_month="*", month_of_year="*", day_of_week="*", timezone="Europe/London"
    )
    PeriodicTask.objects.update_or_create(
        name=TASK_NAME, defaults={"task": "census.tasks.census_upload_discard_stale", "crontab": crontab, "enabled": True}
    )


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("census", "0003_census_reviews"),
        ("django_celery_beat", "0018_improve_crontab_helptext"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
