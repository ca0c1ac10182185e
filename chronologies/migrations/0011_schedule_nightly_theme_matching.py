"""Celery beat: match the theme window's new chronology entries against the theme words each night at 00:50 (Europe/London).

The chronology and case pages match the entries they meet for the first time and queue their
answers to be stored (chronologies/pattern_aggregates.py); this job matches the rest ahead of them,
so a chronology's first reader of the day does not pay for its whole window. A row in
django_celery_beat's tables (settings.CELERY_BEAT_SCHEDULER), as the other schedules: admins can see
and pause it.
"""
from django.db import migrations

TASK_NAME = "Chronologies: match new entries against the theme words"


def schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="50", hour="0", day_of_month="*", month_of_year="*", day_of_week="*", timezone="Europe/London"
    )
    PeriodicTask.objects.update_or_create(name=TASK_NAME, defaults={"task": "chronologies.tasks.entry_themes_sweep", "crontab": crontab, "enabled": True})


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("chronologies", "0010_attendance_latest_indexed"),
        ("django_celery_beat", "0018_improve_crontab_helptext"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
