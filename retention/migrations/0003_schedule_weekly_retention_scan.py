"""Celery beat: list the records past their retention date every Monday at 05:30 (Europe/London).

A row in django_celery_beat's tables (settings.CELERY_BEAT_SCHEDULER), as the dashboard's schedule:
admins can see and pause it; this migration creates it once and removes it on the way back.
"""
from django.db import migrations

TASK_NAME = "Retention: list records past their retention date"


def schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="30", hour="5", day_of_month="*", month_of_year="*", day_of_week="1", timezone="Europe/London"
    )
    PeriodicTask.objects.update_or_create(name=TASK_NAME, defaults={"task": "retention.tasks.retention_find_due", "crontab": crontab, "enabled": True})


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("retention", "0002_retention_may_delete_immutable_records"),
        ("django_celery_beat", "0018_improve_crontab_helptext"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
