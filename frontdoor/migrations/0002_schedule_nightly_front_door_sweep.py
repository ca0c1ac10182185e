"""Celery beat: every night at 00:40 (Europe/London, after drift's sweep), tell red flags once and queue flag items (issue 14).

Flags that appear with the date alone (a child not seen for six weeks, a plan reaching a year) reach
someone who acts without waiting for a write (frontdoor/refresh.py). A row in django_celery_beat's
tables, as the other schedules: admins can see and pause it.
"""
from django.db import migrations

TASK_NAME = "Front door: tell red flags and queue flag items"


def schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="40", hour="0", day_of_month="*", month_of_year="*", day_of_week="*", timezone="Europe/London"
    )
    PeriodicTask.objects.update_or_create(name=TASK_NAME, defaults={"task": "frontdoor.tasks.front_door_flags_sweep", "crontab": crontab, "enabled": True})


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("frontdoor", "0001_initial"),
        ("django_celery_beat", "0018_improve_crontab_helptext"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
