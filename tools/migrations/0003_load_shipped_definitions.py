"""Every deployment starts with the four shipped tool definitions, published as version 1.

Graded Care Profile 2 (structure and neutral wording), the Child Care and Development Checklist,
the family progress measure (1-10 journey scale) and the Early Help Assessment, read from
tools/shipped/*.json. The files are read directly (no app code is imported here, as a migration
must keep working whatever the app becomes); tests check that each file passes the definition
checks. A shipped file is never edited once released: new wording ships as a new file and a new
migration that loads it as the next version, so every deployment holds the same version 1.

A tool the partnership already holds (by key) is left alone, so running this after a partnership
loaded its own definition changes nothing.
"""
import json
from pathlib import Path

from django.conf import settings
from django.db import migrations
from django.utils import timezone

SHIPPED = Path(__file__).resolve().parents[1] / "shipped"
FILES = ["gcp2.json", "ccdc.json", "family_progress.json", "eha.json"]


def load(apps, schema_editor):
    ToolDefinition = apps.get_model("tools", "ToolDefinition")
    now = timezone.now()
    for name in FILES:
        document = json.loads((SHIPPED / name).read_text(encoding="utf-8"))
        if ToolDefinition.objects.filter(key=document["key"]).exists():
            continue
        ToolDefinition.objects.create(
            key=document["key"],
            version=1,
            name=document["name"],
            owner=settings.PARTNERSHIP_NAME,
            status="published",
            structure=document,
            published_at=now,
        )


def unload(apps, schema_editor):
    """Remove the shipped version 1 rows no run uses (a used definition is kept, and blocks reversal)."""
    ToolDefinition = apps.get_model("tools", "ToolDefinition")
    keys = [json.loads((SHIPPED / name).read_text(encoding="utf-8"))["key"] for name in FILES]
    ToolDefinition.objects.filter(key__in=keys, version=1, runs__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("tools", "0002_refuse_changes_to_final_runs_and_locked_definitions")]

    operations = [migrations.RunPython(load, unload)]
