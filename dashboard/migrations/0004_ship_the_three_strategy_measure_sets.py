"""Ship the three strategies' measure sets (Oxfordshire 2020-23, Buckinghamshire 2017, Hounslow 2020-22).

Read from dashboard/strategy_sets.json, as the data file is, not through app code (migrations never
import the app). Running it again changes nothing; going back removes only the shipped sets.
"""
import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "strategy_sets.json"


def ship(apps, schema_editor):
    MeasureSet = apps.get_model("dashboard", "MeasureSet")
    MeasureSetItem = apps.get_model("dashboard", "MeasureSetItem")
    for data in json.loads(DATA.read_text())["sets"]:
        measure_set, _ = MeasureSet.objects.update_or_create(
            key=data["key"], defaults={"name": data["name"], "source": data["source"], "shipped": True}
        )
        for position, (key, line) in enumerate(data["items"]):
            MeasureSetItem.objects.update_or_create(measure_set=measure_set, measure_key=key, defaults={"source_line": line, "position": position})


def unship(apps, schema_editor):
    apps.get_model("dashboard", "MeasureSet").objects.filter(shipped=True).delete()


class Migration(migrations.Migration):
    dependencies = [("dashboard", "0003_measure_sets_targets_narrative_and_sign_off")]
    operations = [migrations.RunPython(ship, unship)]
