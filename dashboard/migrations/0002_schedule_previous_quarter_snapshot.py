"""Celery beat: queue the previous quarter's snapshot at 06:00 on the 5th of January, April, July and October.

Four days after the quarter ends gives agencies time to finish recording its last days. Beat uses
django_celery_beat's DatabaseScheduler (settings.CELERY_BEAT_SCHEDULER), so the schedule is a row
admins can see and pause; this migration creates it once and removes it on the way back.
"""
from django.db import migrations

TASK_NAME = "Dashboard: previous quarter's snapshot"


def schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="6", day_of_month="5", month_of_year="1,4,7,10", day_of_week="*", timezone="Europe/London"
    )
    PeriodicTask.objects.update_or_create(
        name=TASK_NAME, defaults={"task": "dashboard.tasks.dashboard_snapshot_previous_quarter", "crontab": crontab, "enabled": True}
    )


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("dashboard", "0001_dashboard_snapshots"),
        ("django_celery_beat", "0018_improve_crontab_helptext"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
