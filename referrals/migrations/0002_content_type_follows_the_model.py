"""Content types (and so any permission rows pointing at them) follow the model from cases to referrals.

A fresh database has no content types yet at this point (post_migrate creates them), so this changes
nothing there; on an existing one it relabels the rows instead of leaving stale ones behind.
"""
from django.db import migrations

MODELS = ("referral",)


def relabel(apps, schema_editor, *, source, target):
    content_type = apps.get_model("contenttypes", "ContentType")
    taken = set(content_type.objects.filter(app_label=target, model__in=MODELS).values_list("model", flat=True))
    content_type.objects.filter(app_label=source, model__in=set(MODELS) - taken).update(app_label=target)


def forwards(apps, schema_editor):
    relabel(apps, schema_editor, source="cases", target="referrals")


def backwards(apps, schema_editor):
    relabel(apps, schema_editor, source="referrals", target="cases")


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
