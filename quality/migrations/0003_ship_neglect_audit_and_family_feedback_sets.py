"""Every deployment starts with the three shipped question sets, published as version 1.

The neglect themed multi-agency case audit (identification, use of tools, the child's lived
experience and voice, fathers and male carers, information sharing, planning and drift, impact on the
child) and family feedback for parents and carers and for children (a picture scale), read from
quality/shipped/*.json. The files are read directly (no app code is imported here). A shipped file
is never edited once released: new wording ships as a new file and a migration loading it as the
next version. A set the partnership already holds (by key) is left alone.
"""
import json
from pathlib import Path

from django.conf import settings
from django.db import migrations
from django.utils import timezone

SHIPPED = Path(__file__).resolve().parents[1] / "shipped"
FILES = ["neglect_audit.json", "family_feedback_parent.json", "family_feedback_child.json"]


def load(apps, schema_editor):
    QuestionSet = apps.get_model("quality", "QuestionSet")
    now = timezone.now()
    for name in FILES:
        document = json.loads((SHIPPED / name).read_text(encoding="utf-8"))
        if QuestionSet.objects.filter(key=document["key"]).exists():
            continue
        QuestionSet.objects.create(
            key=document["key"], version=1, name=document["name"], kind=document["kind"], owner=settings.PARTNERSHIP_NAME,
            status="published", structure=document, published_at=now,
        )


def unload(apps, schema_editor):
    """Remove the shipped version 1 rows nothing uses (a used set is kept, and blocks reversal)."""
    QuestionSet = apps.get_model("quality", "QuestionSet")
    keys = [json.loads((SHIPPED / name).read_text(encoding="utf-8"))["key"] for name in FILES]
    QuestionSet.objects.filter(key__in=keys, version=1, rounds__isnull=True, responses__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("quality", "0002_refuse_changes_to_published_question_sets")]

    operations = [migrations.RunPython(load, unload)]
