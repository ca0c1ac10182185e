"""Version 2 of the four shipped tool definitions: scoring stated as data, descriptors per item, the full checklist.

Read from tools/shipped/v2/*.json (docs/tools.md says what changed and why):

* Graded Care Profile 2: each sub-area keeps its own grade and has a descriptor per grade; an area
  is shown at its worst sub-area grade (version 1 rounded a mean, which rounded two grade-4
  sub-areas away), and there is no overall figure; aims, methodology and adaptations;
* Child Care and Development Checklist: the public checklist's sections and signs, evidence
  needed for every "No" and "Borderline", and no total (version 1 added one);
* the family progress measure and the Early Help Assessment: aims, methodology and adaptations.

Published definitions are locked, so nothing is changed in place: for each tool whose published
version is still exactly the shipped version 1, version 2 is added and published and version 1
retires (its runs stay on it and are read against it, for good). A tool the partnership has
changed (it published a version of its own, or holds a draft) is left alone: its own wording and
rules stay, and it can load version 2 from the file if it wants it.

No app code is imported (the files are read directly), as a migration must keep working whatever
the app becomes. Reversing leaves version 2 in place: a retired version cannot be published again
(the database refuses it, migration 0002), and removing the version practitioners now use would
strand their drafts.
"""
import json
from pathlib import Path

from django.conf import settings
from django.db import migrations
from django.utils import timezone

SHIPPED = Path(__file__).resolve().parents[1] / "shipped"
FILES = ["gcp2.json", "ccdc.json", "family_progress.json", "eha.json"]


def _document(path):
    return json.loads(path.read_text(encoding="utf-8"))


def ship_version_2(apps, schema_editor):
    ToolDefinition = apps.get_model("tools", "ToolDefinition")
    now = timezone.now()
    for name in FILES:
        first, second = _document(SHIPPED / name), _document(SHIPPED / "v2" / name)
        versions = list(ToolDefinition.objects.filter(key=first["key"]).order_by("version"))
        published = [version for version in versions if version.status == "published"]
        if any(version.status == "draft" for version in versions) or len(published) != 1 or published[0].structure != first:
            continue
        ToolDefinition.objects.filter(pk=published[0].pk).update(status="retired", retired_at=now)
        ToolDefinition.objects.create(
            key=second["key"],
            version=versions[-1].version + 1,
            name=second["name"],
            owner=settings.PARTNERSHIP_NAME,
            status="published",
            structure=second,
            published_at=now,
        )


class Migration(migrations.Migration):
    dependencies = [("tools", "0003_load_shipped_definitions")]

    operations = [migrations.RunPython(ship_version_2, migrations.RunPython.noop)]
