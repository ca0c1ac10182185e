"""Celery beat: recompute every open case's stored drift flags each night at 00:10 (Europe/London).

Time-based rules (a plan reaching 12 months, six weeks without seeing the child, an acknowledgement's
review date) change with the date, not with a write (drift/refresh.py). A row in django_celery_beat's
tables (settings.CELERY_BEAT_SCHEDULER), as the other schedules: admins can see and pause it.
"""
from django.db import migrations

TASK_NAME = "Drift: recompute every open case's flags"


def schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="10", hour="0", day_of_month="*", month_of_year="*", day_of_week="*", timezone="Europe/London"
    )
    PeriodicTask.objects.update_or_create(name=TASK_NAME, defaults={"task": "drift.tasks.drift_flags_sweep", "crontab": crontab, "enabled": True})


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("drift", "0003_drift_flags_stored_per_case"),
        ("django_celery_beat", "0018_improve_crontab_helptext"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
